package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.cli.CliContext;
import org.seedagent.cli.Main;
import org.seedagent.config.ConfigKey;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.support.ProcessResult;

/**
 * The agent's own configuration turned hostile, through the command line in-process: every key with an
 * invalid value, for {@code run} and {@code once}, exits 78 with one line naming the file, the key, the
 * value and what was expected, before any metadata request, file write or child process. (The real exit
 * status of the launched program, an unreadable file and SIGHUP with an invalid file: AgentConfigIT.)
 */
class AgentConfigTest {
    private static final List<String> RESULTS = new ArrayList<>();
    /** The keys an invalid value was tried for, each refused with exit 78 and one line naming it. */
    private static final java.util.Set<ConfigKey> KEYS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The exit statuses seen. */
    private static final java.util.Set<Integer> EXITS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @RegisterExtension
    static final FiguresOnPass FIGURES = new FiguresOnPass(() -> Figures.of("agent configuration, in-process")
            .with("scenarios", RESULTS.size())
            .with("keys_with_an_invalid_value", KEYS.size())
            .with("keys", ConfigKey.values().length)
            .with("exit_statuses", new java.util.TreeSet<>(EXITS)));

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> sideEffects = new ArrayList<>();

    @BeforeEach
    void capture() {
        LogSettings.get().setOutput(new PrintStream(err, true, StandardCharsets.UTF_8), true);
    }

    @AfterEach
    void restore() {
        LogSettings.get().setOutput(System.err, false);
        LogSettings.get().setLevel(Level.INFO);
    }

