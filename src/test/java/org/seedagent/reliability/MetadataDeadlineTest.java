package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.support.Sleeper;

/**
 * {@code metadata.deadline} is a promise to HTCondor (at boot it waits at most this long) and to the
 * watchdog. These tests use the real clock, as in production, against a service that keeps every single
 * read within the request time-out yet takes far longer than the deadline as a whole. Bounds are loose:
 * they tell "bounded by the deadline" from "bounded by the server's patience", never measure speed.
 */
class MetadataDeadlineTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /** A byte every 300 ms: each read well within the 500 ms time-out, 12 bytes take 3.6 s. */
    private static final Duration GAP = Duration.ofMillis(300);

    private static MetadataSettings settings(RawImds imds) {
        return new MetadataSettings(imds.endpoint(), Duration.ofHours(6), REQUEST_TIMEOUT, DEADLINE);
    }

    @Test
    void publicIpv4_bodyTrickledPastTheDeadline_givesUpWithinTwoRequestTimeoutsOfIt() throws Exception {
        assertGivesUpInTime(
                "body trickled",
                (request, exchange) -> exchange.trickle("203.0.113.10".getBytes(StandardCharsets.US_ASCII), GAP));
    }

    @Test
    void publicIpv4_headersTrickledPastTheDeadline_givesUpWithinTwoRequestTimeoutsOfIt() throws Exception {
        assertGivesUpInTime(
                "headers trickled",
                (request, exchange) ->
                        exchange.trickleHeaders("203.0.113.10".getBytes(StandardCharsets.US_ASCII), GAP));
    }

    @Test
    void publicIpv4_slowButWithinTheRequestTimeout_answered() throws Exception {
        try (RawImds imds = RawImds.start("203.0.113.10")) {
            imds.failPublicIpv4(
                    (request, exchange) -> {
                        Thread.sleep(150);
                        exchange.respond(200, "198.51.100.7");
                    },
                    Integer.MAX_VALUE);
            try (ImdsMetadataSource source =
                    new ImdsMetadataSource(settings(imds), Clock.systemUTC(), Sleeper.SYSTEM)) {
                assertEquals(
                        "198.51.100.7",
                        new InstanceMetadata(source).publicIpv4().orElseThrow().text());
            }
        }
    }

    private static void assertGivesUpInTime(String what, RawImds.Fault fault) throws Exception {
        try (RawImds imds = RawImds.start("203.0.113.10")) {
            imds.failPublicIpv4(fault, Integer.MAX_VALUE);
            try (ImdsMetadataSource source =
                    new ImdsMetadataSource(settings(imds), Clock.systemUTC(), Sleeper.SYSTEM)) {
                long start = System.nanoTime();
                MetadataException e =
                        assertThrows(MetadataException.class, () -> new InstanceMetadata(source).publicIpv4());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(MetadataException.Kind.UNAVAILABLE, e.kind(), e.getMessage());
                assertTrue(
                        e.getMessage()
                                .contains("no complete answer to GET /latest/meta-data/public-ipv4 within 500 ms"),
                        e.getMessage());
                // Deadline 1 s + two request time-outs (1 s), plus slack for a loaded machine; one trickled
                // answer alone takes 3.6 s (body) or 35 s (headers).
                assertTrue(
                        took.compareTo(Duration.ofMillis(3000)) < 0,
                        "took " + took.toMillis() + " ms: " + e.getMessage());
                Figures.of("metadata deadline, " + what)
                        .with("deadline_ms", DEADLINE.toMillis())
                        .with("request_timeout_ms", REQUEST_TIMEOUT.toMillis())
                        .with("byte_every_ms", GAP.toMillis())
                        .with("gave_up_after_ms", took.toMillis())
                        .record();
            }
        }
    }
}
