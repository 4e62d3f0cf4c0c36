package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.realcondor.SeedBootIT.map;
import static org.seedagent.realcondor.SeedBootIT.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.reliability.Figures;

/**
 * A neighbour file in config.d breaks HTCondor's configuration while the pool runs (a line without
 * {@code =}: measured, a SIGHUP on it makes the running master exit), then the address changes: the agent
 * must not reload, and must say which file and line. Once the file is fixed, without another address
 * change, the withheld reload is done by the agent itself within one poll (the "pending reload"), and the
 * daemons converge on the new address.
 */
class BrokenNeighbourIT {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "203.0.113.20";
    private static final Duration POLL = Duration.ofSeconds(1);
    /** One poll interval plus a margin for a loaded machine (a condor_config_val launch and a JVM per step). */
    private static final Duration ONE_POLL_AND_MARGIN = POLL.plusSeconds(30);

    /** Reloads.reload on main: "the pending reload is done, N s after it was first withheld (K attempt(s); ...". */
    private static final Pattern DONE =
            Pattern.compile("the pending reload is done, (\\d+) s after it was first withheld \\((\\d+) attempt");

    @TempDir
    Path dir;

    @Test
    void brokenNeighbour_changeWithheld_noSighup_fileAndLineNamed_thenFixed_pendingReloadDoneWithinOnePoll()
            throws Exception {
        Instant start = Instant.now();
        try (RealPool rig =
                RealPool.boot(dir, new SeedPool.Options(false), new SeedAgent.Settings("reload", POLL), OLD)) {
            SeedPool pool = rig.pool();
            SeedAgent agent = rig.agent();
            long master = pool.masterPid();
            int sighups = pool.sighupsReceived();
            Path broken = pool.configDirectory().resolve("60-broken");
            Files.writeString(broken, "# written by hand while the pool runs\nthis line has no equals sign\n");

            rig.changeAddress(OLD, NEW);
            String refused = agent.awaitLog("HTCondor's configuration does not parse", Duration.ofSeconds(60));
            assertTrue(refused.startsWith("<3>"), refused);
            assertTrue(refused.contains("Configuration Error Line 2 while reading config source " + broken), refused);
            assertTrue(refused.contains("The reload stays pending and is tried again at every poll"), refused);
            assertTrue(
                    Files.readString(pool.fragment()).contains("TCP_FORWARDING_HOST = " + NEW + "\n"),
                    "the new fragment is in place for the next start or reload");

            // Withheld: the master got no SIGHUP, status names the file and line, the state keeps the reload pending.
            int whileBroken = pool.sighupsReceived() - sighups;
            assertEquals(0, whileBroken, "no SIGHUP on a broken configuration" + rig.diagnostics());
            assertEquals(master, pool.masterPid(), "the master is up and the same");
            SeedAgent.Command status = agent.status();
            assertEquals(1, status.exitCode(), status.stdout());
            assertTrue(
                    status.stdout().contains("Configuration Error Line 2 while reading config source " + broken),
                    status.stdout());
            assertEquals("not-attempted", map(status.json(), "last_reload").get("result"), status.stdout());
            Map<String, Object> pending = map(agent.state(), "pending_reload");
            assertNotNull(pending.get("since"), pending.toString());
            assertTrue(String.valueOf(pending.get("because")).contains(broken.toString()), pending.toString());
            Map<String, Object> shownPending = map(status.json(), "pending_reload");
            assertTrue(String.valueOf(shownPending.get("because")).contains(broken.toString()), status.stdout());

            // Fixed by hand, and nothing else changes: the agent finishes the job by itself.
            Instant fixed = Instant.now();
            Files.delete(broken);
            String done = agent.awaitLog("the pending reload is done", ONE_POLL_AND_MARGIN);
            Duration healed = Duration.between(fixed, Instant.now());
            assertTrue(done.startsWith("<6>"), done);
            Matcher logged = DONE.matcher(done);
            assertTrue(logged.find(), done);
            assertTrue(done.contains(broken.toString()), "it says why it was pending: " + done);
            Duration converged = pool.awaitAdvertised(NEW, Duration.ofSeconds(120));
            assertEquals(sighups + 1, pool.sighupsReceived(), "exactly one SIGHUP, after the fix" + rig.diagnostics());
            assertEquals(master, pool.masterPid(), "the master survived");

            Map<String, Object> state = agent.state();
            assertNull(state.get("pending_reload"), state.toString());
            SeedAgent.Command after = agent.status();
            assertNull(after.json().get("pending_reload"), after.stdout());
            assertEquals("done", map(after.json(), "last_reload").get("result"), after.stdout());

            Figures.of("real-pool broken neighbour, pending reload")
                    .with("healed_after_fix_s", seconds(healed))
                    .with("pending_logged_s", logged.group(1))
                    .with("preflight_attempts", logged.group(2))
                    .with("poll_interval_s", POLL.toSeconds())
                    .with("ads_new_address_after_heal_s", seconds(converged))
                    .with("sighups_while_broken", whileBroken)
                    .with("reloads_per_change", pool.sighupsReceived() - sighups)
                    .with("wall_s", seconds(Duration.between(start, Instant.now())))
                    .record();
        }
    }
}
