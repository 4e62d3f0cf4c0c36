package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.ReloadMethod;
import org.seedagent.restart.BootTime;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.Poll;
import org.seedagent.status.SeedTree;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.Sleeper;

/**
 * {@code seed-agent status} end to end, one test per state of the seed: real state files in a temporary
 * tree, the fake condor_config_val as a real child process, a fake systemctl, a fixed clock.
 */
class StatusCommandTest {
    @TempDir
    Path tmp;

    private SeedTree seed;
    private final SeedTree.Processes processes = new SeedTree.Processes();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private BootTime bootTime = () -> Optional.of(SeedTree.BOOT);
    private final Sleeper noSleeping = d -> {
        throw new AssertionError("status slept without --wait");
    };

    @BeforeEach
    void setUp() throws IOException {
        seed = SeedTree.healthy(tmp.resolve("root"));
    }

    private int run(String... arguments) throws Exception {
        out.reset();
        err.reset();
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.fixed(SeedTree.NOW, ZoneOffset.UTC),
                processes,
                settings -> {
                    throw new AssertionError("status must not ask the metadata service");
                },
                seed.agentConfig,
                true);
        return new StatusCommand(bootTime, noSleeping, seed.root).run(context, List.of(arguments));
    }

    private String text() {
        return seed.display(out.toString(StandardCharsets.UTF_8));
    }

    private String errors() {
        return seed.display(err.toString(StandardCharsets.UTF_8));
    }

    private void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected <" + expected + "> in:\n" + actual);
    }

    private static void assertNoStackTrace(String text) {
        assertFalse(text.contains("Exception"), text);
        assertFalse(text.contains("\tat "), text);
    }

    // --- healthy ---------------------------------------------------------------------------------

    @Test
    void healthySeed_exit0_everyPartSaysSo() throws Exception {
        assertEquals(0, run(), this::text);

        String text = text();
        assertTrue(text.startsWith("seed-agent: healthy\n"), text);
        assertContains("Agent:        running, last heartbeat 20 s ago (pid 4242, started 2 h ago)", text);
        assertContains("systemd:      active (running) since Wed 2025-01-01 10:00:00 UTC (2 h ago)\n", text);
        assertContains("Address:      203.0.113.10 (public IPv4) since 2025-01-01 10:00:05 UTC (1 h 59 min ago)", text);
        assertContains("Fragment:     /etc/condor/config.d/50-seed-agent.conf: as the agent wrote it", text);
        assertContains(
                "HTCondor:     TCP_FORWARDING_HOST = 203.0.113.10: in effect "
                        + "(/etc/condor/config.d/50-seed-agent.conf, line 7)",
                text);
        assertContains("Advertised:   203.0.113.10 by master, schedd, collector: caught up", text);
        assertFalse(text.contains("Problems:"), text);
        assertEquals("", errors());
    }

    @Test
    void healthySeed_oneCondorConfigValLaunch_andSystemctlShowOfTheUnit() throws Exception {
        run();

        assertEquals(1, processes.launches("condor_config_val"), processes.commands::toString);
        List<String> condor = processes.commands.stream()
                .filter(c -> c.get(0).endsWith("condor_config_val"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(
                        "-dump",
                        "-v",
                        "-expand",
                        "^(TCP_FORWARDING_HOST|MASTER_ADDRESS_FILE|SCHEDD_ADDRESS_FILE|COLLECTOR_ADDRESS_FILE|CONDOR_VERSION|HPC_ANNEX_ENABLED|ANNEX_COLLECTOR)$"),
                condor.subList(1, condor.size()));
        assertTrue(
                processes.commands.contains(List.of(
                        "systemctl",
                        "show",
                        "seed-agent.service",
                        "-p",
                        "LoadState,ActiveState,SubState,Result,MainPID,ActiveEnterTimestamp,StatusText")),
                processes.commands::toString);
    }

    /**
     * Issue 21: the guard unit is active (the fake systemctl says so of every unit), and its record says applied;
     * what status says comes from the watch's word on the kernel's table, read from the guard's runtime directory.
     */
    @Test
    void imdsGuard_recordedButTableGoneOrUnwatched_saysSo_fromTheRuntimeDirectory() throws Exception {
        Path guard = Files.createDirectories(seed.root.resolve("run/seed-agent-imds-guard"));
        Files.writeString(guard.resolve("ruleset.nft"), "table inet seed_agent_imds_guard {}\n");
        Path watch = Files.createDirectories(seed.root.resolve("run/seed-agent-imds-guard-watch"));
        Files.writeString(watch.resolve("table"), "present\n");
        assertEquals(0, run(), text());

        Files.writeString(watch.resolve("table"), "absent\n");
        assertEquals(1, run(), text());
        assertContains("the IMDS guard's table is gone from the kernel", text());

        Files.delete(watch.resolve("table"));
        run();
        assertContains("seed-agent-imds-guard-watch.service is not running: nothing confirms", text());
    }

    // --- the agent -------------------------------------------------------------------------------

    @Test
    void neverRan_noStateFile_exit3_saysSo() throws Exception {
        Files.delete(seed.stateFile());
        processes.systemctl = c -> SeedTree.Processes.show("inactive", "dead", 0, "", "");

        assertEquals(3, run());

        String text = text();
        assertTrue(text.startsWith("seed-agent: not running (never ran)\n"), text);
        assertContains("seed-agent has never run here: no state file /var/lib/seed-agent/state.json", text);
        assertContains("fix: systemctl enable --now seed-agent.service", text);
        // What can be read live is still shown.
        assertContains(
                "HTCondor:     TCP_FORWARDING_HOST = 203.0.113.10 (/etc/condor/config.d/50-seed-agent.conf, line 7)",
                text);
        assertNoStackTrace(text + errors());
    }

    @Test
    void staleHeartbeat_exit3() throws Exception {
        seed.state.heartbeat = SeedTree.NOW.minusSeconds(600);
        seed.saveState();

        assertEquals(3, run());

        assertContains("seed-agent: not running (stale)", text());
        assertContains(
                "Agent:        stale, last heartbeat 10 min ago; it writes one every 60 s (stale after 7 min)", text());
        assertContains("fix: journalctl -u seed-agent.service; systemctl restart seed-agent.service", text());
    }

    @Test
    void heartbeatWithinThreeIntervals_stillRunning() throws Exception {
        seed.state.heartbeat = SeedTree.NOW.minusSeconds(250);
        seed.saveState();

        assertEquals(0, run(), this::text);
    }

    /** A poll that restarts HTCondor may take up to the restart's 180 s: the agent is not stale meanwhile. */
    @Test
    void heartbeatAsOldAsARestartsLimit_stillRunning() throws Exception {
        seed.state.heartbeat = SeedTree.NOW.minusSeconds(400);
        seed.saveState();

        assertEquals(0, run(), this::text);
    }

    @Test
    void corruptStateFile_exit3_namesFileAndProblem_noStackTrace() throws Exception {
        Files.writeString(seed.stateFile(), "{\"schema_version\": 1, \"agent\": {\"pid\": 4242, \"heart");

        assertEquals(3, run());

        String text = text();
        assertTrue(text.startsWith("seed-agent: not running (unknown)\n"), text);
        assertContains("the state file /var/lib/seed-agent/state.json is corrupt: not valid JSON", text);
        assertNoStackTrace(text + errors());
    }

    @Test
    void stateFileOfAnotherSchema_exit3_saysWhichVersion() throws Exception {
        Files.writeString(seed.stateFile(), "{\"schema_version\": 7}\n");

        assertEquals(3, run());

        assertContains("is corrupt: schema_version 7 is not 1", text());
    }

    @Test
    void long_namesTheAgentsJavaAndStartUpCache_fromItsCommandLine_andJsonHasThem() throws Exception {
        // The healthy tree's agent is MainPID 4242: its command line as the launcher execs the JVM on JDK 25.
        Path proc = seed.root.resolve("proc/4242");
        Files.createDirectories(proc);
        Files.writeString(
                proc.resolve("cmdline"),
                String.join(
                                "\0",
                                "/usr/lib/jvm/jre-25/bin/java",
                                "-XX:+UseSerialGC",
                                "-XX:AOTCache=/var/lib/seed-agent/cds/seed-agent.aot",
                                "-Xlog:aot=off",
                                "-cp",
                                "/usr/share/seed-agent/lib/*",
                                "org.seedagent.cli.Main",
                                "run")
                        + "\0");
        Path release = seed.root.resolve("usr/lib/jvm/jre-25/release");
        Files.createDirectories(release.getParent());
        Files.writeString(release, "IMPLEMENTOR=\"Red Hat, Inc.\"\nJAVA_VERSION=\"25.0.1\"\n");

        assertEquals(0, run("--long"));
        assertContains(
                "  Java:         25.0.1 (/usr/lib/jvm/jre-25/bin/java), AOT cache /var/lib/seed-agent/cds/seed-agent.aot\n",
                text());
        assertEquals(0, run());
        assertFalse(text().contains("Java:"), "the short screen does not say it");
        assertEquals(0, run("--format", "json"));
        assertContains(
                "\"runtime\" : {\n    \"java\" : \"/usr/lib/jvm/jre-25/bin/java\",\n    \"java_version\" : \"25.0.1\",\n"
                        + "    \"cache\" : \"aot\",\n    \"cache_path\" : \"/var/lib/seed-agent/cds/seed-agent.aot\"\n  }",
                text());
    }

    @Test
    void systemdSaysFailedBySignal_crashed_exit3() throws Exception {
        processes.systemctl = c -> new ProcessResult(
                0,
                "Result=signal\nMainPID=0\nLoadState=loaded\n"
                        + "ActiveState=failed\nSubState=failed\nActiveEnterTimestamp=Wed 2025-01-01 10:00:00 UTC\n",
                "",
                false);

        assertEquals(3, run());

        assertContains("seed-agent: not running (crashed)", text());
        assertContains("Agent:        crashed, systemd: failed (signal); last heartbeat 20 s ago", text());
        assertContains(
                "fix: journalctl -u seed-agent.service shows its last lines; systemctl restart seed-agent.service",
                text());
    }

    @Test
    void systemdSaysInactive_stopped_exit3() throws Exception {
        processes.systemctl = c -> SeedTree.Processes.show("inactive", "dead", 0, "", "");

        assertEquals(3, run());

        assertContains("seed-agent: not running (stopped)", text());
        assertContains(
                "fix: systemctl start seed-agent.service; journalctl -u seed-agent.service says why it stopped",
                text());
    }

    @Test
    void stateFromBeforeThisBoot_withoutSystemd_stopped_exit3() throws Exception {
        processes.systemctl = c -> SeedTree.Processes.notBootedWithSystemd();
        bootTime = () -> Optional.of(SeedTree.NOW.minusSeconds(10));

        assertEquals(3, run());

        assertContains(
                "Agent:        stopped, not run since the system booted 10 s ago; last heartbeat 20 s ago", text());
    }

    @Test
    void systemctlAbsent_saysUnavailable_andJudgesByHeartbeat() throws Exception {
        processes.systemctl = c -> SeedTree.Processes.absent();

        assertEquals(0, run(), this::text);

        assertContains("systemd:      unavailable (systemctl cannot be run: No such file or directory)", text());
    }

    @Test
    void notBootedWithSystemd_saysUnavailableAndWhy() throws Exception {
        processes.systemctl = c -> SeedTree.Processes.notBootedWithSystemd();

        assertEquals(0, run(), this::text);

        assertContains(
                "systemd:      unavailable (systemctl show exited 1: System has not been booted with systemd as "
                        + "init system (PID 1). Can't operate.)",
                text());
    }

    @Test
    void systemdPresent_showsItsStatusText_withLong_orWhenItSaysMoreThanTheAddressLine() throws Exception {
        run();
        assertFalse(
                text().contains("\"TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)\""),
                "the short screen does not repeat the Address line: " + text());

        run("--long");
        assertContains("               \"TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)\"\n", text());

        processes.systemctl = c -> SeedTree.Processes.show(
                "active",
                "running",
                4242,
                "Wed 2025-01-01 10:00:00 UTC",
                "metadata service unavailable at boot: kept 203.0.113.10");
        run();
        assertContains("               \"metadata service unavailable at boot: kept 203.0.113.10\"\n", text());
    }

    @Test
    void systemdMainPidNotTheAgentsRecordedPid_shownOnTheSystemdLine() throws Exception {
        processes.systemctl = c -> SeedTree.Processes.show("active", "running", 77, "Wed 2025-01-01 10:00:00 UTC", "");

        run();

        assertContains("systemd:      active (running) since Wed 2025-01-01 10:00:00 UTC (2 h ago), pid 77\n", text());
    }

    @Test
    void unitNotInstalled_saysSo_andJudgesByHeartbeat() throws Exception {
        processes.systemctl = c -> new ProcessResult(
                0,
                "LoadState=not-found\nActiveState=inactive\nSubState=dead\n"
                        + "MainPID=0\nActiveEnterTimestamp=\nStatusText=\n",
                "",
                false);

        assertEquals(0, run(), this::text);

        assertContains("systemd:      seed-agent.service is not installed", text());
    }

    // --- forwarding, fragment, advertised ---------------------------------------------------------

    @Test
    void forwardingNotInEffect_laterFileOverrides_exit1_namesTheFile() throws Exception {
        seed.overrideForwarding("198.51.100.7");

        assertEquals(1, run());

        String text = text();
        assertContains(
                "HTCondor:     TCP_FORWARDING_HOST = 198.51.100.7: not in effect, expected 203.0.113.10 "
                        + "(/etc/condor/config.d/99-local, line 2)",
                text);
        assertContains(
                "FAILURE  forwarding not in effect: TCP_FORWARDING_HOST is 198.51.100.7, set at "
                        + "/etc/condor/config.d/99-local, line 2, not 203.0.113.10",
                text);
        assertContains(
                "fix: remove TCP_FORWARDING_HOST from /etc/condor/config.d/99-local (or set it to $(EC2PublicIP)),"
                        + " then: systemctl reload condor.service",
                text);
    }

    @Test
    void fragmentNotRead_forwardingUndefined_exit1_asksWhetherTheFragmentIsRead() throws Exception {
        Path elsewhere = moveFragmentOutOfConfigDir();

        assertEquals(1, run());

        assertContains(
                "HTCondor:     TCP_FORWARDING_HOST is not defined: not in effect, expected 203.0.113.10", text());
        assertContains(
                "fix: is " + seed.display(elsewhere.toString()) + " read? condor_config_val -config lists the files",
                text());
    }

    @Test
    void fragmentNotRead_oldMacroWins_remedySaysWhichFileMustComeFirst() throws Exception {
        moveFragmentOutOfConfigDir();
        Files.writeString(seed.configDir.resolve("49ec2-instance.config"), "EC2PublicIP = 198.51.100.7\n");

        assertEquals(1, run());

        assertContains(
                "FAILURE  forwarding not in effect: TCP_FORWARDING_HOST is 198.51.100.7 ($(EC2PublicIP)), set at "
                        + "/etc/condor/condor_config, line 10, not 203.0.113.10",
                text());
        assertContains(
                "fix: condor_config_val -config lists the files HTCondor reads, in order: "
                        + "/etc/condor/seed-agent/50-seed-agent.conf must be read after /etc/condor/condor_config",
                text());
    }

    private Path moveFragmentOutOfConfigDir() throws IOException {
        Path elsewhere = seed.root.resolve("etc/condor/seed-agent/50-seed-agent.conf");
        Files.createDirectories(elsewhere.getParent());
        Files.move(seed.fragment, elsewhere);
        seed.state.fragmentPath = elsewhere.toString();
        seed.saveState();
        seed.setting("fragment.path", elsewhere.toString());
        return elsewhere;
    }

    @Test
    void fragmentMissing_whileAgentRuns_exit1() throws Exception {
        Files.delete(seed.fragment);

        assertEquals(1, run());

        assertContains("Fragment:     /etc/condor/config.d/50-seed-agent.conf: missing", text());
        assertContains(
                "FAILURE  /etc/condor/config.d/50-seed-agent.conf is missing: deleted after the agent wrote it",
                text());
        assertContains("TCP_FORWARDING_HOST is not defined", text());
    }

    @Test
    void fragmentEditedByHand_exit1() throws Exception {
        Files.writeString(seed.fragment, seed.fragmentText(SeedTree.ADDRESS) + "# a hand edit\n");

        assertEquals(1, run());

        assertContains(
                "Fragment:     /etc/condor/config.d/50-seed-agent.conf: changed since the agent wrote it", text());
        assertContains("fix: the agent restores it at its next poll (every 60 s)", text());
    }

    @Test
    void advertisedAddressLagging_withinAdvertiseTimeout_degraded_exit2() throws Exception {
        seed.state.addressSince = SeedTree.NOW.minusSeconds(120);
        seed.saveState();
        seed.advertise(SeedTree.ADDRESS, SeedTree.OLD_ADDRESS, SeedTree.OLD_ADDRESS);

        assertEquals(2, run());

        String text = text();
        assertTrue(text.startsWith("seed-agent: degraded (1 warning)\n"), text);
        assertContains("Advertised:   203.0.113.10 by master; 198.51.100.23 by schedd, collector: catching up", text);
        assertContains(
                "WARNING  schedd, collector still advertise 198.51.100.23, not 203.0.113.10 (the address changed "
                        + "2 min ago): catching up",
                text);
        assertContains("fix: wait; or systemctl restart condor.service re-advertises at once", text);
    }

    @Test
    void advertisedAddressLagging_pastAdvertiseTimeout_exit1() throws Exception {
        seed.advertise(SeedTree.ADDRESS, SeedTree.OLD_ADDRESS, SeedTree.ADDRESS);

        assertEquals(1, run());

        assertContains(
                "Advertised:   203.0.113.10 by master, collector; 198.51.100.23 by schedd: not caught up", text());
        assertContains(
                "FAILURE  schedd still advertises 198.51.100.23, not 203.0.113.10 (the address changed 1 h 59 min ago): "
                        + "annex nodes may be given the old address",
                text());
    }

    @Test
    void noAddressFiles_htcondorNotRunning_warning_exit2() throws Exception {
        seed.advertise(null, null, null);

        assertEquals(2, run());

        assertContains("Advertised:   nothing (no address files: HTCondor is not running?)", text());
        assertContains("WARNING  HTCondor does not seem to run: no address file for master", text());
    }

    // --- the agent's own record -------------------------------------------------------------------

    @Test
    void lastReloadFailed_exit1() throws Exception {
        seed.state.lastReload = new LastReload(
                SeedTree.CHANGED,
                LastReload.Result.FAILED,
                ReloadMethod.RELOAD,
                "systemctl reload condor.service exited 1: \"Job for condor.service failed.\"");
        seed.saveState();
        seed.advertise(SeedTree.OLD_ADDRESS, SeedTree.OLD_ADDRESS, SeedTree.OLD_ADDRESS);

        assertEquals(1, run());

        String text = text();
        assertContains("Last reload:  failed 1 h 59 min ago (reload.method = reload; see below)", text);
        assertContains(
                "FAILURE  the last reload of HTCondor failed 1 h 59 min ago: systemctl reload condor.service exited 1",
                text);
        assertContains("fix: systemctl reload condor.service", text);
    }

    @Test
    void lastReloadFailed_butDaemonsAdvertiseTheAddress_onlyANote_exit0() throws Exception {
        seed.state.lastReload = new LastReload(
                SeedTree.CHANGED,
                LastReload.Result.FAILED,
                ReloadMethod.RELOAD,
                "systemctl reload condor.service exited 1");
        seed.saveState();

        assertEquals(0, run(), this::text);

        assertContains("the daemons advertise 203.0.113.10 all the same (reloaded since)", text());
    }

    @Test
    void failedCheck_exit1_withItsRemedy() throws Exception {
        seed.state.setChecks(SeedTree.plus(
                seed.state.checks(),
                SeedTree.check(
                        "password-file",
                        "security",
                        "failure",
                        "/etc/condor/condor_pool_password has mode 0644: HTCondor refuses it",
                        "chmod 0600 /etc/condor/condor_pool_password")));
        seed.saveState();

        assertEquals(1, run());

        assertContains(
                "FAILURE  check password-file: /etc/condor/condor_pool_password has mode 0644: HTCondor refuses it"
                        + " (checked 1 h 59 min ago)",
                text());
        assertContains("fix: chmod 0600 /etc/condor/condor_pool_password", text());
    }

    @Test
    void warningsOnly_exit2() throws Exception {
        seed.state.setChecks(SeedTree.plus(
                seed.state.checks(),
                SeedTree.check(
                        "seed-lifecycle",
                        "instance",
                        "warning",
                        "the seed is a spot instance",
                        "run the seed on an on-demand instance")));
        seed.state.lastPoll =
                Poll.failed(SeedTree.NOW.minusSeconds(20), "the metadata service did not answer within 60 s");
        seed.saveState();

        assertEquals(2, run());

        String text = text();
        assertTrue(text.startsWith("seed-agent: degraded (2 warnings)\n"), text);
        assertContains("Last poll:    failed 20 s ago; last success 20 s ago", text);
        assertContains("WARNING  the last metadata poll failed 20 s ago", text);
        assertContains("WARNING  check seed-lifecycle: the seed is a spot instance", text);
    }

    // --- parts that cannot be read ------------------------------------------------------------------

    @Test
    void addressFileUnreadable_directoryInTheWay_saysWhy_usesTheAgentsRecord_exit0() throws Exception {
        Files.delete(seed.scheddAddress);
        Files.createDirectory(seed.scheddAddress);

        assertEquals(0, run(), this::text);

        String text = text();
        assertContains(
                "Notes:\n  - cannot read the schedd's address file /var/lib/condor/spool/.schedd_address: "
                        + "Is a directory",
                text);
        assertContains("Advertised:   203.0.113.10 by master, collector: caught up", text);
    }

    @Test
    void addressFilesUnreadable_mode000_permissionDenied_fallsBackToRecord() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads files of any mode");
        for (Path file : List.of(seed.masterAddress, seed.scheddAddress, seed.collectorAddress)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        }

        assertEquals(0, run(), this::text);

        assertContains(
                "cannot read the master's address file /var/log/condor/.master_address: permission denied", text());
        assertContains("[as the agent read it 1 h 54 min ago]", text());
    }

    @Test
    void stateFileUnreadable_directoryInTheWay_exit3_saysWhy() throws Exception {
        Files.delete(seed.stateFile());
        Files.createDirectory(seed.stateFile());

        assertEquals(3, run());

        assertContains("cannot read the state file /var/lib/seed-agent/state.json: Is a directory", text());
        assertNoStackTrace(text() + errors());
    }

    @Test
    void condorConfigValMissing_saysWhichPartAndWhy_carriesOn_exit2() throws Exception {
        seed.setting(
                "condor.config-val",
                seed.root.resolve("nowhere/condor_config_val").toString());

        assertEquals(2, run());

        String text = text();
        assertContains(
                "HTCondor:     unknown (cannot run /nowhere/condor_config_val: No such file or directory)", text);
        assertContains(
                "Advertised:   203.0.113.10 by master, schedd, collector: caught up [as the agent read it 1 h 54 min ago]",
                text);
        assertContains("Fragment:     /etc/condor/config.d/50-seed-agent.conf: as the agent wrote it", text);
    }

    @Test
    void condorConfigurationBroken_exit1_namesFileAndLine() throws Exception {
        Files.writeString(seed.configDir.resolve("60-broken"), "TCP_FORWARDING_HOST 1.2.3.4\n");

        assertEquals(1, run());

        assertContains(
                "FAILURE  HTCondor's configuration does not parse: configuration error at line 1 of "
                        + "/etc/condor/config.d/60-broken",
                text());
    }

    // --- options -----------------------------------------------------------------------------------

    @Test
    void long_showsEveryCheckAndTheWholeHistory() throws Exception {
        for (int i = 0; i < 5; i++) {
            seed.state.recordChange(
                    new DaemonState.Change(SeedTree.CHANGED.plusSeconds(i), "10.0.0." + i, SeedTree.ADDRESS));
        }
        seed.saveState();

        assertEquals(0, run());
        String brief = text();
        assertEquals(0, run("--long"));
        String full = text();

        assertFalse(brief.contains("2024-12-30 08:00:00 UTC"), brief);
        assertContains("Last change:  2025-01-01 10:00:09 UTC  10.0.0.4 -> " + SeedTree.ADDRESS, brief);
        assertFalse(brief.contains("10.0.0.3 ->"), "the short screen shows the last change: " + brief);
        assertContains("IP changes:   2024-12-30 08:00:00 UTC  (none) -> 198.51.100.23", full);
        assertFalse(brief.contains("job-lease"), brief);
        assertContains("job-lease", full);
        assertContains("hint: running jobs survive a schedd restart shorter than this", full);
        assertContains("Boot sync:    written 1 h 59 min ago", full);
    }

    @Test
    void unknownOption_exit64_notTwo() throws Exception {
        assertEquals(64, run("--bogus"));

        assertEquals("seed-agent: status: unknown option --bogus\nTry 'seed-agent status --help'.\n", errors());
        assertEquals("", text());
    }

    @Test
    void badFormat_exit64() throws Exception {
        assertEquals(64, run("--format", "xml"));

        assertContains("unknown format \"xml\"; expected text or json", errors());
    }

    @Test
    void timeoutWithoutWait_exit64() throws Exception {
        assertEquals(64, run("--timeout", "5"));

        assertContains("--timeout only applies to --wait", errors());
    }

    @Test
    void timeoutOutOfRange_exit64() throws Exception {
        assertEquals(64, run("--wait", "--timeout=0"));
        assertEquals(64, run("--wait", "--timeout", "forever"));
    }

    @Test
    void help_documentsEveryExitCode() throws Exception {
        assertEquals(0, run("--help"));

        String usage = text();
        for (String code : List.of(
                "  0   healthy",
                "  1   a failure needs attention",
                "  2   degraded",
                "  3   the agent is not running",
                "  64  bad arguments",
                "  78  invalid seed-agent configuration")) {
            assertContains(code, usage);
        }
        assertContains("any running state is fine", usage);
    }

    @Test
    void invalidAgentConfiguration_exit78() throws Exception {
        seed.setting("poll.interval", "often");

        assertEquals(78, run());

        assertContains("seed-agent status: ", errors());
        assertContains("poll.interval", errors());
    }

    @Test
    void colourOnlyOnATerminal() throws Exception {
        run();

        assertFalse(out.toString(StandardCharsets.UTF_8).contains("\u001b["), "no terminal, no colour");
    }
}
