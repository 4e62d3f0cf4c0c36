package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.seedagent.realcondor.SeedBootIT.map;
import static org.seedagent.realcondor.SeedBootIT.seconds;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.reliability.Figures;

/**
 * {@code reload.method = restart} with shared port ON, the case it exists for: after a reload the daemons
 * would keep advertising the old address until their shared-port refresh (about 300 s); after the agent's
 * {@code systemctl restart condor.service} (SIGQUIT, wait, start, as HTCondor's unit does it) a new master
 * and its daemons advertise the new address within seconds.
 */
class RestartMethodIT {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "203.0.113.20";
    /** Well under the ~300 s shared-port refresh: only a restart can converge within it. */
    private static final Duration UNDER_THE_REFRESH = Duration.ofSeconds(150);

    @TempDir
    Path dir;

    @Test
    void restartMethod_sharedPort_newMasterAdvertisesTheNewAddressWellBeforeTheSharedPortRefresh() throws Exception {
        Instant start = Instant.now();
        try (RealPool rig = RealPool.boot(dir, new SeedPool.Options(true), SeedAgent.Settings.restart(), OLD)) {
            SeedPool pool = rig.pool();
            SeedAgent agent = rig.agent();
            long before = pool.masterPid();

            Instant changed = Instant.now();
            rig.changeAddress(OLD, NEW);
            agent.awaitLog("reloaded HTCondor: systemctl restart condor.service", Duration.ofSeconds(90));
            Duration restarted = Duration.between(changed, Instant.now());
            pool.awaitAdvertised(NEW, UNDER_THE_REFRESH);
            Duration readvertised = Duration.between(changed, Instant.now());

            long after = pool.masterPid();
            assertNotEquals(before, after, "a new master");
            assertFalse(SeedPool.masterAlive(before), "the old master is gone");
            assertEquals(2, pool.masterStarts(), pool.diagnostics());
            assertEquals(0, pool.sighupsReceived(), "a restart, not a reload" + pool.diagnostics());

            pool.await(
                    "the agent records the convergence",
                    Duration.ofSeconds(60),
                    () -> Boolean.TRUE.equals(map(agent.state(), "advertised").get("converged")));
            Map<String, Object> record = map(agent.state(), "advertised");
            SeedAgent.Command status = agent.status();
            Map<String, Object> reload = map(status.json(), "last_reload");
            assertEquals("restart", reload.get("method"), status.stdout());
            assertEquals("done", reload.get("result"), status.stdout());
            assertEquals(Boolean.TRUE, map(status.json(), "advertised").get("caught_up"), status.stdout());
            assertEquals(
                    1,
                    agent.log()
                            .lines()
                            .filter(l -> l.contains("reloaded HTCondor: systemctl restart"))
                            .count(),
                    agent.log());

            Figures.of("real-pool reload.method=restart, shared port")
                    .with("restart_done_s", seconds(restarted))
                    .with("ads_new_address_s", seconds(readvertised))
                    .with("agent_converged_after_s", record.get("converged_after_seconds"))
                    .with("restarts_per_change", pool.masterStarts() - 1)
                    .with("wall_s", seconds(Duration.between(start, Instant.now())))
                    .record();
        }
    }
}
