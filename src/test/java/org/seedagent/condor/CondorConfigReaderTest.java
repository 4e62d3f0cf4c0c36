package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.SystemProcessRunner;

class CondorConfigReaderTest {
    private static final List<String> KNOBS = List.of(
            "DAEMON_LIST",
            "TCP_FORWARDING_HOST",
            "ALLOW_WRITE",
            "SEC_PASSWORD_FILE",
            "JOB_DEFAULT_LEASE_DURATION",
            "SEC_DAEMON_AUTHENTICATION",
            "NO_SUCH_KNOB");

    @TempDir
    Path tmp;

    @Test
    void read_seedRecipe_usesOneLaunchAndSeesEveryKnob() throws Exception {
        Path root = FakeCondor.copyTree("seed-recipe", tmp.resolve("root"));
        List<List<String>> launched = new ArrayList<>();
        ProcessRunner counting = (command, timeout) -> {
            launched.add(command);
            return new SystemProcessRunner().run(command, timeout);
        };
        CondorConfigReader reader =
                new CondorConfigReader(counting, FakeCondor.install(tmp, root), Duration.ofSeconds(20));

        CondorEvaluation result = reader.read(KNOBS);

        CondorConfigView view =
                assertInstanceOf(CondorEvaluation.Evaluated.class, result).view();
        assertEquals(1, launched.size());
        assertEquals(
                List.of(
                        "-dump",
                        "-v",
                        "-expand",
                        "^(DAEMON_LIST|TCP_FORWARDING_HOST|ALLOW_WRITE|SEC_PASSWORD_FILE|JOB_DEFAULT_LEASE_DURATION"
                                + "|SEC_DAEMON_AUTHENTICATION|NO_SUCH_KNOB)$"),
                launched.get(0).subList(1, 5));
        assertEquals(
                "MASTER COLLECTOR SCHEDD STARTD NEGOTIATOR",
                view.value("DAEMON_LIST").orElseThrow());
        Knob forwarding = view.knob("TCP_FORWARDING_HOST").orElseThrow();
        assertEquals("203.0.113.10", forwarding.value());
        assertEquals(new KnobLocation("/etc/condor/condor_config", 16, null), forwarding.location());
        assertEquals("$(EC2PublicIP)", forwarding.raw());
        assertEquals(" 203.0.113.10", view.value("ALLOW_WRITE").orElseThrow());
        assertEquals(
                "/etc/condor/condor_pool_password",
                view.value("SEC_PASSWORD_FILE").orElseThrow());
        assertEquals("REQUIRED", view.value("SEC_DAEMON_AUTHENTICATION").orElseThrow());
        assertTrue(
                view.knob("JOB_DEFAULT_LEASE_DURATION").orElseThrow().location().isDefault());
        assertTrue(view.knob("NO_SUCH_KNOB").isEmpty());
    }

    @Test
    void read_laterFileOverrides_locationNamesThatFile() throws Exception {
        Path root = FakeCondor.copyTree("seed-recipe", tmp.resolve("root"));
        Files.writeString(
                root.resolve("etc/condor/config.d/50-seed-agent.conf"), "TCP_FORWARDING_HOST = 203.0.113.10\n");
        Files.writeString(
                root.resolve("etc/condor/config.d/99-local"), "# local\n\nTCP_FORWARDING_HOST = 198.51.100.7\n");
        Files.writeString(root.resolve("etc/condor/config.d/99-local.rpmnew"), "TCP_FORWARDING_HOST = 192.0.2.1\n");
        Files.writeString(root.resolve("etc/condor/config.d/.99-hidden"), "TCP_FORWARDING_HOST = 192.0.2.2\n");

        CondorConfigView view = evaluated(root);

        Knob forwarding = view.knob("TCP_FORWARDING_HOST").orElseThrow();
        assertEquals("198.51.100.7", forwarding.value());
        assertEquals(new KnobLocation("/etc/condor/config.d/99-local", 3, null), forwarding.location());
    }

    @Test
    void read_parseError_isAFailureNamingFileAndLine() throws Exception {
        Path root = FakeCondor.copyTree("seed-recipe", tmp.resolve("root"));
        Files.writeString(root.resolve("etc/condor/config.d/60-broken"), "# fine\nTCP_FORWARDING_HOST 1.2.3.4\n");

        CondorEvaluation result = reader(root).read(KNOBS);

        CondorEvaluation.Failed failed = assertInstanceOf(CondorEvaluation.Failed.class, result);
        assertEquals(CondorEvaluation.Kind.CONFIGURATION_ERROR, failed.kind());
        assertEquals("/etc/condor/config.d/60-broken", failed.file());
        assertEquals(2, failed.line());
        assertEquals(
                "configuration error at line 2 of /etc/condor/config.d/60-broken (HTCondor: Configuration Error"
                        + " Line 2 while reading config source /etc/condor/config.d/60-broken)",
                failed.reason());
    }

