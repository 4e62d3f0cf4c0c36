package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.realcondor.SeedBootIT.map;
import static org.seedagent.realcondor.SeedBootIT.result;
import static org.seedagent.realcondor.SeedBootIT.seconds;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.reliability.Figures;
import org.seedagent.support.ProcessResult;

/**
 * The seed of today on real HTCondor (24.0.23 and, in the build's second run, 25.0.13): {@code use FEATURE:
 * HPC_ANNEX}, annex nodes made as {@code htcondor annex} makes them. At boot the agent's fragment makes
 * ANNEX_COLLECTOR the public address and the AP collector answers there with the schedd's ad; {@code check}
 * on the running seed finds no failure in HTCondor's areas; an annex node given that address and an IDTOKEN
 * fetched by a user with the AP key joins the AP collector (authenticated by the token) and runs a job
 * directed to it. Then the address changes: the agent restarts HTCondor once ({@code reload.method = restart},
 * the way that re-advertises within seconds, HPC-ANNEX-FACTS.md section 4), ANNEX_COLLECTOR and the AP collector
 * move, a new annex node joins through the new address and runs a job, the old one cannot, and
 * {@code status --long} names the request recorded for the old one as stranded.
 */
class HpcAnnexSeedIT {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "198.51.100.7";
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final List<String> HTCONDOR_AREAS =
            List.of("htcondor", "central-manager", "submit-node", "networking", "security");

    @TempDir
    Path dir;

    @Test
    void hpcAnnexSeed_annexJoinsByToken_runsAJob_addressChangeMovesTheApCollector_oldRequestStranded()
            throws Exception {
        Instant start = Instant.now();
        try (RealPool rig = RealPool.boot(dir, SeedPool.Options.hpcAnnexSeed(), SeedAgent.Settings.restart(), OLD)) {
            SeedPool pool = rig.pool();
            SeedAgent agent = rig.agent();

            // Boot: the fragment is what annex nodes are given; the AP collector answers there with the schedd's ad.
            String oldCollector = pool.annexCollector();
            assertEquals(OLD + ":9618?sock=ap_collector", oldCollector);
            Duration apReady = pool.await(
                    "the AP collector at " + oldCollector + " holds the schedd's ad",
                    WAIT,
                    () -> pool.statusAt(oldCollector, "-schedd", "-af", "Name", "MyAddress")
                                    .size()
                            == 1);
            String[] schedd = pool.statusAt(oldCollector, "-schedd", "-af", "Name", "MyAddress")
                    .get(0)
                    .split(" ");
            assertEquals(SeedPool.HOSTNAME, schedd[0]);
            assertTrue(schedd[1].startsWith("<" + OLD + ":9618?"), schedd[1]);

            // check on the running seed: no failure in HTCondor's areas; the htcondor annex checks pass.
            SeedAgent.Command check = agent.check();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> results =
                    (List<Map<String, Object>>) check.json().get("results");
            List<String> failing = results.stream()
                    .filter(r -> HTCONDOR_AREAS.contains(r.get("area")))
                    .filter(r -> "failure".equals(r.get("severity")))
                    .map(r -> r.get("id") + ": " + r.get("finding"))
                    .toList();
            assertEquals(List.of(), failing, check.stdout());
            for (String id : List.of(
                    "htcondor-release",
                    "annex-collector",
                    "ap-collector",
                    "annex-signing-key",
                    "collector-address",
                    "forwarding-in-effect",
                    "trust-domain")) {
                assertEquals("ok", result(check, id).get("severity"), id + ": " + check.stdout());
            }
            assertTrue(
                    String.valueOf(result(check, "ap-collector").get("finding"))
                            .contains("holds one schedd ad, " + SeedPool.HOSTNAME),
                    check.stdout());
            assertTrue(
                    String.valueOf(result(check, "htcondor-release").get("finding"))
                            .startsWith(
                                    "HTCondor " + RealHtcondor.version() + "; annex nodes come from `htcondor annex`"),
                    check.stdout());

            // A user asks for an annex: their token (signed by the AP key) and the request in the queue.
            PoolUser user = PoolUser.create(pool, dir);
            String token = user.fetchToken();
            String request = user.submit(
                    "request.sub",
                    String.join(
                            "\n",
                            "universe = local",
                            "executable = /bin/true",
                            "hold = true",
                            "+hpc_annex_name = \"annex-one\"",
                            "+hpc_annex_collector = \"" + oldCollector + "\"",
                            "+hpc_annex_request_id = \"req-annex-one\"",
                            "queue",
                            ""));
            AnnexNode one = rig.htcondorAnnex("annex-one", "192.0.2.44", oldCollector, schedd[0], token);
            Duration oneJoined = awaitJoined(pool, one, oldCollector);
            Duration oneRan = awaitJobRuns(pool, user, "annex-one");

            // The address changes: one restart, ANNEX_COLLECTOR and the AP collector move.
            int starts = pool.masterStarts();
            Instant changed = Instant.now();
            rig.changeAddress(OLD, NEW);
            String newCollector = NEW + ":9618?sock=ap_collector";
            pool.await(
                    "ANNEX_COLLECTOR is " + newCollector,
                    WAIT,
                    () -> pool.annexCollector().equals(newCollector));
            // On 24.0.23 this took 1.5-19.5 s in three CI runs and 154.7 s in a fourth (the schedd's ad reached
            // the AP collector at a later update): waited up to one SCHEDD_INTERVAL (300 s) and a minute.
            Duration apMoved = pool.await(
                    "the AP collector answers at " + newCollector + " with the schedd's new address",
                    Duration.ofSeconds(360),
                    () -> pool.statusAt(newCollector, "-schedd", "-af", "MyAddress").stream()
                            .anyMatch(a -> a.startsWith("<" + NEW + ":")));
            Duration moved = Duration.between(changed, Instant.now());
            assertEquals(starts + 1, pool.masterStarts(), "one restart for one change" + pool.diagnostics());

            // A new annex node given the new address joins and runs a job; the old one is not in the AP collector.
            AnnexNode two = rig.htcondorAnnex("annex-two", "192.0.2.45", newCollector, schedd[0], token);
            Duration twoJoined = awaitJoined(pool, two, newCollector);
            Duration twoRan = awaitJobRuns(pool, user, "annex-two");
            assertTrue(
                    pool.statusAt(newCollector, "-startd", "-af", "AnnexName").stream()
                            .noneMatch("annex-one"::equals),
                    "the old annex node cannot reach the moved AP collector" + rig.diagnostics());

            // The agent asked the queue itself after the change (one condor_q), logged and recorded what it found.
            Map<String, Object> expected = Map.of("cluster", request, "name", "annex-one", "collector", oldCollector);
            pool.await(
                    "seed-agent records the request the change stranded",
                    WAIT,
                    () -> agent.state().get("stranded_annexes") instanceof Map<?, ?> m
                            && List.of(expected).equals(m.get("requests")));
            assertTrue(
                    agent.log()
                            .contains("the change to " + NEW + " stranded 1 htcondor annex request(s), whose nodes"
                                    + " cannot reach this seed any more: annex-one (job " + request + ", given "
                                    + oldCollector + ")"),
                    agent.log());
            SeedAgent.Command plain = agent.status();
            Map<String, Object> recorded = map(plain.json(), "stranded_annexes");
            assertEquals("recorded", recorded.get("source"), plain.stdout());
            assertEquals(NEW, recorded.get("change_to"), plain.stdout());
            assertEquals(List.of(expected), recorded.get("requests"), plain.stdout());

            // status --long asks the queue again, live, and names the request the change stranded.
            SeedAgent.Command status = agent.statusLong();
            Map<String, Object> stranded = map(status.json(), "stranded_annexes");
            assertEquals(newCollector, stranded.get("annex_collector"), status.stdout());
            assertEquals("live", stranded.get("source"), status.stdout());
            assertEquals(List.of(expected), stranded.get("requests"), status.stdout());
            Map<String, Object> htcondor = map(status.json(), "htcondor");
            assertEquals("htcondor-annex", htcondor.get("annex_tool"), status.stdout());
            assertEquals(RealHtcondor.version(), htcondor.get("release"), status.stdout());
            assertEquals(newCollector, htcondor.get("annex_collector"), status.stdout());
            String text = agent.statusLongText().stdout();
            assertTrue(
                    text.contains("Stranded:     1 annex was given an old address")
                            && text.contains("annex-one (job " + request + ", given " + oldCollector + ")"),
                    text);
            assertTrue(
                    agent.log()
                            .contains(
                                    "HTCondor " + RealHtcondor.version() + "; annex nodes come from `htcondor annex`"),
                    agent.log());

            Figures.of("real-pool htcondor annex seed, HTCondor " + RealHtcondor.version())
                    .with("ap_collector_ready_s", seconds(apReady))
                    .with("annex_join_s", seconds(oneJoined))
                    .with("annex_job_ran_s", seconds(oneRan))
                    .with("ap_collector_moved_s", seconds(moved))
                    .with("ap_collector_moved_after_config_s", seconds(apMoved))
                    .with("restarts_per_change", pool.masterStarts() - starts)
                    .with("new_annex_join_s", seconds(twoJoined))
                    .with("new_annex_job_ran_s", seconds(twoRan))
                    .with("wall_s", seconds(Duration.between(start, Instant.now())))
                    .record();
        }
    }

