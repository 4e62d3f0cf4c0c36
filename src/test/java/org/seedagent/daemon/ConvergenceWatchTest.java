package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.state.DaemonState;

/**
 * Convergence is not recorded while a normal user's tools still cannot reach the schedd (issue 25): its address file
 * moves first, the local ad those tools read at the schedd's next ad update.
 */
class ConvergenceWatchTest {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "198.51.100.7";
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void addressFilesOnTheNewAddress_localAdNot_notConverged_thenConverged() throws Exception {
        Map<String, String> knobs = Map.of(
                "MASTER_ADDRESS_FILE", write(".master_address", sinful(NEW)),
                "SCHEDD_ADDRESS_FILE", write(".schedd_address", sinful(NEW)),
                "COLLECTOR_ADDRESS_FILE", write(".collector_address", sinful(NEW)),
                "SCHEDD_DAEMON_AD_FILE", write(".schedd_classad", "MyAddress = \"" + sinful(OLD) + "\"\n"));
        ConvergenceWatch watch = new ConvergenceWatch();
        DaemonState state = new DaemonState();
        watch.start(NEW, T0);

        assertEquals(
                ConvergenceWatch.Next.NOTHING,
                watch.follow(T0.plusSeconds(5), knobs, state, Duration.ofMinutes(10), "condor.service"));
        assertFalse(state.advertised.converged(), "users still locked out");

        write(".schedd_classad", "MyAddress = \"" + sinful(NEW) + "\"\n");
        assertEquals(
                ConvergenceWatch.Next.CONVERGED,
                watch.follow(T0.plusSeconds(9), knobs, state, Duration.ofMinutes(10), "condor.service"));
        assertTrue(state.advertised.converged());
        assertEquals(9L, state.advertised.convergedAfterSeconds());
    }

    private String write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text.endsWith("\n") ? text : text + "\n");
        return file.toString();
    }

    private static String sinful(String host) {
        return "<" + host + ":9618?addrs=" + host + "-9618&noUDP&sock=x>";
    }
}
