package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.ReloadMethod;
import org.seedagent.state.BootSyncOutcome;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.Poll;
import org.seedagent.state.SpotInterruption;
import org.seedagent.status.SeedTree;
import org.seedagent.sync.SyncResult;

/**
 * Golden files: the exact human output of {@code seed-agent status} for a healthy and a failing seed (fixed
 * clock, no colour, the temporary root shown as {@code /}). One file per scenario under
 * {@code src/test/resources/golden/status/}. To regenerate after a deliberate change, run
 * {@code mvn test -Dtest='StatusCommandGoldenTest' -Dseedagent.updateGolden=true} and review the diff.
 */
class StatusCommandGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/status");

    @TempDir
    Path tmp;

    @Test
    void healthySeed_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);

        assertGolden("healthy.txt", seed, 0);
    }

    @Test
    void healthySeed_long_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);

        assertGolden("healthy-long.txt", seed, 0, "--long");
    }

    /**
     * A seed that needs attention: an old hand-written file overrides TCP_FORWARDING_HOST, the daemons
     * advertise that address, the last reload failed, a check fails and another warns.
     */
    @Test
    void failingSeed_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.overrideForwarding("198.51.100.7");
        seed.advertise("198.51.100.7", "198.51.100.7", "198.51.100.7");
        DaemonState s = seed.state;
        s.lastReload = new LastReload(
                SeedTree.CHANGED,
                LastReload.Result.FAILED,
                ReloadMethod.RELOAD,
                "systemctl reload condor.service exited 1: \"Job for condor.service failed because the control process "
                        + "exited with error code.\"");
        s.setChecks(SeedTree.plus(
                s.checks(),
                SeedTree.check(
                        "password-file",
                        "security",
                        "failure",
                        "/etc/condor/condor_pool_password has mode 0644: HTCondor refuses a password file others can read",
                        "chmod 0600 /etc/condor/condor_pool_password")));
        s.setChecks(SeedTree.plus(
                s.checks(),
                SeedTree.check(
                        "seed-lifecycle",
                        "instance",
                        "warning",
                        "this seed is a spot instance: the pool loses its central manager when it is interrupted",
                        "run the seed on an on-demand instance")));
        seed.saveState();

        assertGolden("failing.txt", seed, 1);
    }

    @Test
    void neverRan_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        Files.delete(seed.stateFile());

        assertGolden("never-ran.txt", seed, 3);
    }

    /** EC2's two-minute notice, as the daemon stores it: a failure with the time left, read as a person reads it. */
    @Test
    void spotNotice_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.state.spotInterruption = new SpotInterruption(
                SeedTree.NOW.minusSeconds(2),
                "terminate",
                SeedTree.NOW.plusSeconds(118).toString());
        seed.saveState();

        assertGolden("spot-notice.txt", seed, 1);
    }

    /** HTCondor's tools are not where the configuration says: one cause, named, not a broken configuration. */
    @Test
    void condorToolsMissing_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.setting(
                "condor.config-val",
                seed.root.resolve("nowhere/condor_config_val").toString());
        // What the daemon's settings checks recorded without the tools: condor-config fails, and the checks that need
        // HTCondor's configuration could not run (a cascade, shown once; counted as the checks it stands for).
        String cause = "cannot evaluate HTCondor configuration: cannot run "
                + seed.root.resolve("nowhere/condor_config_val") + ": No such file or directory";
        DaemonState s = seed.state;
        s.setChecks(List.of());
        s.setChecks(
                SeedTree.plus(
                        s.checks(),
                        SeedTree.check(
                                "condor-config",
                                "htcondor",
                                "failure",
                                cause,
                                "install HTCondor, or set condor.config-val in seed-agent's configuration to the path of condor_config_val")));
        for (String[] c : new String[][] {
            {"central-manager", "central-manager"},
            {"submit-node", "submit-node"},
            {"collector-address", "networking"},
            {"forwarding-in-effect", "networking"},
            {"daemon-authentication", "security"}
        }) {
            s.setChecks(SeedTree.plus(
                    s.checks(),
                    SeedTree.check(
                            c[0],
                            c[1],
                            "warning",
                            "not checked: HTCondor's configuration could not be" + " evaluated (see condor-config)",
                            "fix what condor-config reports, then run seed-agent check again")));
        }
        s.setChecks(SeedTree.plus(
                s.checks(),
                SeedTree.check("public-address", "instance", "ok", "public IPv4 address 203.0.113.10", null)));
        seed.saveState();

        assertGolden("tools-missing.txt", seed, 1);
        // --long: the cascade's checks each on a line of their own (issue 22).
        assertGolden("tools-missing-long.txt", seed, 1, "--long");
    }

    /** A reload the daemon could not do yet: kept pending, retried, and shown with its fix. */
    @Test
    void pendingReload_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.advertise(SeedTree.OLD_ADDRESS, SeedTree.OLD_ADDRESS, SeedTree.OLD_ADDRESS);
        seed.state.pendingReload = new DaemonState.PendingReload(SeedTree.CHANGED, "the address changed", 3);
        seed.state.lastReload = new LastReload(
                SeedTree.NOW.minusSeconds(40),
                LastReload.Result.FAILED,
                ReloadMethod.RELOAD,
                "systemctl reload condor.service exited 1: \"condor.service is not active, cannot reload.\"");
        seed.saveState();

        assertGolden("pending-reload.txt", seed, 1);
    }

    /** Stopped with SIGTERM on a host without systemd: told apart from running and stale by the state file alone. */
    @Test
    void stoppedCleanly_noSystemd_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.state.cleanStop = SeedTree.NOW.minusSeconds(600);
        seed.state.heartbeat = SeedTree.NOW.minusSeconds(600);
        seed.state.lastPoll = Poll.ok(SeedTree.NOW.minusSeconds(630), "unchanged");
        seed.saveState();

        assertGolden("stopped.txt", seed, 3);
    }

    /**
     * Seconds after the first start on this boot: the fragment written, HTCondor not started yet (the agent starts
     * before it), the settings checks and the daemons' addresses not in yet.
     */
    @Test
    void freshBoot_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        DaemonState s = seed.state;
        s.startedAt = SeedTree.NOW.minusSeconds(6);
        s.heartbeat = SeedTree.NOW.minusSeconds(1);
        s.bootSync = new BootSyncOutcome(
                SeedTree.NOW.minusSeconds(5),
                SyncResult.Action.WRITTEN,
                "wrote " + seed.display(seed.fragment.toString()) + ": TCP_FORWARDING_HOST = " + SeedTree.ADDRESS);
        s.lastPoll = Poll.ok(SeedTree.NOW.minusSeconds(1), "unchanged: TCP_FORWARDING_HOST = " + SeedTree.ADDRESS);
        s.lastSuccess = SeedTree.NOW.minusSeconds(1);
        s.lastReload = new LastReload(
                SeedTree.NOW.minusSeconds(5),
                LastReload.Result.SKIPPED,
                ReloadMethod.RELOAD,
                "condor.service is not running; HTCondor reads the new address when it starts");
        s.advertised = null;
        s.setChecks(List.of());
        s.checksAt = null;
        seed.saveState();
        // HTCondor starts after the agent: no daemon has written its address yet.
        for (Path file : List.of(seed.masterAddress, seed.scheddAddress, seed.collectorAddress)) {
            Files.deleteIfExists(file);
        }

        assertGolden("fresh-boot.txt", seed, 2);
    }

    /** The metadata service stopped answering 10 minutes ago: the fragment keeps the last address, polls fail. */
    @Test
    void metadataDown_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        DaemonState s = seed.state;
        String why = "the metadata service at http://169.254.169.254 did not answer: connection timed out"
                + " (4 attempts, 60 s)";
        s.lastPoll = Poll.failed(SeedTree.NOW.minusSeconds(20), why);
        s.lastFailure = s.lastPoll;
        s.lastSuccess = SeedTree.NOW.minusSeconds(620);
        seed.saveState();

        assertGolden("metadata-down.txt", seed, 2);
    }

    /** The address changed 40 s ago while HTCondor ran: reloaded, the daemons not all re-advertised yet. */
    @Test
    void addressJustChanged_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        String next = "198.51.100.99";
        seed.writeFragment(next);
        seed.advertise(next, SeedTree.ADDRESS, SeedTree.ADDRESS);
        DaemonState s = seed.state;
        java.time.Instant changed = SeedTree.NOW.minusSeconds(40);
        s.recordChange(new DaemonState.Change(changed, SeedTree.ADDRESS, next));
        s.currentAddress = next;
        s.fragmentSha256 = SeedTree.sha256(seed.fragmentText(next));
        s.addressSince = changed;
        s.lastReload = new LastReload(
                changed.plusSeconds(1), LastReload.Result.DONE, ReloadMethod.RELOAD, "systemctl reload condor.service");
        s.advertised = null;
        seed.saveState();

        assertGolden("address-changed.txt", seed, 2);
    }

    /** The agent died without a clean stop (no record of one) and systemd says the unit failed. */
    @Test
    void crashed_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.state.heartbeat = SeedTree.NOW.minusSeconds(900);
        seed.state.lastPoll = Poll.ok(SeedTree.NOW.minusSeconds(900), "unchanged");
        seed.saveState();

        assertGolden("crashed.txt", seed, 3);
    }

    /** The verdict's counts agree with the problems listed, in every screen; the healthy one fits 25 lines. */
    @Test
    void everyGoldenScreen_headerCountsAgreeWithTheListedProblems_healthyFits25Lines() throws IOException {
        List<Path> screens;
        try (var files = Files.list(GOLDEN)) {
            screens = files.filter(
                            f -> f.toString().endsWith(".txt") && !f.toString().endsWith("-long.txt"))
                    .toList();
        }
        assertTrue(screens.size() >= 7, screens.toString());
        java.util.regex.Pattern counts = java.util.regex.Pattern.compile(
                "\\((\\d+) failures?(?:, (\\d+) warnings?)?\\)" + "|\\((\\d+) warnings?\\)");
        for (Path screen : screens) {
            List<String> lines = Files.readAllLines(screen, StandardCharsets.UTF_8);
            long failures =
                    lines.stream().filter(l -> l.startsWith("  FAILURE  ")).count();
            // A folded cascade ("N checks could not run (...)") stands for its N checks.
            java.util.regex.Pattern folded =
                    java.util.regex.Pattern.compile("^  WARNING  (\\d+) checks could not run \\(");
            long warnings = lines.stream()
                    .filter(l -> l.startsWith("  WARNING  "))
                    .mapToLong(l -> {
                        java.util.regex.Matcher f = folded.matcher(l);
                        return f.find() ? Long.parseLong(f.group(1)) : 1;
                    })
                    .sum();
            java.util.regex.Matcher m = counts.matcher(lines.get(0));
            long saidFailures = 0;
            long saidWarnings = 0;
            if (!m.find() && !lines.get(0).equals("seed-agent: healthy")) {
                continue; // "not running (...)": the verdict is the agent's state, not a count
            }
            if (m.find(0)) {
                saidFailures = m.group(1) != null ? Long.parseLong(m.group(1)) : 0;
                saidWarnings = m.group(2) != null
                        ? Long.parseLong(m.group(2))
                        : m.group(3) != null ? Long.parseLong(m.group(3)) : 0;
            }
            assertEquals(failures, saidFailures, screen + ": " + lines.get(0));
            assertEquals(warnings, saidWarnings, screen + ": " + lines.get(0));
            // The Checks line counts no more failures and warnings than the verdict (which adds the agent's own).
            java.util.regex.Matcher checks = java.util.regex.Pattern.compile(
                            "(?m)^  Checks: +\\d+ checks: .*?(\\d+)" + " warnings?, (\\d+) failures?")
                    .matcher(String.join("\n", lines));
            if (checks.find()) {
                assertTrue(
                        Long.parseLong(checks.group(1)) <= saidWarnings
                                && Long.parseLong(checks.group(2)) <= saidFailures,
                        screen + ": the verdict " + lines.get(0) + " counts fewer than " + checks.group());
            }
        }
        for (String healthy : List.of("healthy.txt", "healthy-80.txt")) {
            assertTrue(
                    Files.readAllLines(GOLDEN.resolve(healthy)).size() <= 24,
                    healthy + " and the prompt fit one 80x25 screen");
        }
    }

    private static void assertGolden(String name, SeedTree seed, int exit, String... arguments) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SeedTree.Processes processes = new SeedTree.Processes();
        if (name.startsWith("stopped")) {
            processes.systemctl = c -> SeedTree.Processes.absent();
        }
        if (name.startsWith("crashed")) {
            // The agent's unit failed; the guard's is fine.
            processes.systemctl = c -> c.contains("seed-agent-imds-guard.service")
                    ? SeedTree.Processes.running()
                    : new org.seedagent.support.ProcessResult(
                            0,
                            "Result=signal\nMainPID=0\nStatusText=\n"
                                    + "LoadState=loaded\nActiveState=failed\nSubState=failed\n"
                                    + "ActiveEnterTimestamp=Wed 2025-01-01 10:00:00 UTC\n",
                            "",
                            false);
        }
        if (name.startsWith("address-changed")) {
            processes.systemctl = c -> SeedTree.Processes.show(
                    "active",
                    "running",
                    4242,
                    "Wed 2025-01-01 10:00:00 UTC",
                    "TCP_FORWARDING_HOST = 198.51.100.99 (public IPv4)");
        }
        if (name.startsWith("fresh-boot")) {
            processes.systemctl = c -> c.contains("seed-agent-imds-guard.service")
                    ? SeedTree.Processes.running()
                    : SeedTree.Processes.show(
                            "active",
                            "running",
                            4242,
                            "Wed 2025-01-01 11:59:54 UTC",
                            "TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)");
        }
        if (name.startsWith("never-ran")) {
            processes.systemctl = c -> SeedTree.Processes.show("inactive", "dead", 0, "", "");
        }
        int code = status(seed, processes, out, List.of(arguments));

        String actual = seed.display(out.toString(StandardCharsets.UTF_8));
        assertEquals(exit, code, actual);
        assertGolden(name, actual);

        // The same seed as JSON: valid against docs/schemas/status.schema.json (issue 23), with the same exit code.
        org.seedagent.testing.JsonSchemas.assertValid("status", json(seed, processes, exit, arguments));
    }

    /** The real status command on {@code seed} at {@link SeedTree#NOW}, its output into {@code out}; its exit code. */
    private static int status(
            SeedTree seed, SeedTree.Processes processes, ByteArrayOutputStream out, List<String> arguments)
            throws Exception {
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.fixed(SeedTree.NOW, ZoneOffset.UTC),
                processes,
                settings -> {
                    throw new AssertionError("no metadata");
                },
                seed.agentConfig,
                true);
        return new StatusCommand(() -> Optional.of(SeedTree.BOOT), d -> {}, seed.root).run(context, arguments);
    }

    private static String json(SeedTree seed, SeedTree.Processes processes, int exit, String... arguments)
            throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<String> jsonArguments = new java.util.ArrayList<>(List.of(arguments));
        jsonArguments.addAll(List.of("--format", "json"));
        assertEquals(exit, status(seed, processes, json, jsonArguments));
        return json.toString(StandardCharsets.UTF_8);
    }

    /**
     * Issue 22: a healthy seed as it really is after its first boot (a restart record, "first boot") still fits
     * one 80x25 terminal with the prompt.
     */
    @Test
    void healthyAfterItsFirstBoot_atAnEightyColumnTerminal_fitsOneScreen() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        org.seedagent.restart.RestartAnalyzer.assess(
                        null,
                        new org.seedagent.restart.RestartAnalyzer.ThisBoot(
                                SeedTree.STARTED,
                                new org.seedagent.restart.BootIdentity("b00t", SeedTree.BOOT),
                                SeedTree.INSTANCE_ID,
                                SeedTree.ADDRESS,
                                null))
                .ifPresent(seed.state::recordRestart);
        assertTrue(!seed.state.restarts().isEmpty(), "a first boot is recorded");
        seed.saveState();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, status(seed, new SeedTree.Processes(), out, List.of()));
        String screen = org.seedagent.status.ScreenWrap.wrap(seed.display(out.toString(StandardCharsets.UTF_8)), 80);
        assertTrue(screen.contains("Last restart:"), screen);
        assertTrue(screen.split("\n").length <= 24, screen.split("\n").length + " lines:\n" + screen);
    }

    /** The status schema can fail, also where it refers to check's: a wrong health and a wrong check severity. */
    @Test
    void statusSchema_catchesABrokenDocument() throws Exception {
        String json = json(SeedTree.healthy(tmp), new SeedTree.Processes(), 0);
        org.seedagent.testing.JsonSchemas.assertValid("status", json);
        org.junit.jupiter.api.Assertions.assertThrows(
                AssertionError.class,
                () -> org.seedagent.testing.JsonSchemas.assertValid(
                        "status", json.replace("\"health\" : \"healthy\"", "\"health\" : \"fine\"")));
        org.junit.jupiter.api.Assertions.assertThrows(
                AssertionError.class,
                () -> org.seedagent.testing.JsonSchemas.assertValid(
                        "status", json.replaceFirst("\"severity\" : \"ok\"", "\"severity\" : \"fine\"")));
    }

    static void assertGolden(String name, String actual) throws IOException {
        org.seedagent.testing.Golden.assertMatches(GOLDEN, name, actual);
    }
}