    /** Waits until {@code node}'s startd is in the AP collector, authenticated by its token as the user. */
    private static Duration awaitJoined(SeedPool pool, AnnexNode node, String collector)
            throws IOException, InterruptedException {
        String identity = PoolUser.NAME + "@" + SeedPool.HOSTNAME;
        try {
            return pool.await(
                    node.name() + " joins the AP collector at " + collector + " as " + identity + " by IDTOKENS",
                    WAIT,
                    () -> pool.statusAt(
                                    collector,
                                    "-startd",
                                    "-af",
                                    "AnnexName",
                                    "AuthenticatedIdentity",
                                    "AuthenticationMethod")
                            .contains(node.name() + " " + identity + " IDTOKENS"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + node.diagnostics(), e);
        }
    }

    /** Submits a job for annex {@code annex} as the user and waits until it has run there. */
    private static Duration awaitJobRuns(SeedPool pool, PoolUser user, String annex)
            throws IOException, InterruptedException {
        String cluster = user.submit(
                annex + ".sub",
                String.join(
                        "\n",
                        "universe = vanilla",
                        "executable = /bin/true",
                        "transfer_executable = false",
                        "should_transfer_files = YES",
                        "when_to_transfer_output = ON_EXIT",
                        "log = " + annex + ".log",
                        "request_memory = 1",
                        "+TargetAnnexName = \"" + annex + "\"",
                        "queue",
                        ""));
        return pool.await("job " + cluster + " runs on " + annex, WAIT, () -> {
            ProcessResult history = pool.tool(
                    null,
                    null,
                    "condor_history",
                    "-constraint",
                    "ClusterId == " + cluster,
                    "-af",
                    "JobStatus",
                    "LastRemoteHost");
            return history.succeeded()
                    && history.stdout().strip().startsWith("4 ")
                    && history.stdout().contains(annex);
        });
    }
}
