package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.realcondor.SeedBootIT.map;
import static org.seedagent.realcondor.SeedBootIT.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.reliability.Figures;

/**
 * The seed's public address changes under a live pool without shared port (so HTCondor re-advertises
 * within seconds of a reload): an annex node that joined through the old address, the agent's one reload
 * (SIGHUPs counted in the real MasterLog), the seed's ads, a new annex node given the new address, the
 * old node cut off, and what {@code seed-agent status} and the journal say about it.
 */
class AddressChangeIT {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "203.0.113.20";
    private static final Pattern ADVERTISED_AFTER =
            Pattern.compile("advertise " + Pattern.quote(NEW) + " \\((-?\\d+) s after the reload\\)");

    @TempDir
    Path dir;

    @Test
    void addressChange_noSharedPort_oneReload_seedReadvertises_newAnnexJoins_oldAnnexCutOff_statusReportsIt()
            throws Exception {
        Instant start = Instant.now();
        try (RealPool rig = RealPool.boot(dir, new SeedPool.Options(false), SeedAgent.Settings.reload(), OLD)) {
            SeedPool pool = rig.pool();
            SeedAgent agent = rig.agent();
            AnnexNode old = rig.annex("annex1", "198.51.100.5", OLD);
            Duration oldJoined = old.awaitSlotIn(pool, Duration.ofSeconds(120));
            long master = pool.masterPid();
            int sighups = pool.sighupsReceived();

            Instant changed = Instant.now();
            rig.changeAddress(OLD, NEW);
            Duration rewritten = pool.await(
                    "the fragment names " + NEW,
                    Duration.ofSeconds(60),
                    () -> Files.readString(pool.fragment()).contains("TCP_FORWARDING_HOST = " + NEW + "\n"));
            pool.awaitAdvertised(NEW, Duration.ofSeconds(120));
            Duration seedAdvertised = Duration.between(changed, Instant.now());

            AnnexNode fresh = rig.annex("annex2", "198.51.100.6", NEW);
            Duration freshJoined = fresh.awaitSlotIn(pool, Duration.ofSeconds(120));
            // The old node's updates go to an address that no longer exists: its slot ages out (CLASSAD_LIFETIME 20 s).
            Duration oldGone = old.awaitSlotGoneFrom(pool, Duration.ofSeconds(120));
            assertTrue(
                    SeedPool.masterAlive(old.masterPid()),
                    "the old annex node still runs, it just cannot reach the seed");
            assertTrue(
                    fresh.slotIn(pool).isPresent(), "the new annex node is still in the collector" + rig.diagnostics());

            // One change, one reload, received by the same master (many polls have passed meanwhile).
            assertEquals(sighups + 1, pool.sighupsReceived(), "SIGHUPs the master received" + rig.diagnostics());
            assertEquals(master, pool.masterPid());
            assertEquals(1, pool.masterStarts());

            String log = agent.log();
            assertTrue(log.contains("<4>public address changed from " + OLD + " to " + NEW), log);
            assertTrue(
                    log.contains("Annex nodes already running were configured with the old collector address and will"
                            + " not rejoin"),
                    log);
            assertEquals(
                    1,
                    log.lines()
                            .filter(l -> l.contains("reloaded HTCondor: systemctl reload condor.service"))
                            .count(),
                    log);
            String converged = agent.awaitLog("HTCondor's daemons advertise " + NEW, Duration.ofSeconds(30));
            Matcher after = ADVERTISED_AFTER.matcher(converged);
            assertTrue(after.find(), converged);

            SeedAgent.Command status = agent.status();
            Map<String, Object> json = status.json();
            assertEquals(NEW, map(json, "address").get("current"), status.stdout());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> changes = (List<Map<String, Object>>) json.get("changes");
            Map<String, Object> last = changes.get(changes.size() - 1);
            assertEquals(OLD, last.get("from"), status.stdout());
            assertEquals(NEW, last.get("to"), status.stdout());
            Map<String, Object> reload = map(json, "last_reload");
            assertEquals("done", reload.get("result"), status.stdout());
            assertEquals("reload", reload.get("method"), status.stdout());
            Map<String, Object> shown = map(json, "advertised");
            assertEquals(NEW, shown.get("expected"), status.stdout());
            assertEquals(Boolean.TRUE, shown.get("caught_up"), status.stdout());
            assertEquals(
                    Map.of("master", NEW, "schedd", NEW, "collector", NEW), map(shown, "addresses"), status.stdout());
            Map<String, Object> record = map(agent.state(), "advertised");
            assertEquals(Boolean.TRUE, record.get("converged"), agent.state().toString());

            Figures.of("real-pool address change, no shared port")
                    .with("annex_join_s", seconds(oldJoined))
                    .with("fragment_rewritten_s", seconds(rewritten))
                    .with("seed_ads_new_address_s", seconds(seedAdvertised))
                    .with("agent_converged_after_s", record.get("converged_after_seconds"))
                    .with("reloads_per_change", pool.sighupsReceived() - sighups)
                    .with("new_annex_join_s", seconds(freshJoined))
                    .with("old_annex_slot_gone_s", seconds(oldGone))
                    .with("wall_s", seconds(Duration.between(start, Instant.now())))
                    .record();
            // A time, so never negative: measured from the reload to the poll that saw the new address.
            assertTrue(Long.parseLong(after.group(1)) >= 0, "negative convergence time in the log: " + converged);
            assertTrue(
                    ((Number) record.get("converged_after_seconds")).longValue() >= 0,
                    "negative converged_after_seconds in state.json: " + record);
        }
    }
}
