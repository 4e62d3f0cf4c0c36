package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.ProcessResult;
import org.seedagent.testing.FakeMetadataSource;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FakeMetadataSource metadata;

    @BeforeEach
    void captureLogs() {
        LogSettings.get().setOutput(new PrintStream(err, true, StandardCharsets.UTF_8), false);
        metadata = new FakeMetadataSource()
                .with("public-ipv4", "203.0.113.10")
                .with("instance-id", "i-0123456789abcdef0")
                .with("local-ipv4", "172.31.16.20");
    }

    @AfterEach
    void restoreLogs() {
        LogSettings.get().setOutput(System.err, false);
        LogSettings.get().setLevel(Level.INFO);
    }

    private int run(String... args) throws InterruptedException {
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.systemUTC(),
                (command, timeout) -> new ProcessResult(127, "", "not expected in this test", false),
                settings -> metadata,
                dir.resolve("no-default.conf"),
                false);
        return new Main(context).run(args);
    }

    /** The program with the real metadata client (no fake), its output captured. */
    private Main withRealMetadataClient() {
        return new Main(new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.systemUTC(),
                (command, timeout) -> new ProcessResult(127, "", "not expected in this test", false),
                settings -> new org.seedagent.metadata.ImdsMetadataSource(
                        settings, Clock.systemUTC(), org.seedagent.support.Sleeper.SYSTEM),
                dir.resolve("no-default.conf"),
                false));
    }

    private Path config(String... lines) throws IOException {
        Files.createDirectories(dir.resolve("config.d"));
        Path file = dir.resolve("seed-agent.conf");
        Files.writeString(
                file,
                "fragment.path = " + dir.resolve("config.d/50-seed-agent.conf") + "\n" + String.join("\n", lines)
                        + "\n");
        return file;
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_listsSubCommands() throws Exception {
        assertEquals(ExitCode.OK, run("--help"));
        for (String command : new String[] {"once", "run", "check", "status", "prepare-image", "demo", "emulator"}) {
            assertTrue(stdout().contains("  " + command + " "), stdout());
        }
    }

    @Test
    void everyListedCommand_isCreatedUnderItsOwnName_andEachHelpWorks() throws Exception {
        for (String name : Main.COMMAND_NAMES) {
            Command command = Main.command(name);
            assertEquals(name, command.name());
            out.reset();
            assertEquals(ExitCode.OK, run(name, "--help"));
            assertTrue(stdout().startsWith("Usage: seed-agent " + name), stdout());
        }
        assertEquals(null, Main.command("nonsense"));
    }

    @Test
    void commandHelp_printsUsage() throws Exception {
        assertEquals(ExitCode.OK, run("once", "--help"));
        assertTrue(stdout().startsWith("Usage: seed-agent once"), stdout());
    }

    @Test
    void version_printsBuildVersion() throws Exception {
        assertEquals(ExitCode.OK, run("--version"));
        assertTrue(stdout().matches("seed-agent \\d+\\.\\d+\\.\\d+.*\n"), stdout());
    }

    @Test
    void run_noCommand_usageError() throws Exception {
        assertEquals(ExitCode.USAGE, run());
        assertTrue(stderr().contains("no command given"), stderr());
    }

    @Test
    void run_unknownCommand_usageError() throws Exception {
        assertEquals(ExitCode.USAGE, run("frobnicate"));
        assertTrue(stderr().contains("unknown command frobnicate"), stderr());
    }

    @Test
    void once_unknownArgument_usageError() throws Exception {
        assertEquals(ExitCode.USAGE, run("once", "--force"));
        assertTrue(stderr().contains("once: unknown option --force"), stderr());
    }

    @Test
    void once_publicIp_writesFragmentAndPrintsOneLine() throws Exception {
        Path config = config();
        assertEquals(ExitCode.OK, run("--config", config.toString(), "once"));
        Path fragment = dir.resolve("config.d/50-seed-agent.conf");
        assertEquals("wrote " + fragment + ": TCP_FORWARDING_HOST = 203.0.113.10\n", stdout());
        assertTrue(Files.readString(fragment).contains("TCP_FORWARDING_HOST = 203.0.113.10\n"));
        assertTrue(Files.readString(fragment).contains("EC2InstanceID = \"i-0123456789abcdef0\"\n"));
        assertEquals(List.of("public-ipv4", "instance-id"), metadata.requests(), "two requests on the boot path");
        assertTrue(metadata.closed());
    }

    @Test
    void once_secondRun_unchanged() throws Exception {
        Path config = config();
        run("--config", config.toString(), "once");
        out.reset();
        assertEquals(ExitCode.OK, run("--config=" + config, "once"));
        assertTrue(stdout().startsWith("unchanged "), stdout());
    }

    @Test
    void once_noPublicIp_exitZeroAndSaysSo() throws Exception {
        metadata = new FakeMetadataSource().with("local-ipv4", "172.31.16.20");
        assertEquals(ExitCode.OK, run("--config", config().toString(), "once"));
        assertTrue(stdout().contains("no public IPv4 on this instance"), stdout());
    }

    /**
     * Issue 22: the real metadata client at a port nobody listens on (loopback): the error names the service's URL
     * once, says what happened in words, and shows no Java class name.
     */
    @Test
    void once_metadataServiceRefuses_realClient_errorNamesTheUrlOnce_noClassName() throws Exception {
        int port;
        try (java.net.ServerSocket closed =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        Path config = config("metadata.endpoint = " + url, "metadata.deadline = 1s");
        assertEquals(
                ExitCode.UNAVAILABLE,
                withRealMetadataClient().run(new String[] {"--config", config.toString(), "once"}));
        String said = stderr();
        assertEquals(1, said.split(java.util.regex.Pattern.quote(url), -1).length - 1, said);
        assertTrue(said.contains("connection refused"), said);
        assertFalse(said.matches("(?s).*\\b(java|javax|sun)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*"), said);
        assertFalse(said.contains("ConnectException"), said);
        assertFalse(Files.exists(dir.resolve("config.d/50-seed-agent.conf")));
    }

    /**
     * Issue 22: progress while the metadata service does not answer, through the command: a loopback server that
     * takes connections and never answers; after 5 s `once` says it is still waiting, on standard error, with the
     * `seed-agent:` prefix.
     */
    @Test
    void once_metadataServiceSilent_saysItIsStillWaiting() throws Exception {
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread taker = new Thread(
                    () -> {
                        List<java.net.Socket> held = new java.util.ArrayList<>();
                        try {
                            while (true) {
                                held.add(silent.accept()); // held open, never answered
                            }
                        } catch (IOException e) {
                            held.forEach(socket -> {
                                try {
                                    socket.close();
                                } catch (IOException ignored) {
                                    // closing at the end of the test
                                }
                            });
                        }
                    },
                    "silent-metadata-service");
            taker.setDaemon(true);
            taker.start();
            Path config = config(
                    "metadata.endpoint = http://127.0.0.1:" + silent.getLocalPort() + "/",
                    "metadata.deadline = 7s",
                    "metadata.request-timeout = 1s");
            assertEquals(
                    ExitCode.UNAVAILABLE,
                    withRealMetadataClient().run(new String[] {"--config", config.toString(), "once"}));
        }
        String said = stderr();
        assertTrue(
                said.lines().anyMatch(l -> l.startsWith("seed-agent: still waiting for the metadata service at")),
                said);
    }

    @Test
    void once_metadataDisabled_exit69NothingWritten() throws Exception {
        metadata = new FakeMetadataSource()
                .failingWith(new MetadataException(
                        MetadataException.Kind.DISABLED,
                        "public-ipv4",
                        "the instance metadata service is disabled (HTTP 403)"));
        assertEquals(ExitCode.UNAVAILABLE, run("--config", config().toString(), "once"));
        assertTrue(stderr().contains("disabled (HTTP 403)"), stderr());
        assertFalse(Files.exists(dir.resolve("config.d/50-seed-agent.conf")));
        assertEquals("", stdout());
    }

    @Test
    void once_invalidBody_exit69PreviousFragmentKept() throws Exception {
        Path config = config();
        run("--config", config.toString(), "once");
        Path fragment = dir.resolve("config.d/50-seed-agent.conf");
        String before = Files.readString(fragment);
        metadata = new FakeMetadataSource().with("public-ipv4", "203.0.113.10\nALLOW_WRITE = *");
        assertEquals(ExitCode.UNAVAILABLE, run("--config", config.toString(), "once"));
        assertTrue(stderr().contains("\"203.0.113.10\\nALLOW_WRITE = *\""), stderr());
        assertEquals(before, Files.readString(fragment));
    }

    @Test
    void once_directoryMissing_exit73() throws Exception {
        Path config = dir.resolve("seed-agent.conf");
        Files.writeString(config, "fragment.path = " + dir.resolve("absent/50-seed-agent.conf") + "\n");
        assertEquals(ExitCode.CANT_CREATE, run("--config", config.toString(), "once"));
        assertTrue(stderr().contains("does not exist"), stderr());
    }

    @Test
    void once_invalidConfig_exit78NothingWrittenNoMetadataRequest() throws Exception {
        Path config = config("metadata.deadline = forever");
        assertEquals(ExitCode.CONFIG, run("--config", config.toString(), "once"));
        assertTrue(
                stderr().contains(config + ": invalid value \"forever\" for key metadata.deadline (line "), stderr());
        assertTrue(stderr().contains("); expected a duration"), stderr());
        assertTrue(metadata.requests().isEmpty());
        assertFalse(Files.exists(dir.resolve("config.d/50-seed-agent.conf")));
    }

    @Test
    void once_explicitConfigMissing_exit78() throws Exception {
        assertEquals(ExitCode.CONFIG, run("--config", dir.resolve("nope.conf").toString(), "once"));
        assertTrue(stderr().contains("does not exist"), stderr());
    }
}
