package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.ConfigKey;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.StateStore;

/**
 * HTCondor's side failing, with the production daemon: the reload command missing, failing, hanging past
 * condor.timeout (also with a grandchild holding its output open), HTCondor's parser rejecting the new
 * fragment, and the pre-flight tool itself missing or hanging. Through all of it the daemon keeps polling,
 * the fragment is always complete, each failure is reported once per change, and the next change is
 * applied normally once HTCondor's side works again.
 */
class HtcondorSideTest {
    private static final String A = "203.0.113.10";
    private static final String B = "198.51.100.7";
    private static final String C = "192.0.2.44";
    private static final List<String> RESULTS = new ArrayList<>();
    private static final Tally TALLY = new Tally();

    @RegisterExtension
    static final FiguresOnPass FIGURES = new FiguresOnPass(() -> {
        RESULTS.forEach(r -> System.out.println("  " + r));
        return Figures.of("HTCondor side faults")
                .with("scenarios", RESULTS.size())
                .with("fragment_checks", TALLY.get("fragment_checks"))
                .with("fragments_corrupted", TALLY.get("fragments_corrupted"))
                .with("rejected_configurations", TALLY.get("rejected_configurations"))
                .with("reloads_onto_a_rejected_configuration", TALLY.get("reloads_onto_a_rejected_configuration"))
                .with("unverified_configurations", TALLY.get("unverified_configurations"))
                .with(
                        "reloads_onto_an_unverified_configuration",
                        TALLY.get("reloads_onto_an_unverified_configuration"));
    });

    @TempDir
    Path dir;

