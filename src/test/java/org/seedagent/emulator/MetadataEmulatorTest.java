package org.seedagent.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadataEmulatorTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private MutableClock clock;
    private MetadataEmulator emulator;

    @BeforeEach
    void start() throws IOException {
        clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
        emulator = MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), clock);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void controlEndpoints_tellTheListenerEachChange_asItHappens() throws Exception {
        java.util.List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        emulator.onChange((item, value) -> changes.add(item + "=" + value));

        assertEquals(
                204,
                send(HttpRequest.newBuilder(emulator.endpoint().resolve("/emulator/meta-data/public-ipv4"))
                                .PUT(HttpRequest.BodyPublishers.ofString("198.51.100.7")))
                        .statusCode());
        assertEquals(
                204,
                send(HttpRequest.newBuilder(emulator.endpoint().resolve("/emulator/meta-data/spot/instance-action"))
                                .DELETE())
                        .statusCode());

        assertEquals(java.util.List.of("public-ipv4=198.51.100.7", "spot/instance-action=null"), changes);
        assertEquals("198.51.100.7", emulator.item("public-ipv4"));
    }

    @Test
    void get_withToken_servesItem() throws Exception {
        String token = token(60);
        HttpResponse<String> response = get("public-ipv4", token);
        assertEquals(200, response.statusCode());
        assertEquals("203.0.113.10", response.body());
        assertTrue(emulator.endpoint().toString().startsWith("http://127.0.0.1:"));
    }

    @Test
    void scheduledEvents_noneByDefault_announcedOneParsesAsEc2Format() throws Exception {
        String token = token(60);
        assertEquals("[]", get("events/maintenance/scheduled", token).body());
        emulator.set(
                MetadataEmulator.SCHEDULED_EVENTS,
                MetadataEmulator.scheduledEvents(java.util.List.of("instance-stop"), clock.instant()));
        String body = get("events/maintenance/scheduled", token).body();
        java.util.List<org.seedagent.restart.ScheduledEvent> events = org.seedagent.restart.ScheduledEvents.parse(body);
        assertEquals(1, events.size());
        assertEquals("instance-stop", events.get(0).code());
        assertEquals("active", events.get(0).state());
        assertEquals(Instant.parse("2026-12-02T12:00:00Z"), events.get(0).notBefore());
        assertEquals(Instant.parse("2026-12-02T14:00:00Z"), events.get(0).notAfter());
        assertTrue(body.contains("\"NotBefore\" : \"2 Dec 2026 12:00:00 GMT\""), body);
    }

    @Test
    void get_withoutToken_401() throws Exception {
        assertEquals(401, get("public-ipv4", null).statusCode());
        assertEquals(401, get("public-ipv4", "made-up").statusCode());
    }

    @Test
    void get_expiredToken_401() throws Exception {
        String token = token(10);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(401, get("public-ipv4", token).statusCode());
    }

    @Test
    void get_forgottenTokens_401() throws Exception {
        String token = token(60);
        emulator.forgetTokens();
        assertEquals(401, get("public-ipv4", token).statusCode());
    }

    @Test
    void get_missingItem_404() throws Exception {
        String token = token(60);
        emulator.remove("public-ipv4");
        assertEquals(404, get("public-ipv4", token).statusCode());
        assertEquals(404, get("spot/instance-action", token).statusCode());
    }

    @Test
    void token_ttlOutOfRangeOrMissing_400() throws Exception {
        assertEquals(400, tokenResponse("0").statusCode());
        assertEquals(400, tokenResponse("21601").statusCode());
        assertEquals(
                400,
                send(HttpRequest.newBuilder(uri("/latest/api/token")).PUT(HttpRequest.BodyPublishers.noBody()))
                        .statusCode());
    }

    @Test
    void token_forwardedFor_403() throws Exception {
        assertEquals(
                403,
                send(HttpRequest.newBuilder(uri("/latest/api/token"))
                                .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
                                .header("X-Forwarded-For", "203.0.113.99")
                                .PUT(HttpRequest.BodyPublishers.noBody()))
                        .statusCode());
    }

    @Test
    void control_setAndCount_changesAnswerAndCountsRequests() throws Exception {
        send(HttpRequest.newBuilder(uri("/emulator/meta-data/public-ipv4"))
                .PUT(HttpRequest.BodyPublishers.ofString("198.51.100.7")));
        String token = token(60);
        assertEquals("198.51.100.7", get("public-ipv4", token).body());
        String stats =
                send(HttpRequest.newBuilder(uri("/emulator/stats")).GET()).body();
        assertTrue(stats.contains("token_requests 1\n") && stats.contains("data_requests 1\n"), stats);
    }

    private String token(int ttl) throws Exception {
        HttpResponse<String> response = tokenResponse(Integer.toString(ttl));
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private HttpResponse<String> tokenResponse(String ttl) throws Exception {
        return send(HttpRequest.newBuilder(uri("/latest/api/token"))
                .header("X-aws-ec2-metadata-token-ttl-seconds", ttl)
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> get(String item, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri("/latest/meta-data/" + item)).GET();
        if (token != null) {
            request.header("X-aws-ec2-metadata-token", token);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return emulator.endpoint().resolve(path);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
