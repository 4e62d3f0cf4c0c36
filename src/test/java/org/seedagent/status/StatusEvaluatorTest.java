package org.seedagent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seedagent.checks.Area;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.Knob;
import org.seedagent.condor.KnobLocation;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigKey;
import org.seedagent.config.ReloadMethod;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.state.BootSyncOutcome;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.Poll;
import org.seedagent.state.SpotInterruption;
import org.seedagent.state.StateCodec;
import org.seedagent.status.StatusFacts.AddressRead;
import org.seedagent.status.StatusFacts.FragmentRead;
import org.seedagent.status.StatusFacts.Read;
import org.seedagent.status.StatusFacts.StateRead;
import org.seedagent.sync.SyncResult;

/**
 * The pure evaluation, on facts built in memory: the decisions the end-to-end tests do not reach easily
 * (thresholds, clock skew, a starting agent, a removed fragment, malformed check entries, escaping).
 */
class StatusEvaluatorTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final String FRAGMENT = "/etc/condor/config.d/50-seed-agent.conf";
    private static final String ADDRESS = "203.0.113.10";
    private static final String SHA = "ab".repeat(32);

    /** A healthy seed's facts, to change one thing at a time. */
    private final class Facts {
        final Map<ConfigKey, String> settings = new EnumMap<>(ConfigKey.class);
        DaemonState state = new DaemonState();
        StateRead stateRead;
        FragmentRead fragment = new FragmentRead(Path.of(FRAGMENT), Read.OK, SHA, null);
        CondorEvaluation condor = forwarding(ADDRESS, FRAGMENT, 7);
        List<AddressRead> addresses = new ArrayList<>(List.of(
                new AddressRead("master", "/var/log/condor/.master_address", Read.OK, ADDRESS, null),
                new AddressRead("schedd", "/var/lib/condor/spool/.schedd_address", Read.OK, ADDRESS, null)));
        SystemdView systemd = SystemdView.unavailable("systemctl cannot be run: No such file or directory");
        Instant boot = NOW.minusSeconds(7200);
        SystemdView guard;
        org.seedagent.guard.GuardRecord guardRecord;
        Boolean processAlive;

        Facts() {
            state.version = "1.0.0";
            state.pid = 4242;
            state.startedAt = NOW.minusSeconds(7100);
            state.heartbeat = NOW.minusSeconds(30);
            state.bootSync = new BootSyncOutcome(state.startedAt, SyncResult.Action.WRITTEN, "wrote it");
            state.currentAddress = ADDRESS;
            state.addressKind = AddressKind.PUBLIC;
            state.addressSince = state.startedAt;
            state.fragmentPath = FRAGMENT;
            state.fragmentSha256 = SHA;
            state.lastPoll = Poll.ok(state.heartbeat, "unchanged");
            state.lastSuccess = state.heartbeat;
        }

        StatusReport report() throws Exception {
            AgentConfig config = new AgentConfigLoader().fromValues(null, settings);
            StateRead read = stateRead != null
                    ? stateRead
                    : new StateRead(Path.of("/var/lib/seed-agent/state.json"), Read.OK, state, null);
            return StatusEvaluator.evaluate(new StatusFacts(
                    NOW,
                    config,
                    read,
                    fragment,
                    condor,
                    addresses,
                    systemd,
                    boot,
                    null,
                    guard,
                    guardRecord,
                    processAlive,
                    null));
        }
    }

    static CondorEvaluation forwarding(String value, String file, int line) {
        List<Knob> knobs = new ArrayList<>();
        if (value != null) {
            knobs.add(new Knob("TCP_FORWARDING_HOST", value, new KnobLocation(file, line, null), value, null));
        }
        return new CondorEvaluation.Evaluated(CondorConfigView.of("vm", knobs));
    }

    private static List<String> texts(StatusReport report, Finding.Level level) {
        return report.findings.stream()
                .filter(f -> f.level() == level)
                .map(Finding::text)
                .toList();
    }

    @Test
    void healthy_noFindings_exit0() throws Exception {
        StatusReport report = new Facts().report();

        assertEquals(Health.HEALTHY, report.health());
        assertEquals(List.of(), report.findings);
        assertEquals(AgentState.RUNNING, report.agent);
    }

    @Test
    void imdsGuardUnitFailed_failure_namesTheUnitAndTheJournal_activeGuard_nothing() throws Exception {
        Facts facts = new Facts();
        facts.guard = SystemdView.parse("LoadState=loaded\nActiveState=failed\nSubState=failed\nResult=exit-code\n");

        StatusReport report = facts.report();

        assertEquals(Health.NEEDS_ATTENTION, report.health());
        List<String> failures = texts(report, Finding.Level.FAILURE);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("seed-agent-imds-guard.service failed (exit-code)"), failures.get(0));
        assertTrue(
                report.text(false, false).contains("journalctl -b -u seed-agent-imds-guard"),
                report.text(false, false));

        facts.guard = SystemdView.parse("LoadState=loaded\nActiveState=active\nSubState=exited\nResult=success\n");
        assertEquals(Health.HEALTHY, facts.report().health());
        facts.guard = SystemdView.parse("LoadState=not-found\nActiveState=inactive\n");
        assertEquals(Health.HEALTHY, facts.report().health());
    }

    /** Issue 21: an active guard unit proves nothing once a flush removed its table; its watch's word does. */
    @Test
    void imdsGuardActive_tableGoneOrUnwatched_saysSo_presentNothing() throws Exception {
        Facts facts = new Facts();
        facts.guard = SystemdView.parse("LoadState=loaded\nActiveState=active\nSubState=exited\nResult=success\n");
        Instant applied = NOW.minusSeconds(3600);

        facts.guardRecord = org.seedagent.guard.GuardRecord.confirmed(applied);
        assertEquals(Health.HEALTHY, facts.report().health());

        facts.guardRecord = new org.seedagent.guard.GuardRecord(null, org.seedagent.guard.GuardRecord.Table.ABSENT);
        StatusReport gone = facts.report();
        assertEquals(Health.NEEDS_ATTENTION, gone.health());
        assertEquals(
                List.of("the IMDS guard's table is gone from the kernel: seed-agent-imds-guard-watch.service saw it"
                        + " removed (a flush of the rule set?) and could not load it again, so local users may reach the"
                        + " instance metadata service and the instance profile's credentials"),
                texts(gone, Finding.Level.FAILURE));

        facts.guardRecord =
                new org.seedagent.guard.GuardRecord(applied, org.seedagent.guard.GuardRecord.Table.UNWATCHED);
        StatusReport unwatched = facts.report();
        List<String> warnings = texts(unwatched, Finding.Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0).startsWith("seed-agent-imds-guard-watch.service is not running: nothing confirms"),
                warnings.get(0));
        assertTrue(
                unwatched
                        .text(false, false)
                        .contains("systemctl restart seed-agent-imds-guard.service (it starts" + " the watch)"),
                unwatched.text(false, false));
    }

    @Test
    void heartbeat_exactlyAtTheThreshold_running_oneSecondLater_stale() throws Exception {
        Facts facts = new Facts();
        // 3 x 60 s + metadata.deadline 60 s + the restart's 180 s
        facts.state.heartbeat = NOW.minusSeconds(420);
        assertEquals(AgentState.RUNNING, facts.report().agent);

        facts.state.heartbeat = NOW.minusSeconds(421);
        assertEquals(AgentState.STALE, facts.report().agent);
        assertEquals(3, facts.report().exitCode());
    }

    /** Issue 22: stopped, crashed and stale told apart; without systemd, from the state file and /proc alone. */
    @Test
    void staleHeartbeat_noCleanStop_processGone_crashed_stillThere_stale_systemdFailed_crashed() throws Exception {
        Facts facts = new Facts();
        facts.state.heartbeat = NOW.minusSeconds(900);
        facts.processAlive = false;
        StatusReport gone = facts.report();
        assertEquals(AgentState.CRASHED, gone.agent);
        assertEquals(3, gone.exitCode());
        assertTrue(gone.text(false, false).startsWith("seed-agent: not running (crashed)\n"), gone.text(false, false));
        assertEquals(
                List.of("seed-agent crashed: its process (pid 4242) is gone without a clean stop; last heartbeat"
                        + " 15 min ago"),
                texts(gone, Finding.Level.FAILURE));

        facts.processAlive = true;
        assertEquals(AgentState.STALE, facts.report().agent, "still there, not writing: it hangs");
        facts.processAlive = null;
        assertEquals(AgentState.STALE, facts.report().agent, "/proc cannot tell: judged by the heartbeat alone");

        facts.processAlive = false;
        facts.state.cleanStop = NOW.minusSeconds(900);
        assertEquals(AgentState.STOPPED, facts.report().agent, "a clean stop was recorded");

        facts.state.cleanStop = null;
        facts.systemd = SystemdView.parse("LoadState=loaded\nActiveState=failed\nSubState=failed\nResult=signal\n");
        StatusReport failed = facts.report();
        assertEquals(AgentState.CRASHED, failed.agent);
        assertTrue(
                texts(failed, Finding.Level.FAILURE).get(0).startsWith("seed-agent crashed: systemd: failed (signal)"),
                texts(failed, Finding.Level.FAILURE).toString());
        for (String result : List.of("core-dump", "watchdog", "oom-kill")) {
            facts.systemd =
                    SystemdView.parse("LoadState=loaded\nActiveState=failed\nSubState=failed\nResult=" + result + "\n");
            assertEquals(AgentState.CRASHED, facts.report().agent, result);
        }
        // Failed, but not a crash: an invalid configuration at start (exit 78), too many restarts.
        for (String result : List.of("exit-code", "start-limit-hit", "timeout")) {
            facts.systemd =
                    SystemdView.parse("LoadState=loaded\nActiveState=failed\nSubState=failed\nResult=" + result + "\n");
            assertEquals(AgentState.STOPPED, facts.report().agent, result);
        }
    }

    @Test
    void staleThreshold_followsThePollInterval() throws Exception {
        Facts facts = new Facts();
        facts.settings.put(ConfigKey.POLL_INTERVAL, "5m");
        facts.state.heartbeat = NOW.minusSeconds(900);

        assertEquals(AgentState.RUNNING, facts.report().agent);
    }

    @Test
    void heartbeatInTheFuture_clockSkew_stillRunning() throws Exception {
        Facts facts = new Facts();
        facts.state.heartbeat = NOW.plusSeconds(90);

        assertEquals(Health.HEALTHY, facts.report().health());
    }

    @Test
    void noStateYet_systemdActivating_starting_exit3_warningNotFailure() throws Exception {
        Facts facts = new Facts();
        facts.stateRead = new StateRead(Path.of("/var/lib/seed-agent/state.json"), Read.MISSING, null, "no such file");
        facts.systemd = SystemdView.parse("ActiveState=activating\nSubState=start\nLoadState=loaded\nMainPID=77\n");

        StatusReport report = facts.report();

        assertEquals(AgentState.STARTING, report.agent);
        assertEquals(3, report.exitCode());
        assertEquals(1, texts(report, Finding.Level.WARNING).size());
        assertTrue(report.text(false, false).startsWith("seed-agent: not running (starting)\n"));
    }

    @Test
    void stateWithoutHeartbeatFromThisBoot_noSystemd_stopped() throws Exception {
        Facts facts = new Facts();
        facts.boot = NOW.minusSeconds(10);

        assertEquals(AgentState.STOPPED, facts.report().agent);
    }

    @Test
    void bootTimeUnknown_judgedByHeartbeatAlone() throws Exception {
        Facts facts = new Facts();
        facts.boot = null;

        assertEquals(AgentState.RUNNING, facts.report().agent);
    }

    @Test
    void agentRemovedTheFragment_andItIsAbsent_asExpected() throws Exception {
        Facts facts = new Facts();
        facts.state.currentAddress = null;
        facts.state.fragmentSha256 = null;
        facts.fragment = new FragmentRead(Path.of(FRAGMENT), Read.MISSING, null, "no such file");
        facts.condor = forwarding(null, null, 0);

        StatusReport report = facts.report();

        assertEquals(Boolean.TRUE, report.fragment.matches());
        assertNull(report.forwarding.inEffect());
        assertTrue(report.text(false, false).contains("absent, as the agent left it"), report.text(false, false));
        assertEquals(Health.HEALTHY, report.health());
    }

    @Test
    void privateAddress_shownAsSuch_notAProblem() throws Exception {
        Facts facts = new Facts();
        facts.state.addressKind = AddressKind.PRIVATE;

        StatusReport report = facts.report();

        assertTrue(report.text(false, false).contains("(private address: the instance has no public IPv4)"));
        assertEquals(Health.HEALTHY, report.health());
    }

    @Test
    void spotInterruptionNotice_asAPersonReadsIt_failure_withTimeLeft_structuredInJson() throws Exception {
        Facts facts = new Facts();
        // As the daemon stores it: the action, and EC2's time (NOW is 12:00:00 UTC).
        facts.state.spotInterruption = new SpotInterruption(
                NOW.minusSeconds(2), "terminate", NOW.plusSeconds(118).toString());

        StatusReport report = facts.report();

        assertEquals(Health.NEEDS_ATTENTION, report.health());
        String text = texts(report, Finding.Level.FAILURE).get(0);
        assertTrue(
                text.startsWith("EC2 will terminate this seed at "
                        + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                                .withZone(java.time.ZoneOffset.UTC)
                                .format(NOW.plusSeconds(118))
                        + " UTC, in 1 min 58 s (notice received 2 s ago)"),
                text);
        assertFalse(text.contains("\\\""), "no escaped JSON: " + text);
        String json = JsonRenderer.render(report);
        assertTrue(json.contains("\"action\" : \"terminate\"") && json.contains("\"seconds_left\" : 118"), json);
        assertTrue(json.contains("\"at\" : \"" + NOW.plusSeconds(118) + "\""), json);
    }

    /** Issue 22: the spot notice is the first problem listed, before other failures (two minutes are left). */
    @Test
    void spotInterruptionNotice_listedBeforeOtherFailures() throws Exception {
        Facts facts = new Facts();
        facts.state.spotInterruption = new SpotInterruption(
                NOW.minusSeconds(2), "terminate", NOW.plusSeconds(118).toString());
        facts.state.setChecks(List.of(SeedTree.check(
                "password-file",
                "security",
                "failure",
                "/etc/condor/condor_pool_password has mode 0644",
                "chmod 0600 /etc/condor/condor_pool_password")));

        StatusReport report = facts.report();

        List<String> failures = texts(report, Finding.Level.FAILURE);
        assertTrue(failures.size() >= 2, failures.toString());
        assertTrue(failures.get(0).startsWith("EC2 will terminate this seed at "), failures.toString());
    }

    @Test
    void spotInterruptionNotice_malformed_shownQuotedOnce() throws Exception {
        Facts facts = new Facts();
        facts.state.spotInterruption = new SpotInterruption(NOW.minusSeconds(30), null, "\"not json\"");

        StatusReport report = facts.report();

        assertTrue(
                texts(report, Finding.Level.FAILURE)
                        .get(0)
                        .startsWith("EC2 sent a spot interruption notice that" + " could not be read: \"not json\""),
                texts(report, Finding.Level.FAILURE).toString());
        // Once on the screen, quoted once (not escaped again); in JSON no structured fields it did not have.
        String text = report.text(false, false);
        assertEquals(1, text.split("could not be read: \"not json\"", -1).length - 1, text);
        assertFalse(text.contains("\\\""), text);
        String json = JsonRenderer.render(report);
        assertTrue(
                json.contains("\"action\" : null")
                        && json.contains("\"at\" : null")
                        && json.contains("\"seconds_left\" : null"),
                json);
    }

    @Test
    void reloadNotAttempted_becauseTheConfigurationWasBroken_failure() throws Exception {
        Facts facts = new Facts();
        facts.state.lastReload = new LastReload(
                NOW.minusSeconds(60),
                LastReload.Result.NOT_ATTEMPTED,
                ReloadMethod.RELOAD,
                "HTCondor's configuration does not parse");
        facts.addresses.set(
                1, new AddressRead("schedd", "/var/lib/condor/spool/.schedd_address", Read.OK, "198.51.100.1", null));
        facts.state.addressSince = NOW.minusSeconds(60);

        StatusReport report = facts.report();

        assertEquals(Health.NEEDS_ATTENTION, report.health());
        assertTrue(
                texts(report, Finding.Level.FAILURE)
                        .contains("HTCondor was not reloaded 60 s ago: HTCondor's " + "configuration does not parse"),
                report.findings::toString);
        // Without a reload the daemons will not catch up by waiting.
        assertEquals("late", report.advertised.progress());
    }

    @Test
    void reloadPending_failureSaysSinceAndBecause_textAndJsonCarryIt() throws Exception {
        Facts facts = new Facts();
        String because = "HTCondor's configuration does not parse: configuration error at line 3 of "
                + "/etc/condor/config.d/60-broken. Not reloading";
        facts.state.lastReload =
                new LastReload(NOW.minusSeconds(60), LastReload.Result.NOT_ATTEMPTED, ReloadMethod.RELOAD, because);
        facts.state.pendingReload = new DaemonState.PendingReload(NOW.minusSeconds(300), because, 6);
        facts.state.addressSince = NOW.minusSeconds(300);
        facts.addresses.set(
                1, new AddressRead("schedd", "/var/lib/condor/spool/.schedd_address", Read.OK, "198.51.100.1", null));

        StatusReport report = facts.report();

        assertEquals(Health.NEEDS_ATTENTION, report.health());
        Finding finding = report.findings.stream()
                .filter(f -> f.part().equals("reload"))
                .findFirst()
                .orElseThrow();
        assertEquals(Finding.Level.FAILURE, finding.level());
        assertEquals(
                "reload pending since 5 min ago, because " + because
                        + " (6 attempts; seed-agent tries again at every poll)",
                finding.text());
        assertTrue(finding.remedy().startsWith("fix the file named"), finding.remedy());
        assertEquals(
                1,
                report.findings.stream().filter(f -> f.part().equals("reload")).count(),
                "one finding, not two");
        String text = report.text(false, false);
        // The why said once on the short screen (under Problems); --long says it on the Last reload line too.
        assertTrue(
                text.contains("reload pending since 2025-01-01 11:55:00 UTC (5 min ago) (6 attempts; tried again at"
                        + " every poll; why: see below)"),
                text);
        assertEquals(1, text.split(java.util.regex.Pattern.quote(because), -1).length - 1, text);
        assertTrue(
                report.text(false, true)
                        .contains("reload pending since 2025-01-01 11:55:00 UTC (5 min ago), because " + because),
                report.text(false, true));
        String json = JsonRenderer.render(report);
        assertTrue(json.contains("\"pending_reload\" : {\n    \"since\" : \"2025-01-01T11:55:00Z\""), json);
        assertTrue(json.contains("\"attempts\" : 6"), json);
    }

    @Test
    void lastAddressChange_noteSaysWhatItMeansForAnnexNodes() throws Exception {
        Facts facts = new Facts();
        facts.state.recordChange(new DaemonState.Change(NOW.minusSeconds(7200), null, "198.51.100.23"));
        facts.state.recordChange(new DaemonState.Change(NOW.minusSeconds(3600), "198.51.100.23", ADDRESS));

        StatusReport report = facts.report();

        assertEquals(Health.HEALTHY, report.health(), "a fact, not a problem of the agent");
        assertEquals(
                List.of("the address changed from 198.51.100.23 to 203.0.113.10 1 h ago: annex nodes started before"
                        + " then cannot rejoin (condor_annex -status lists them; replace them); an Elastic IP keeps the address"
                        + " across stop/start"),
                texts(report, Finding.Level.NOTE));
        assertTrue(
                report.text(false, false).contains("Notes:\n  - the address changed from 198.51.100.23"),
                report.text(false, false));
    }

    @Test
    void lastAddressChange_onAnHtcondorAnnexSeed_namesTheStrandedRequests_textAndJson() throws Exception {
        Facts facts = new Facts();
        facts.state.recordChange(new DaemonState.Change(NOW.minusSeconds(3600), "198.51.100.23", ADDRESS));
        facts.state.strandedAnnexes = new DaemonState.StrandedAnnexes(
                NOW.minusSeconds(3590),
                ADDRESS,
                ADDRESS + ":9618?sock=ap_collector",
                List.of(new DaemonState.StrandedAnnex("3", "annex-one", "198.51.100.23:9618?sock=ap_collector")),
                null);

        StatusReport report = facts.report();

        assertEquals(
                List.of(
                        "the address changed from 198.51.100.23 to 203.0.113.10 1 h ago: 1 htcondor annex request(s)"
                                + " were given the old collector and cannot rejoin: annex-one (job 3); replace each (`htcondor annex"
                                + " shutdown NAME`, then `htcondor annex create`); an Elastic IP keeps the address across stop/start"),
                texts(report, Finding.Level.NOTE));
        String text = report.text(false, false);
        assertTrue(
                text.contains("Stranded:     1 annex was given an old address: their nodes cannot reach this seed any"
                        + " more\n                annex-one (job 3, given 198.51.100.23:9618?sock=ap_collector)"),
                text);
        String json = JsonRenderer.render(report);
        assertTrue(json.contains("\"source\" : \"recorded\""), json);
        assertTrue(json.contains("\"change_to\" : \"203.0.113.10\""), json);
        assertTrue(json.contains("\"name\" : \"annex-one\""), json);
    }

    @Test
    void cleanStopRecorded_noSystemd_stopped_notRunningOrStale() throws Exception {
        Facts facts = new Facts();
        facts.state.cleanStop = NOW.minusSeconds(20);
        facts.state.heartbeat = NOW.minusSeconds(20);

        StatusReport report = facts.report();

        assertEquals(AgentState.STOPPED, report.agent);
        assertTrue(report.agentDetail.startsWith("stopped cleanly 20 s ago (SIGTERM)"), report.agentDetail);
    }

    @Test
    void cascadeOfNotCheckedWarnings_shownOnceNamingTheChecks_jsonKeepsEachOne() throws Exception {
        Facts facts = new Facts();
        String cause = "not checked: HTCondor's configuration could not be evaluated (see condor-config)";
        String remedy = "fix what condor-config reports, then run seed-agent check again";
        List<CheckResult> checks = new ArrayList<>();
        checks.add(new CheckResult(
                "condor-config",
                Area.HTCONDOR,
                Severity.FAILURE,
                "cannot evaluate HTCondor configuration: cannot run /usr/bin/condor_config_val",
                "install HTCondor"));
        for (String id : List.of("central-manager", "submit-node", "job-lease")) {
            checks.add(new CheckResult(id, Area.CENTRAL_MANAGER, Severity.WARNING, cause, remedy));
        }
        checks.add(new CheckResult(
                "seed-lifecycle",
                Area.INSTANCE,
                Severity.WARNING,
                "this is a spot instance",
                "run the seed on-demand"));
        facts.state.setChecks(checks);

        StatusReport report = facts.report();

        List<String> warnings = texts(report, Finding.Level.WARNING);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0)
                        .startsWith("3 checks could not run (central-manager, submit-node, job-lease):"
                                + " HTCondor's configuration could not be evaluated (see condor-config)"),
                warnings.get(0));
        assertTrue(warnings.get(1).startsWith("check seed-lifecycle: this is a spot instance"), warnings.get(1));
        String json = JsonRenderer.render(report);
        assertEquals(
                3,
                json.split("\"not checked: HTCondor's configuration could not be evaluated", -1).length - 1,
                "JSON keeps each check: " + json);
    }

    @Test
    void noReloadPending_jsonSaysNull() throws Exception {
        String json = JsonRenderer.render(new Facts().report());
        assertTrue(json.contains("\"pending_reload\" : null"), json);
    }

    @Test
    void malformedCheckEntries_skippedWithANote() throws Exception {
        Facts facts = new Facts();
        // As a state file holds them: one entry this agent cannot read, one it can.
        String text = StateCodec.encode(facts.state)
                .replace(
                        "\"checks\" : [ ]",
                        "\"checks\" : [ "
                                + "{\"id\" : \"password-file\", \"area\" : \"no-such-area\", \"severity\" : \"ok\", \"finding\" : \"x\"}, "
                                + "{\"id\" : \"job-lease\", \"area\" : \"submit-node\", \"severity\" : \"info\", \"finding\" : \"2400 s\"} ]");
        assertTrue(text.contains("no-such-area"), text);
        facts.state = StateCodec.decode(text);

        StatusReport report = facts.report();

        assertEquals(1, report.checks.size());
        assertEquals(
                List.of("1 check result(s) in the state file could not be read"), texts(report, Finding.Level.NOTE));
        assertEquals(Health.HEALTHY, report.health());
    }

    @Test
    void condorTimedOut_warning_advertisedFromTheAgentsRecord() throws Exception {
        Facts facts = new Facts();
        facts.condor = new CondorEvaluation.Failed(
                CondorEvaluation.Kind.TIMED_OUT,
                "/usr/bin/condor_config_val did not finish within 20 s and was killed",
                null,
                0);
        facts.addresses.clear();
        facts.state.advertised =
                new DaemonState.Advertised(NOW.minusSeconds(600), ADDRESS, Map.of("schedd", ADDRESS), true, 4L);

        StatusReport report = facts.report();

        assertEquals(Health.DEGRADED, report.health());
        assertEquals("recorded", report.advertised.source());
        assertEquals(Boolean.TRUE, report.advertised.caughtUp());
        assertTrue(
                report.text(false, false).contains("HTCondor:     unknown (/usr/bin/condor_config_val did not finish"));
    }

    @Test
    void advertisedLagging_withoutAChangeTime_isLate() throws Exception {
        Facts facts = new Facts();
        facts.state.addressSince = null;
        facts.addresses.set(
                0, new AddressRead("master", "/var/log/condor/.master_address", Read.OK, "198.51.100.1", null));

        StatusReport report = facts.report();

        assertEquals("late", report.advertised.progress());
        assertEquals(Health.NEEDS_ATTENTION, report.health());
    }

    @Test
    void advertisedLagging_reloadMethodNone_late_atOnce() throws Exception {
        Facts facts = new Facts();
        facts.state.addressSince = NOW.minusSeconds(60);
        facts.state.lastReload = new LastReload(
                NOW.minusSeconds(60), LastReload.Result.SKIPPED, ReloadMethod.NONE, "reload.method = none");
        facts.addresses.set(
                0, new AddressRead("master", "/var/log/condor/.master_address", Read.OK, "198.51.100.1", null));

        assertEquals("late", facts.report().advertised.progress());
    }

    @Test
    void advertisedLagging_respectsAdvertiseTimeout() throws Exception {
        Facts facts = new Facts();
        facts.settings.put(ConfigKey.ADVERTISE_TIMEOUT, "2h");
        facts.addresses.set(
                0, new AddressRead("master", "/var/log/condor/.master_address", Read.OK, "198.51.100.1", null));

        assertEquals("catching-up", facts.report().advertised.progress());
        assertEquals(Health.DEGRADED, facts.report().health());
    }

    @Test
    void controlCharactersFromFiles_escapedInText_keptInJson() throws Exception {
        Facts facts = new Facts();
        facts.state.lastPoll = Poll.failed(NOW.minusSeconds(5), "bad\nFAILURE  forged line \u001b[2J");

        StatusReport report = facts.report();
        String text = report.text(false, false);

        assertFalse(text.contains("\u001b"), text);
        assertFalse(text.contains("\nFAILURE  forged"), text);
        assertTrue(text.contains("bad\\u000aFAILURE  forged line \\u001b[2J"), text);
        assertTrue(
                report.json().contains("bad\\nFAILURE  forged line \\u001B[2J")
                        || report.json().contains("bad\\nFAILURE  forged line \\u001b[2J"),
                report.json());
    }

    @Test
    void colour_onlyWhenAsked() throws Exception {
        Facts facts = new Facts();
        facts.fragment = new FragmentRead(Path.of(FRAGMENT), Read.MISSING, null, "no such file");
        StatusReport report = facts.report();

        assertFalse(report.text(false, false).contains("\u001b["));
        String coloured = report.text(true, false);
        assertTrue(coloured.startsWith("\u001b[1mseed-agent\u001b[0m: \u001b[1;31mneeds attention\u001b[0m"), coloured);
        assertTrue(coloured.contains("\u001b[1;31mFAILURE\u001b[0m"), coloured);
    }

    @Test
    void failuresListedBeforeWarnings() throws Exception {
        Facts facts = new Facts();
        facts.state.lastPoll = Poll.failed(NOW.minusSeconds(5), "timeout");
        facts.fragment = new FragmentRead(Path.of(FRAGMENT), Read.OK, "cd".repeat(32), null);

        String text = facts.report().text(false, false);

        assertTrue(text.indexOf("FAILURE") < text.indexOf("WARNING"), text);
    }

    /**
     * Three intervals plus one poll's worst case: the metadata deadline (60 s) and the reload's limit, which for the
     * default restart is 180 s (a restart that takes that long must not show the agent stale meanwhile), for a reload
     * condor.timeout (20 s).
     */
    @Test
    void staleAfter_isThreeIntervalsPlusOnePollsWorstCase_theRestartsLimitIncluded() throws Exception {
        Facts facts = new Facts();

        assertEquals(Duration.ofSeconds(180 + 60 + 180), facts.report().facts.staleAfter());

        facts.settings.put(ConfigKey.RELOAD_METHOD, "reload");
        assertEquals(Duration.ofSeconds(180 + 60 + 20), facts.report().facts.staleAfter());
    }
}
