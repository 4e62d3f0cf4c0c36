package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigException;
import org.seedagent.config.ConfigKey;

/** The watchdog is fed only while polls keep completing. */
class DaemonRunnerHealthTest {
    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");
    /**
     * Defaults: 60 s interval, 60 s metadata deadline, 20 s condor time-out, reload.method = restart (which may take
     * 180 s): allowance 120 + 60 + 3 x 20 + 180 = 420 s.
     */
    private final AgentConfig config = new AgentConfigLoader().defaults();

    @Test
    void healthy_recentPoll_true() {
        assertTrue(DaemonRunner.healthy(T, T.plusSeconds(61), config));
        assertTrue(DaemonRunner.healthy(T, T.plusSeconds(420), config), "a poll whose restart took 180 s");
    }

    @Test
    void healthy_pollLoopStuck_false() {
        assertFalse(DaemonRunner.healthy(T, T.plusSeconds(421), config));
    }

    @Test
    void reloadMethodReload_allowanceAsBefore_120Plus60Plus80() throws ConfigException {
        AgentConfig reload = new AgentConfigLoader().fromValues(null, Map.of(ConfigKey.RELOAD_METHOD, "reload"));
        assertTrue(DaemonRunner.healthy(T, T.plusSeconds(260), reload));
        assertFalse(DaemonRunner.healthy(T, T.plusSeconds(261), reload));
    }

    @Test
    void healthy_neverPolled_false() {
        assertFalse(DaemonRunner.healthy(null, T, config));
    }
}