    /** One invalid value per key, and the words of the expectation the message must give. */
    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of(ConfigKey.METADATA_ENDPOINT, "ftp://169.254.169.254", "an http:// URL"),
                Arguments.of(ConfigKey.METADATA_TOKEN_TTL, "7h", "between 1s and 6h"),
                Arguments.of(ConfigKey.METADATA_REQUEST_TIMEOUT, "10ms", "between 100ms and 1m"),
                Arguments.of(ConfigKey.METADATA_DEADLINE, "0s", "between 1s and 1h"),
                Arguments.of(
                        ConfigKey.FRAGMENT_PATH,
                        "/etc/condor/config.d/50-seed-agent.conf.rpmnew",
                        "whose file name HTCondor reads"),
                Arguments.of(ConfigKey.NO_PUBLIC_IP, "delete", "one of local-ipv4, remove, keep"),
                Arguments.of(ConfigKey.BOOT_ON_UNAVAILABLE, "wait", "one of keep, remove"),
                Arguments.of(ConfigKey.POLL_INTERVAL, "5ms", "between 10ms and 1h"),
                Arguments.of(ConfigKey.RELOAD_METHOD, "condor_reconfig", "one of reload, restart, none, command"),
                Arguments.of(ConfigKey.RELOAD_COMMAND, "systemctl reload condor", "an absolute program path"),
                Arguments.of(ConfigKey.CONDOR_UNIT, "condor", "a systemd service unit name"),
                Arguments.of(ConfigKey.ADVERTISE_TIMEOUT, "30s", "between 1m and 2h"),
                Arguments.of(ConfigKey.STATE_DIRECTORY, "var/lib/seed-agent", "an absolute path"),
                Arguments.of(ConfigKey.CONDOR_CONFIG_VAL, "condor_config_val", "an absolute path"),
                Arguments.of(ConfigKey.CONDOR_TIMEOUT, "11m", "between 1s and 10m"),
                Arguments.of(ConfigKey.LOG_LEVEL, "trace", "one of error, warn, info, debug"),
                Arguments.of(ConfigKey.IMDS_GUARD_ENABLED, "yes", "true or false"),
                Arguments.of(ConfigKey.IMDS_GUARD_ALLOW_USERS, "condor;nft flush ruleset", "or numeric ids"),
                Arguments.of(ConfigKey.IMDS_GUARD_ALLOW_GROUPS, "4294967295", "numeric ids from 0 to 4294967294"),
                Arguments.of(
                        ConfigKey.IMDS_GUARD_ALLOW_FORWARD_INTERFACES,
                        "docker0 } accept; flush ruleset #",
                        "network interface names"),
                Arguments.of(ConfigKey.EIP_ALLOCATION_ID, "eipassoc-0123456789abcdef0", "an Elastic IP allocation id"),
                Arguments.of(ConfigKey.EIP_ADDRESS, "203.0.113.010", "an IPv4 address in dotted-quad form"),
                Arguments.of(ConfigKey.EIP_ALLOW_REASSOCIATION, "yes", "true or false"),
                Arguments.of(ConfigKey.EIP_DEADLINE, "2s", "between 5s and 10m"),
                Arguments.of(ConfigKey.EC2_ENDPOINT, "ec2.us-east-1.amazonaws.com", "an http:// URL"));
    }

    @Test
    void invalidValues_coverEveryKey() {
        Set<ConfigKey> covered =
                invalidValues().map(a -> (ConfigKey) a.get()[0]).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(ConfigKey.class), covered, "a new key needs an invalid value here");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidValues")
    void runAndOnce_invalidValue_exit78MessageNamesFileKeyValueExpectationNothingDone(
            ConfigKey key, String value, String expected) throws Exception {
        Path configDir = Files.createDirectories(dir.resolve("config.d"));
        Path file = dir.resolve("seed-agent.conf");
        StringBuilder text = new StringBuilder("metadata.endpoint = http://127.0.0.1:9\n");
        text.append("fragment.path = ")
                .append(configDir.resolve("50-seed-agent.conf"))
                .append('\n');
        text.append("state.directory = ").append(dir.resolve("state")).append('\n');
        if (key == ConfigKey.RELOAD_COMMAND) {
            text.append("reload.method = command\n");
        }
        // The key under test last; keys set above are replaced, not repeated (a repeated key is its own error).
        String body = Arrays.stream(text.toString().split("\n"))
                .filter(l -> !l.startsWith(key.key() + " "))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(file, body + key.key() + " = " + value + "\n");

        for (String command : List.of("run", "once")) {
            err.reset();
            int code = main().run("--config", file.toString(), command);
            EXITS.add(code);
            assertEquals(78, code, command + ": " + err);
            List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), command + ": one line: " + lines);
            String line = lines.get(0);
            // The line of the key under test is the file's last (issue 22: every error names its line).
            long lineNumber = Files.readAllLines(file).size();
            assertTrue(
                    line.startsWith("<3>" + file + ": invalid value \"" + value + "\" for key " + key.key() + " (line "
                            + lineNumber + "); expected "),
                    line);
            assertTrue(line.contains(expected), line);
        }
        assertEquals(List.of(), sideEffects, "no metadata request, no child process");
        try (Stream<Path> files = Files.list(configDir)) {
            assertEquals(0, files.count(), "nothing written");
        }
        assertFalse(Files.exists(dir.resolve("state")), "no state directory created");
        RESULTS.add(key.key() + " = " + value);
        KEYS.add(key);
    }

    static Stream<Arguments> unusableFiles() {
        return Stream.of(
                Arguments.of(
                        "not UTF-8",
                        new byte[] {'l', 'o', 'g', '.', 'l', 'e', 'v', 'e', 'l', ' ', '=', ' ', (byte) 0xFF, '\n'},
                        "cannot read configuration file"),
                Arguments.of(
                        "unknown key",
                        "metadata.endpiont = http://127.0.0.1\n".getBytes(StandardCharsets.UTF_8),
                        "unknown key metadata.endpiont"),
                Arguments.of(
                        "key given twice",
                        "log.level = info\nlog.level = debug\n".getBytes(StandardCharsets.UTF_8),
                        "log.level is set twice (lines 1 and 2)"),
                Arguments.of(
                        "control character in a path",
                        "state.directory = /var/lib/seed\u0007agent\n".getBytes(StandardCharsets.UTF_8),
                        "an absolute path"),
                Arguments.of(
                        "newline escape smuggling a knob",
                        "fragment.path = /etc/condor/config.d/a\\nALLOW_WRITE=*\n".getBytes(StandardCharsets.UTF_8),
                        "fragment.path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableFiles")
    void run_unusableFile_exit78OneLine(String kind, byte[] content, String expected) throws Exception {
        Path file = dir.resolve("seed-agent.conf");
        Files.write(file, content);
        int code = main().run("--config", file.toString(), "run");
        EXITS.add(code);
        assertEquals(78, code, err.toString(StandardCharsets.UTF_8));
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("<3>" + file + ": ") && lines.get(0).contains(expected), lines.get(0));
        assertEquals(List.of(), sideEffects);
        RESULTS.add("file: " + kind);
    }

    @Test
    void run_configIsADirectoryOrMissing_exit78() throws Exception {
        for (Path file : List.of(dir, dir.resolve("absent.conf"))) {
            err.reset();
            assertEquals(78, main().run("--config", file.toString(), "run"));
            assertTrue(
                    err.toString(StandardCharsets.UTF_8).startsWith("<3>" + file + ": "),
                    err.toString(StandardCharsets.UTF_8));
        }
        RESULTS.add("file: a directory; missing");
    }

    private Main main() {
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.systemUTC(),
                (command, timeout) -> {
                    sideEffects.add("process " + command);
                    return new ProcessResult(127, "", "not expected", false);
                },
                settings -> {
                    sideEffects.add("metadata " + settings);
                    throw new AssertionError("no metadata source may be built with an invalid configuration");
                },
                dir.resolve("no-default.conf"),
                false);
        return new Main(context);
    }
}