    private static byte[] bytes(String ip) {
        return Rig.render(ip).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Boots on A with a working reload, breaks the reload with {@code script}, changes to B and polls three
     * times (one failure line for the one change, fragment B in place), then repairs the reload and changes
     * to C: reloaded.
     */
    private void reloadBroken(String scenario, String script, String expected, Duration atMost) throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            rig.set(ConfigKey.CONDOR_TIMEOUT, "1s");
            Path broken = rig.script("broken-reload", script);
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                assertEquals(1, rig.reloadCount());
                daemon.reconfigure(
                        rig.set(ConfigKey.RELOAD_COMMAND, broken.toString()).config());

                imds.setPublicIpv4(B);
                int mark = rig.mark();
                long start = System.nanoTime();
                rig.poll(daemon, 1);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(took.compareTo(atMost) < 0, "the poll must end: took " + took.toMillis() + " ms");
                rig.poll(daemon, 2);
                assertFragment(bytes(B), rig.fragmentBytes(), "the new fragment is in place for the next start");
                List<String> problems = rig.problemsSince(mark).stream()
                        .filter(l -> !l.contains("public address changed") && !l.contains("settings checks"))
                        .toList();
                assertEquals(1, problems.size(), "one failure line for the one change: " + problems);
                assertTrue(
                        problems.get(0).startsWith("<3>reloading HTCondor failed: ")
                                && problems.get(0).contains(expected),
                        problems.get(0));
                DaemonState state = new StateStore(rig.stateDir).load();
                assertEquals(LastReload.Result.FAILED, state.lastReload.result());
                assertEquals(B, state.currentAddress);

                daemon.reconfigure(rig.set(ConfigKey.RELOAD_COMMAND, rig.reloadScript.toString())
                        .config());
                imds.setPublicIpv4(C);
                rig.poll(daemon, 1);
                assertFragment(bytes(C), rig.fragmentBytes(), "the fragment");
                assertEquals(2, rig.reloadCount(), "the next change reloads");
                assertEquals(
                        LastReload.Result.DONE,
                        new StateStore(rig.stateDir).load().lastReload.result());
                RESULTS.add(scenario + "\tproblem_lines=" + problems.size() + "\tpoll_ms=" + took.toMillis());
            }
        }
    }

    @Test
    void poll_reloadCommandMissing_failureReportedFragmentInPlaceKeepsPolling() throws Exception {
        Path missing = dir.resolve("no-such-reload-command");
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            // The configuration loader accepts any absolute path; the file may appear later.
            assertEquals(
                    List.of(missing.toString()),
                    rig.set(ConfigKey.RELOAD_COMMAND, missing.toString())
                            .config()
                            .reloadCommand());
        }
        reloadBroken(
                "reload command missing", "#!/bin/sh\nexec " + missing + "\n", "exited 127", Duration.ofSeconds(10));
    }

    @Test
    void poll_reloadCommandNotExecutable_failureReported() throws Exception {
        reloadBrokenByPath("reload command missing (no such file)", dir.resolve("absent"), "cannot run");
    }

    private void reloadBrokenByPath(String scenario, Path command, String expected) throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                daemon.reconfigure(
                        rig.set(ConfigKey.RELOAD_COMMAND, command.toString()).config());
                imds.setPublicIpv4(B);
                int mark = rig.mark();
                rig.poll(daemon, 3);
                assertFragment(bytes(B), rig.fragmentBytes(), "the fragment");
                List<String> problems = rig.problemsSince(mark).stream()
                        .filter(l -> !l.contains("public address changed") && !l.contains("settings checks"))
                        .toList();
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(
                        problems.get(0).contains("reloading HTCondor failed: cannot run " + command)
                                && problems.get(0).contains(expected),
                        problems.get(0));
                RESULTS.add(scenario + "\tproblem_lines=" + problems.size());
            }
        }
    }

    @Test
    void poll_reloadCommandFails_failureReportedOncePerChange() throws Exception {
        reloadBroken(
                "reload command fails (exit 1)",
                "#!/bin/sh\necho 'Job for condor.service failed because the control process exited' >&2\nexit 1\n",
                "exited 1: \"Job for condor.service failed because the control process exited\"",
                Duration.ofSeconds(10));
    }

    @Test
    void poll_reloadCommandHangs_killedAfterTimeoutKeepsPolling() throws Exception {
        reloadBroken(
                "reload command hangs past condor.timeout",
                "#!/bin/sh\nexec sleep 60\n",
                "did not finish within 1 s and was killed",
                Duration.ofSeconds(10));
    }

    @Test
    void poll_reloadCommandHangsWithGrandchildHoldingItsOutput_killedKeepsPolling() throws Exception {
        reloadBroken(
                "reload command hangs, a grandchild holds its output open",
                "#!/bin/sh\nsleep 60 &\nsleep 60\n",
                "did not finish within 1 s and was killed",
                Duration.ofSeconds(12));
    }

    // --- HTCondor's parser rejecting our new fragment -------------------------------------------------

    /**
     * A condor_config_val that rejects our fragment when it names {@code poisoned}, as a future HTCondor
     * could, in the real tool's words; otherwise the usual fake. Our fragment always parses with the fake,
     * so this stand-in is the only way to make HTCondor blame it.
     */
    private static Path rejecting(Rig rig, String poisoned) throws Exception {
        return rig.script(
                "condor_config_val_rejecting",
                "#!/bin/sh\n"
                        + "if grep -q 'TCP_FORWARDING_HOST = " + poisoned + "' " + rig.fragment + " 2>/dev/null; then\n"
                        + "  echo 'Configuration Error Line 7 while reading config source " + rig.fragment + "' >&2\n"
                        + "  exit 1\n"
                        + "fi\n"
                        + "exec " + rig.condorConfigVal + " \"$@\"\n");
    }

    @Test
    void poll_htcondorRejectsNewFragment_rolledBackReportedOnceStaysRolledBackKeepsPolling() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            rig.set(ConfigKey.CONDOR_CONFIG_VAL, rejecting(rig, B).toString());
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                assertEquals(1, rig.reloadCount());

                imds.setPublicIpv4(B);
                int mark = rig.mark();
                for (int i = 0; i < 4; i++) {
                    rig.poll(daemon, 1);
                    assertFragment(
                            bytes(A), rig.fragmentBytes(), "rolled back, and stays rolled back (poll " + (i + 1) + ")");
                    assertEquals(List.of(), rig.tempFiles());
                }
                TALLY.add("reloads_onto_a_rejected_configuration", rig.reloadCount() - 1);
                TALLY.count("rejected_configurations");
                assertEquals(1, rig.reloadCount(), "never reloaded onto a configuration HTCondor rejects");
                List<String> problems = rig.problemsSince(mark).stream()
                        .filter(l -> !l.contains("public address changed") && !l.contains("settings checks"))
                        .toList();
                assertEquals(1, problems.size(), "reported once: " + problems);
                assertTrue(
                        problems.get(0)
                                        .startsWith(
                                                "<3>HTCondor rejects the new fragment (configuration error at line 7 of "
                                                        + rig.fragment)
                                && problems.get(0).contains("the previous one was restored"),
                        problems.get(0));
                DaemonState state = new StateStore(rig.stateDir).load();
                assertEquals(LastReload.Result.NOT_ATTEMPTED, state.lastReload.result());
                assertEquals(A, state.currentAddress, "the state says what HTCondor was left with");
                assertEquals(A, rig.condorSays());

                imds.setPublicIpv4(C);
                rig.poll(daemon, 2);
                assertFragment(bytes(C), rig.fragmentBytes(), "the fragment");
                assertEquals(2, rig.reloadCount(), "a change HTCondor accepts is applied as usual");
                RESULTS.add("HTCondor rejects the new fragment\tproblem_lines=" + problems.size() + "\tpolls=6");
            }
        }
    }

    @Test
    void poll_htcondorRejectsNewFragment_triedAgainAfterReconfiguration() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            rig.set(ConfigKey.CONDOR_CONFIG_VAL, rejecting(rig, B).toString());
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                imds.setPublicIpv4(B);
                rig.poll(daemon, 2);
                assertFragment(bytes(A), rig.fragmentBytes(), "the fragment");

                // The administrator fixed HTCondor (here: the normal parser again) and reloaded seed-agent (SIGHUP).
                daemon.reconfigure(rig.set(ConfigKey.CONDOR_CONFIG_VAL, rig.condorConfigVal.toString())
                        .config());
                rig.poll(daemon, 1);
                assertFragment(bytes(B), rig.fragmentBytes(), "the fragment");
                assertEquals(2, rig.reloadCount());
                assertEquals(B, rig.condorSays());
                RESULTS.add("HTCondor rejects the new fragment, fixed, SIGHUP\tproblem_lines=1");
            }
        }
    }

    // --- the pre-flight tool ----------------------------------------------------------------------------

    @Test
    void poll_condorConfigValMissing_notReloadedReportedFragmentInPlace() throws Exception {
        preflightBroken("condor_config_val missing", dir.resolve("no-such-condor_config_val"), "cannot run");
    }

    @Test
    void poll_condorConfigValHangs_killedNotReloadedKeepsPolling() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            Path hanging = rig.script("condor_config_val_hanging", "#!/bin/sh\nexec sleep 60\n");
            preflightBroken("condor_config_val hangs past condor.timeout", hanging, "did not finish within 1 s");
        }
    }

    private void preflightBroken(String scenario, Path tool, String expected) throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            rig.set(ConfigKey.CONDOR_TIMEOUT, "1s");
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                daemon.reconfigure(
                        rig.set(ConfigKey.CONDOR_CONFIG_VAL, tool.toString()).config());
                imds.setPublicIpv4(B);
                int mark = rig.mark();
                rig.poll(daemon, 3);
                assertFragment(bytes(B), rig.fragmentBytes(), "our fragment is valid and stays in place");
                TALLY.add("reloads_onto_an_unverified_configuration", rig.reloadCount() - 1);
                TALLY.count("unverified_configurations");
                assertEquals(1, rig.reloadCount(), "a configuration that cannot be verified is not reloaded");
                List<String> problems = rig.problemsSince(mark).stream()
                        .filter(l -> !l.contains("public address changed") && !l.contains("settings checks"))
                        .toList();
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(
                        problems.get(0).contains("Not reloading")
                                && problems.get(0).contains(expected),
                        problems.get(0));

                daemon.reconfigure(rig.set(ConfigKey.CONDOR_CONFIG_VAL, rig.condorConfigVal.toString())
                        .config());
                imds.setPublicIpv4(C);
                rig.poll(daemon, 1);
                assertEquals(2, rig.reloadCount(), "the next change with a working pre-flight reloads");
                RESULTS.add(scenario + "\tproblem_lines=" + problems.size());
            }
        }
    }

    /** Compares the fragment with what it must be, counting the comparison (and a corrupted one) first. */
    private static void assertFragment(byte[] expected, byte[] actual, String message) {
        TALLY.check("fragment_checks", "fragments_corrupted", java.util.Arrays.equals(expected, actual));
        assertArrayEquals(expected, actual, message);
    }
}
