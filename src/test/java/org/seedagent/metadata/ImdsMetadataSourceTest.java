package org.seedagent.metadata;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.badRequest;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.forbidden;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.testing.FakeImds.TOKEN;
import static org.seedagent.testing.FakeImds.TOKEN_HEADER;
import static org.seedagent.testing.FakeImds.TOKEN_PATH;
import static org.seedagent.testing.FakeImds.TTL_HEADER;
import static org.seedagent.testing.FakeImds.item;
import static org.seedagent.testing.FakeImds.itemRequests;
import static org.seedagent.testing.FakeImds.stubItem;
import static org.seedagent.testing.FakeImds.stubToken;
import static org.seedagent.testing.FakeImds.token;
import static org.seedagent.testing.FakeImds.tokenRequest;
import static org.seedagent.testing.FakeImds.tokenRequests;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seedagent.metadata.MetadataException.Kind;
import org.seedagent.support.Sleeper;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.FakeImds;
import org.seedagent.testing.RecordingSleeper;

/**
 * The IMDSv2 client against a real HTTP server on 127.0.0.1. Time is fake: back-off waits are recorded,
 * not slept, and move the clock that the deadline is measured with.
 */
class ImdsMetadataSourceTest {
    private static final String IP = "203.0.113.10";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);
    private static final Duration SHORT_DEADLINE = Duration.ofSeconds(1);

    @RegisterExtension
    static final WireMockExtension wm = FakeImds.extension();

    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private ImdsMetadataSource source = newSource(FakeImds.settings(wm, REQUEST_TIMEOUT, DEADLINE), sleeper);

    @AfterEach
    void closeSource() {
        source.close();
    }

    @Test
    void get_validToken_sendsTokenHeaderAndReturnsBody() throws Exception {
        stubToken(wm);
        stubItem(wm, "public-ipv4", ok(IP));

        assertEquals(Optional.of(IP), source.get("public-ipv4"));
        wm.verify(
                1,
                getRequestedFor(urlEqualTo("/latest/meta-data/public-ipv4")).withHeader(TOKEN_HEADER, equalTo(TOKEN)));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_tokenRequest_asksForConfiguredTtlInSeconds() throws Exception {
        stubToken(wm);
        stubItem(wm, "instance-id", ok("i-0123456789abcdef0"));

        source.get("instance-id");

        wm.verify(1, putRequestedFor(urlEqualTo(TOKEN_PATH)).withHeader(TTL_HEADER, equalTo("21600")));
    }

    @Test
    void get_severalItems_reusesOneToken() throws Exception {
        stubToken(wm);
        stubItem(wm, "public-ipv4", ok(IP));
        stubItem(wm, "instance-id", ok("i-0123456789abcdef0"));

        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.of(IP), source.get("public-ipv4"));
            assertEquals(Optional.of("i-0123456789abcdef0"), source.get("instance-id"));
        }

        assertEquals(1, tokenRequests(wm));
        assertEquals(6, itemRequests(wm));
    }

    @Test
    void constructor_beforeFirstGet_sendsNoRequest() {
        source.close();

        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void get_tokenRejected_refreshesTokenAndRetries() throws Exception {
        // IMDS restarted: the token cached from before is refused, a new one is accepted.
        wm.stubFor(tokenRequest()
                .inScenario("restart")
                .whenScenarioStateIs(STARTED)
                .willReturn(token("old-token"))
                .willSetStateTo("restarted"));
        wm.stubFor(tokenRequest()
                .inScenario("restart")
                .whenScenarioStateIs("restarted")
                .willReturn(token("new-token")));
        wm.stubFor(item("public-ipv4", "old-token").willReturn(unauthorized()));
        wm.stubFor(item("public-ipv4", "new-token").willReturn(ok(IP)));

        assertEquals(Optional.of(IP), source.get("public-ipv4"));

        assertEquals(2, tokenRequests(wm));
        assertEquals(2, itemRequests(wm));
        assertEquals(1, sleeper.sleeps().size());
    }

    @Test
    void get_tokenRejectedUntilDeadline_unavailable() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", unauthorized());

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        int attempts = itemRequests(wm);
        assertTrue(attempts > 1, "attempts: " + attempts);
        assertEquals(attempts, tokenRequests(wm), "a new token for every attempt");
        assertTrue(e.getMessage().contains(attempts + " attempts over 30.0 s"), e.getMessage());
    }

    @Test
    void get_tokenRequestForbidden_disabledWithoutRetry() {
        wm.stubFor(tokenRequest().willReturn(forbidden()));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.DISABLED, e.kind());
        assertEquals("public-ipv4", e.path());
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertTrue(e.getMessage().contains("--http-endpoint enabled"), e.getMessage());
        assertEquals(1, tokenRequests(wm));
        assertEquals(0, itemRequests(wm));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_itemForbidden_disabledWithoutRetry() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", forbidden());

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.DISABLED, e.kind());
        assertEquals(1, tokenRequests(wm));
        assertEquals(1, itemRequests(wm));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_itemNotFound_returnsEmptyWithoutRetry() throws Exception {
        stubToken(wm);
        stubItem(wm, "public-ipv4", notFound());

        assertEquals(Optional.empty(), source.get("public-ipv4"));
        assertEquals(1, itemRequests(wm));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_tokenRequestNotFound_unavailableWithoutRetry() {
        // An endpoint without IMDSv2 (no token PUT) must not pass for "the item does not exist".
        wm.stubFor(tokenRequest().willReturn(notFound()));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("HTTP 404 to the session token request"), e.getMessage());
        assertEquals(1, tokenRequests(wm));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_badRequest_unavailableWithoutRetry() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", badRequest());

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertEquals(1, itemRequests(wm));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_serverErrorsThenSuccess_retriesWithJitteredCappedWaits() throws Exception {
        stubToken(wm);
        wm.stubFor(item("public-ipv4", TOKEN)
                .inScenario("flaky")
                .whenScenarioStateIs(STARTED)
                .willReturn(serverError())
                .willSetStateTo("second"));
        wm.stubFor(item("public-ipv4", TOKEN)
                .inScenario("flaky")
                .whenScenarioStateIs("second")
                .willReturn(serviceUnavailable())
                .willSetStateTo("third"));
        wm.stubFor(item("public-ipv4", TOKEN)
                .inScenario("flaky")
                .whenScenarioStateIs("third")
                .willReturn(status(429))
                .willSetStateTo("healthy"));
        wm.stubFor(item("public-ipv4", TOKEN)
                .inScenario("flaky")
                .whenScenarioStateIs("healthy")
                .willReturn(ok(IP)));

        assertEquals(Optional.of(IP), source.get("public-ipv4"));

        assertEquals(4, itemRequests(wm));
        assertEquals(1, tokenRequests(wm));
        List<Duration> sleeps = sleeper.sleeps();
        assertEquals(3, sleeps.size());
        for (int retry = 0; retry < sleeps.size(); retry++) {
            assertWithinJitter(retry, sleeps.get(retry));
        }
    }

    @Test
    void get_tokenServerErrorThenSuccess_retries() throws Exception {
        stubToken(wm);
        wm.stubFor(tokenRequest()
                .inScenario("token")
                .whenScenarioStateIs(STARTED)
                .willReturn(serviceUnavailable())
                .willSetStateTo("healthy"));
        wm.stubFor(tokenRequest()
                .inScenario("token")
                .whenScenarioStateIs("healthy")
                .willReturn(token(TOKEN)));
        stubItem(wm, "public-ipv4", ok(IP));

        assertEquals(Optional.of(IP), source.get("public-ipv4"));
        assertEquals(2, tokenRequests(wm));
        assertEquals(1, sleeper.sleeps().size());
    }

    @Test
    void get_serverErrorForever_unavailableOnceDeadlinePasses() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", serviceUnavailable());

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        List<Duration> sleeps = sleeper.sleeps();
        int attempts = itemRequests(wm);
        assertEquals(attempts, sleeps.size() + 1);
        assertTrue(e.getMessage().contains(attempts + " attempts over 30.0 s"), e.getMessage());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertTrue(sleeper.total().compareTo(DEADLINE) <= 0, "slept " + sleeper.total());
        for (int retry = 0; retry < sleeps.size() - 1; retry++) {
            assertWithinJitter(retry, sleeps.get(retry));
        }
        Duration last = sleeps.get(sleeps.size() - 1);
        assertTrue(last.compareTo(ImdsMetadataSource.BACKOFF.ceiling(sleeps.size() - 1)) <= 0, "last wait " + last);
        assertTrue(sleeps.stream().anyMatch(d -> d.compareTo(Duration.ofMillis(2500)) >= 0), "reached the cap");
    }

    @Test
    void get_responseSlowerThanTimeout_retriedThenUnavailable() {
        replaceSource(FakeImds.settings(wm, SHORT_TIMEOUT, SHORT_DEADLINE), sleeper);
        stubToken(wm);
        stubItem(wm, "public-ipv4", ok(IP).withFixedDelay(1_000));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(
                e.getMessage().contains("last error: no complete answer to GET /latest/meta-data/public-ipv4 within"),
                e.getMessage());
        assertTrue(itemRequests(wm) > 1, "retried");
    }

    @Test
    void get_connectionRefused_retriedThenUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        replaceSource(
                new MetadataSettings(
                        URI.create("http://127.0.0.1:" + closedPort), FakeImds.TTL, SHORT_TIMEOUT, SHORT_DEADLINE),
                sleeper);

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("last error: connection refused"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no Java class name: " + e.getMessage());
        assertFalse(sleeper.sleeps().isEmpty(), "retried");
    }

    @Test
    void get_serviceDoesNotAnswer_saysSoAfter5sThenEvery15s() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        List<String> lines = new java.util.ArrayList<>();
        replaceSource(
                new MetadataSettings(
                        URI.create("http://127.0.0.1:" + closedPort),
                        FakeImds.TTL,
                        SHORT_TIMEOUT,
                        java.time.Duration.ofSeconds(60)),
                sleeper);
        source.withProgress(lines::add);

        assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(4, lines.size(), lines.toString()); // after 5, 20, 35 and 50 s of 60
        assertTrue(
                lines.get(0)
                        .matches("still waiting for the metadata service at http://127\\.0\\.0\\.1:" + closedPort
                                + ": connection refused, \\d+ attempts, [5-9] s of 60 s"),
                lines.get(0));
        assertTrue(lines.get(3).matches(".*, \\d+ attempts, 5\\d s of 60 s"), lines.get(3));
    }

    @Test
    void get_connectionReset_retriedThenUnavailable() {
        replaceSource(FakeImds.settings(wm, SHORT_TIMEOUT, SHORT_DEADLINE), sleeper);
        stubToken(wm);
        stubItem(wm, "public-ipv4", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("last error: Connection reset"), e.getMessage());
        assertFalse(sleeper.sleeps().isEmpty(), "retried");
    }

    @Test
    void get_malformedResponseChunk_retriedThenUnavailable() {
        replaceSource(FakeImds.settings(wm, SHORT_TIMEOUT, SHORT_DEADLINE), sleeper);
        stubToken(wm);
        stubItem(wm, "public-ipv4", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("last error: Premature EOF"), e.getMessage());
        assertFalse(sleeper.sleeps().isEmpty(), "retried");
    }

    @Test
    void get_bodyLargerThanLimit_invalidResponseWithoutRetry() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", ok().withBody(new byte[2 * 1024 * 1024]));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("metadata item public-ipv4"), e.getMessage());
        assertTrue(e.getMessage().contains("more than 4096 bytes"), e.getMessage());
        assertEquals(1, itemRequests(wm));
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_bodyExactlyAtLimit_returnsBody() throws Exception {
        String body = "x".repeat(ImdsMetadataSource.MAX_BODY_BYTES);
        stubToken(wm);
        stubItem(wm, "iam/info", ok(body));

        assertEquals(Optional.of(body), source.get("iam/info"));
    }

    @Test
    void get_tokenLargerThanLimit_invalidResponse() {
        wm.stubFor(tokenRequest().willReturn(token("t".repeat(2 * 1024 * 1024))));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("PUT " + TOKEN_PATH), e.getMessage());
        assertEquals(0, itemRequests(wm));
    }

    @Test
    void get_errorWithHugeBody_classifiedByStatus() throws Exception {
        stubToken(wm);
        stubItem(wm, "public-ipv4", notFound().withBody(new byte[2 * 1024 * 1024]));

        assertEquals(Optional.empty(), source.get("public-ipv4"));
    }

    @Test
    void get_tokenWithoutTtlHeader_invalidResponse() {
        wm.stubFor(tokenRequest().willReturn(ok(TOKEN)));

        MetadataException e = assertThrows(MetadataException.class, () -> source.get("public-ipv4"));

        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void get_sleepInterrupted_propagatesInterruptedException() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", serviceUnavailable());
        replaceSource(FakeImds.settings(wm, REQUEST_TIMEOUT, DEADLINE), duration -> {
            throw new InterruptedException("stop");
        });

        assertThrows(InterruptedException.class, () -> source.get("public-ipv4"));
        assertEquals(1, itemRequests(wm));
    }

    @Test
    void get_threadAlreadyInterrupted_throwsWithoutRequest() {
        stubToken(wm);
        stubItem(wm, "public-ipv4", ok(IP));

        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> source.get("public-ipv4"));
        } finally {
            Thread.interrupted();
        }
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void close_calledTwice_harmless() throws Exception {
        stubToken(wm);
        stubItem(wm, "public-ipv4", ok(IP));
        source.get("public-ipv4");

        source.close();
        source.close();

        // Still closed, and nothing more was asked of the service (issue 23: this test asserted nothing).
        assertThrows(IllegalStateException.class, () -> source.get("public-ipv4"));
        assertEquals(1, tokenRequests(wm));
        assertEquals(1, itemRequests(wm));
    }

    @Test
    void get_afterClose_throwsIllegalState() {
        source.close();

        assertThrows(IllegalStateException.class, () -> source.get("public-ipv4"));
    }

    private ImdsMetadataSource newSource(MetadataSettings settings, Sleeper sleeper) {
        return new ImdsMetadataSource(settings, clock, sleeper, new SplittableRandom(7));
    }

    /** Closes the source under test and puts one with other settings or another sleeper in its place. */
    private void replaceSource(MetadataSettings settings, Sleeper sleeper) {
        source.close();
        source = newSource(settings, sleeper);
    }

    private static void assertWithinJitter(int retry, Duration wait) {
        Duration ceiling = ImdsMetadataSource.BACKOFF.ceiling(retry);
        Duration floor = ceiling.dividedBy(2);
        assertTrue(
                wait.compareTo(floor) >= 0 && wait.compareTo(ceiling) <= 0,
                "wait before retry " + retry + " is " + wait + ", outside [" + floor + ", " + ceiling + "]");
    }
}