    @Test
    void interpret_errorInTheTopLevelFile_isAConfigurationErrorNamingFileAndLine() {
        // HTCondor 24.0 says "global config source" for the file CONDOR_CONFIG names (seen with the real
        // condor_config_val by CondorConfigValContractTest); this was once reported as an unknown tool failure.
        ProcessResult real = new ProcessResult(
                1,
                "",
                "Config source Error \"/etc/condor/condor_config\", Line 20:"
                        + " Illegal Identifier: <TCP-FORWARDING-HOST>\nConfiguration Error Line 20 while reading global config"
                        + " source /etc/condor/condor_config\n",
                false);

        CondorEvaluation result = new CondorConfigReader(
                        (command, timeout) -> real, Path.of("condor_config_val"), Duration.ofSeconds(5))
                .interpret(real);

        CondorEvaluation.Failed failed = assertInstanceOf(CondorEvaluation.Failed.class, result);
        assertEquals(CondorEvaluation.Kind.CONFIGURATION_ERROR, failed.kind());
        assertEquals("/etc/condor/condor_config", failed.file());
        assertEquals(20, failed.line());
        assertEquals(
                "configuration error at line 20 of /etc/condor/condor_config (HTCondor: Configuration Error"
                        + " Line 20 while reading global config source /etc/condor/condor_config)",
                failed.reason());
    }

    @Test
    void read_missingBinary_isNotInstalled() throws Exception {
        CondorConfigReader reader = new CondorConfigReader(
                new SystemProcessRunner(), tmp.resolve("no/such/condor_config_val"), Duration.ofSeconds(5));

        CondorEvaluation.Failed failed = assertInstanceOf(CondorEvaluation.Failed.class, reader.read(KNOBS));

        assertEquals(CondorEvaluation.Kind.NOT_INSTALLED, failed.kind());
        assertEquals(
                "cannot run " + tmp.resolve("no/such/condor_config_val") + ": No such file or directory",
                failed.reason());
    }

    @Test
    void read_slowTool_timesOut() throws Exception {
        Path root = FakeCondor.copyTree("seed-recipe", tmp.resolve("root"));
        Path tool = FakeCondor.install(tmp, root, Map.of("FAKE_CONDOR_SLEEP", "30"));
        CondorConfigReader reader = new CondorConfigReader(new SystemProcessRunner(), tool, Duration.ofMillis(400));

        long start = System.nanoTime();
        CondorEvaluation.Failed failed = assertInstanceOf(CondorEvaluation.Failed.class, reader.read(KNOBS));

        assertEquals(CondorEvaluation.Kind.TIMED_OUT, failed.kind());
        assertEquals(tool + " did not finish within 400 ms and was killed", failed.reason());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void read_toolFailsOtherwise_quotesWhatItSaid() throws Exception {
        Path root = tmp.resolve("empty-root");
        Files.createDirectories(root);

        CondorEvaluation.Failed failed =
                assertInstanceOf(CondorEvaluation.Failed.class, reader(root).read(KNOBS));

        assertEquals(CondorEvaluation.Kind.TOOL_FAILED, failed.kind());
        // HTCondor's message names the missing file on its second line.
        assertTrue(
                failed.reason()
                        .endsWith("exited with status 1: \"File specified in CONDOR_CONFIG environment"
                                + " variable: \\\"/etc/condor/condor_config\\\" does not exist.\""),
                failed.reason());
    }

    @Test
    void interpret_unexpectedOutput_isToolFailed() {
        CondorConfigReader reader =
                new CondorConfigReader((c, t) -> null, Path.of("/usr/bin/condor_config_val"), Duration.ofSeconds(1));

        CondorEvaluation.Failed failed = assertInstanceOf(
                CondorEvaluation.Failed.class,
                reader.interpret(new ProcessResult(0, "<html>hello</html>\n", "", false)));

        assertEquals(CondorEvaluation.Kind.TOOL_FAILED, failed.kind());
        assertTrue(
                failed.reason().startsWith("unexpected output from /usr/bin/condor_config_val: line 1"),
                failed.reason());
        assertEquals(
                "/usr/bin/condor_config_val exited with status 3 and printed nothing on standard error",
                ((CondorEvaluation.Failed) reader.interpret(new ProcessResult(3, "", "", false))).reason());
    }

    @Test
    void regex_rejectsNamesThatAreNotIdentifiers() {
        assertEquals(
                "^(A|COLLECTOR\\.ALLOW_DAEMON)$", CondorConfigReader.regex(List.of("A", "COLLECTOR.ALLOW_DAEMON")));
        assertThrows(IllegalArgumentException.class, () -> CondorConfigReader.regex(List.of("A|.*")));
        assertThrows(IllegalArgumentException.class, () -> CondorConfigReader.regex(List.of()));
    }

    private CondorConfigReader reader(Path root) {
        return new CondorConfigReader(new SystemProcessRunner(), FakeCondor.install(tmp, root), Duration.ofSeconds(20));
    }

    private CondorConfigView evaluated(Path root) throws InterruptedException {
        return assertInstanceOf(CondorEvaluation.Evaluated.class, reader(root).read(KNOBS))
                .view();
    }
}
