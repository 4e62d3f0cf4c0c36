package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;

/** The watchdog is fed only while polls keep completing. */
class DaemonRunnerHealthTest {
    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");
    // Defaults: 60 s interval, 60 s metadata deadline, 20 s condor time-out: allowance 120 + 60 + 80 = 260 s.
    private final AgentConfig config = new AgentConfigLoader().defaults();

    @Test
    void healthy_recentPoll_true() {
        assertTrue(DaemonRunner.healthy(T, T.plusSeconds(61), config));
        assertTrue(DaemonRunner.healthy(T, T.plusSeconds(260), config));
    }

    @Test
    void healthy_pollLoopStuck_false() {
        assertFalse(DaemonRunner.healthy(T, T.plusSeconds(261), config));
    }

    @Test
    void healthy_neverPolled_false() {
        assertFalse(DaemonRunner.healthy(null, T, config));
    }
}
