package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.checks.Checks;
import org.seedagent.fragment.Fragment;
import org.seedagent.image.ImageSurvey;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.realcondor.RealHtcondor;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.testing.Trees;

/**
 * The fake condor_config_val stays honest: every {@code condor_config_val} command line seed-agent runs
 * (built by {@link CondorConfigReader#command} from the knob lists of {@code check}, {@code prepare-image},
 * the daemon's pre-flight and {@code status}), and the command forms the fake documents (those of the
 * recorded transcripts), run against the REAL condor_config_val ({@link RealHtcondor}) and against the
 * fake, over the same configuration trees, must give the same standard output, standard error and exit
 * status. Where they differ, the fake is wrong.
 *
 * <p>Each scenario is a configuration tree rooted at {@code /} (the fixtures under
 * src/test/resources/condor/, layered, plus files written here). The real tool needs real paths, so it
 * reads a copy of the tree under a temporary directory in which every {@code /etc/condor} is replaced by
 * that directory's {@code /etc/condor}. The fake runs twice: on that very copy ({@code CONDOR_CONFIG} the
 * same real path, exactly the real tool's input), and the way every other test runs it
 * ({@link FakeCondor#install}: the tree as written, {@code FAKE_CONDOR_ROOT} standing for {@code /}).
 *
 * <p>Normalisations, the only ones: (1) for the second fake run, the temporary directory is removed from
 * the real tool's output (it printed real paths, the fake prints the paths as the tree names them);
 * (2) none for the machine name: the fake is told the name the real tool detects on this host
 * ({@code FAKE_CONDOR_HOSTNAME}), since it is legitimately host-specific. The user name is the same process
 * user for both. Both tools run with the same, minimal environment ({@code env -i}: PATH, HOME,
 * CONDOR_CONFIG), so nothing from the build's environment ({@code _CONDOR_*} settings) leaks into one only.
 *
 * <p>For seed-agent's own command lines it also checks that the agent's parser
 * ({@link CondorConfigReader#interpret}) understands the real tool's output as the scenario expects.
 */
class CondorConfigValContractTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Ipv4Address PUBLIC_IP = Ipv4Address.parse("203.0.113.10");
    private static String realHostname;

    /** How the agent must read the real tool's answer to its own command lines in a scenario. */
    record Expected(CondorEvaluation.Kind failure, String errorFile, int errorLine) {
        static final Expected EVALUATED = new Expected(null, null, 0);

        static Expected configurationError(String file, int line) {
            return new Expected(CondorEvaluation.Kind.CONFIGURATION_ERROR, file, line);
        }
    }

    /** A configuration tree (rooted at {@code /}) built into a directory. */
    @FunctionalInterface
    interface Tree {
        void build(Path root) throws IOException;
    }

    record Scenario(String name, Tree tree, Expected expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every scenario on every bundled release: the fake must equal each (it is told which with FAKE_CONDOR_VERSION). */
    static Stream<Arguments> scenarios() {
        List<RealHtcondor.Release> releases = RealHtcondor.releases();
        return scenarioList().stream().flatMap(s -> releases.stream().map(r -> Arguments.of(r, s)));
    }

    static List<Scenario> scenarioList() {
        List<Scenario> all = List.of(
                new Scenario(
                        "seed-recipe: the original seed recipe",
                        root -> fixture(root, "seed-recipe"),
                        Expected.EVALUATED),
                new Scenario(
                        "seed-recipe with seed-agent's fragment",
                        root -> {
                            fixture(root, "seed-recipe");
                            fragment(root);
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "modern: use ROLE, use security: recommended_v9_0",
                        root -> fixture(root, "modern"),
                        Expected.EVALUATED),
                new Scenario(
                        "recommended: use ROLE, use security: recommended",
                        root -> {
                            fixture(root, "recommended");
                            fragment(root);
                        },
                        Expected.EVALUATED),
                new Scenario("execute-only node", root -> fixture(root, "execute-only"), Expected.EVALUATED),
                new Scenario(
                        "open-write: ALLOW_WRITE = * without authentication",
                        root -> fixture(root, "open-write"),
                        Expected.EVALUATED),
                new Scenario(
                        "overrides: a later file sets TCP_FORWARDING_HOST",
                        root -> {
                            fixture(root, "seed-recipe");
                            fragment(root);
                            fixture(root, "overrides");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "annex-keys: key files and the password directory set",
                        root -> {
                            fixture(root, "seed-recipe");
                            fixture(root, "annex-keys");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "language: what the fake evaluates", CondorConfigValContractTest::language, Expected.EVALUATED),
                new Scenario(
                        "metaknob arguments, an obsolete ':', a first definition equal to the default",
                        root -> {
                            fixture(root, "seed-recipe");
                            write(
                                    root,
                                    "etc/condor/config.d/60-metaknobs",
                                    String.join(
                                            "\n",
                                            "use security:recommended_v9_0(alice, bob@*, extra1, extra2)",
                                            "use ROLE : centralmanager, submit",
                                            "SEC_WRITE_AUTHENTICATION : REQUIRED",
                                            "ALLOW_ADVERTISE_STARTD words before the operator = condor_pool@*",
                                            "USE_SHARED_PORT = True",
                                            "@use role: execute",
                                            ""));
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "broken: a config.d line without '='",
                        root -> {
                            fixture(root, "seed-recipe");
                            fixture(root, "broken");
                        },
                        Expected.configurationError("/etc/condor/config.d/60-broken", 1)),
                new Scenario(
                        "broken main file: a line without '=' in condor_config",
                        root -> {
                            fixture(root, "seed-recipe");
                            append(root, "etc/condor/condor_config", "this line has no equals sign\n");
                        },
                        Expected.configurationError("/etc/condor/condor_config", 20)),
                new Scenario(
                        "illegal identifier in config.d",
                        root -> {
                            fixture(root, "seed-recipe");
                            write(root, "etc/condor/config.d/60-broken", "TCP-FORWARDING-HOST = 192.0.2.1\n");
                        },
                        Expected.configurationError("/etc/condor/config.d/60-broken", 1)),
                new Scenario(
                        "unterminated multi-line value in config.d",
                        root -> {
                            fixture(root, "seed-recipe");
                            write(
                                    root,
                                    "etc/condor/config.d/60-broken",
                                    "# opened, never closed\nALLOW_DAEMON @=end\n" + "  condor_pool@*\n");
                        },
                        Expected.configurationError("/etc/condor/config.d/60-broken", 3)),
                new Scenario(
                        "injected second line (transcript-errors)",
                        root -> {
                            fixture(root, "seed-recipe");
                            write(
                                    root,
                                    "etc/condor/config.d/60-broken",
                                    "TCP_FORWARDING_HOST = 203.0.113.10\nALLOW_WRITE = *\n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "EC2PublicIP empty (transcript-errors)",
                        root -> {
                            fixture(root, "seed-recipe");
                            write(root, "etc/condor/config.d/60-broken", "EC2PublicIP =   \n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "1bad = x is accepted (transcript-errors)",
                        root -> {
                            fixture(root, "seed-recipe");
                            write(root, "etc/condor/config.d/60-broken", "1bad = x\n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "no condor_config at CONDOR_CONFIG",
                        root -> Files.createDirectories(root.resolve("etc")),
                        new Expected(CondorEvaluation.Kind.TOOL_FAILED, null, 0)),
                new Scenario(
                        "hpc-annex: the seed of today (use FEATURE: HPC_ANNEX)",
                        root -> {
                            fixture(root, "hpc-annex");
                            fragment(root);
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex before the first boot: no fragment",
                        root -> fixture(root, "hpc-annex"),
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex: ANNEX_COLLECTOR overridden to a private address",
                        root -> {
                            fixture(root, "hpc-annex");
                            fragment(root);
                            write(
                                    root,
                                    "etc/condor/config.d/60-local",
                                    "ANNEX_COLLECTOR = 10.0.0.5:9618?sock=ap_collector\n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex: shared port off",
                        root -> {
                            fixture(root, "hpc-annex");
                            fragment(root);
                            write(root, "etc/condor/config.d/60-local", "USE_SHARED_PORT = false\n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex: AP_COLLECTOR removed from DAEMON_LIST",
                        root -> {
                            fixture(root, "hpc-annex");
                            fragment(root);
                            write(
                                    root,
                                    "etc/condor/config.d/60-local",
                                    "DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD\n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex: TRUST_DOMAIN = $(TCP_FORWARDING_HOST)",
                        root -> {
                            fixture(root, "hpc-annex");
                            fragment(root);
                            write(root, "etc/condor/config.d/60-local", "TRUST_DOMAIN = $(TCP_FORWARDING_HOST)\n");
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex: the feature's `if` branches taken (a personal COLLECTOR_HOST, exclusive jobs)",
                        root -> {
                            // Set before the `use`, in the same file: config.d is read after the metaknob.
                            fixture(root, "hpc-annex");
                            Path config = root.resolve("etc/condor/condor_config");
                            Files.writeString(
                                    config,
                                    Files.readString(config)
                                            .replace(
                                                    "use FEATURE: HPC_ANNEX",
                                                    "COLLECTOR_HOST = 127.0.0.1:0\nANNEX_JOBS_EXCLUSIVELY = true\nuse FEATURE: HPC_ANNEX"));
                        },
                        Expected.EVALUATED),
                new Scenario(
                        "hpc-annex with the original seed recipe's COLLECTOR_HOST",
                        root -> {
                            fixture(root, "seed-recipe");
                            fragment(root);
                            write(root, "etc/condor/config.d/60-local", "use FEATURE : HPC_ANNEX\n");
                        },
                        Expected.EVALUATED));
        return all;
    }

    /** Every command line seed-agent runs, by who runs it, without the program itself. */
    static Map<String, List<String>> agentInvocations() {
        Map<String, Collection<String>> knobs = new LinkedHashMap<>();
        knobs.put("check", Checks.KNOBS);
        knobs.put("prepare-image", ImageSurvey.KNOBS);
        // Package-private in packages this test does not live in; read as the program reads them.
        knobs.put("run (pre-flight)", staticField("org.seedagent.daemon.CondorConfigProbe", "ALL_KNOBS"));
        knobs.put("status", staticField("org.seedagent.status.StatusGatherer", "KNOBS"));
        Map<String, List<String>> lines = new LinkedHashMap<>();
        CondorConfigReader reader =
                new CondorConfigReader(new SystemProcessRunner(), Path.of("condor_config_val"), TIMEOUT);
        knobs.forEach((who, names) -> {
            List<String> command = reader.command(names);
            lines.put(who, command.subList(1, command.size()));
        });
        return lines;
    }

    /** The command forms the fake documents and the recorded transcripts show. */
    static Map<String, List<String>> documentedInvocations() {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        lines.put("NAME", List.of("TCP_FORWARDING_HOST"));
        lines.put("NAME...", List.of("TCP_FORWARDING_HOST", "NO_SUCH_KNOB", "DAEMON_LIST", "collector_host"));
        lines.put(
                "-v NAME...",
                List.of("-v", "TCP_FORWARDING_HOST", "DAEMON_LIST", "ALLOW_WRITE", "SHARED_PORT_PORT", "NO_SUCH_KNOB"));
        lines.put("-raw NAME...", List.of("-raw", "TCP_FORWARDING_HOST", "COLLECTOR_HOST", "SEC_PASSWORD_FILE"));
        lines.put("-config", List.of("-config"));
        lines.put(
                "-dump -v -expand REGEX",
                List.of("-dump", "-v", "-expand", "TCP_FORWARDING|EC2|COLLECTOR_HOST|ALLOW_DAEMON"));
        lines.put("-dump REGEX", List.of("-dump", "TCP_FORWARDING"));
        lines.put(
                "-dump -v -expand REGEX REGEX",
                List.of("-dump", "-v", "-expand", "^DAEMON_LIST$", "^ALLOW_(DAEMON|WRITE)$"));
        lines.put(
                "-dump -v -expand HPC_ANNEX's knobs",
                List.of(
                        "-dump",
                        "-v",
                        "-expand",
                        "^(ANNEX_COLLECTOR|ANNEX_TOKEN_.*|AP_COLLECTOR.*|SCHEDD\\.COLLECTOR_HOST|COLLECTOR_HOST|HPC_ANNEX_ENABLED"
                                + "|JOB_TRANSFORM_NAMES|UID_DOMAIN|CONDOR_VERSION)$"));
        return lines;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("scenarios")
    void fakeAndRealCondorConfigVal_sameOutputsAndExitStatus(
            RealHtcondor.Release release, Scenario scenario, @TempDir Path tmp) throws Exception {
        Path real = release.home().resolve("bin/condor_config_val");
        Path tree = tmp.resolve("tree");
        Path rooted = tmp.resolve("rooted");
        scenario.tree().build(tree);
        Files.createDirectories(tree);
        Trees.copy(tree, rooted);
        substituteRoot(rooted);
        String condorConfig = rooted + "/etc/condor/condor_config";
        Path realTool = wrapper(tmp.resolve("real"), Map.of("CONDOR_CONFIG", condorConfig), real.toString());
        Map<String, String> fakeSameFiles = new LinkedHashMap<>();
        fakeSameFiles.put("CONDOR_CONFIG", condorConfig);
        fakeSameFiles.put("FAKE_CONDOR_HOSTNAME", realHostname());
        fakeSameFiles.put("FAKE_CONDOR_VERSION", release.version());
        Path fakeTool = wrapper(
                tmp.resolve("fake"),
                fakeSameFiles,
                "python3",
                FakeCondor.script().toString());
        Map<String, String> fakeMapped = new LinkedHashMap<>();
        fakeMapped.put("CONDOR_CONFIG", "/etc/condor/condor_config");
        fakeMapped.put("FAKE_CONDOR_ROOT", tree.toString());
        fakeMapped.put("FAKE_CONDOR_HOSTNAME", realHostname());
        fakeMapped.put("FAKE_CONDOR_VERSION", release.version());
        Path fakeRootedTool = wrapper(
                tmp.resolve("fake-rooted"),
                fakeMapped,
                "python3",
                FakeCondor.script().toString());

        Map<String, List<String>> agent = agentInvocations();
        Map<String, List<String>> invocations = new LinkedHashMap<>(agent);
        invocations.putAll(documentedInvocations());
        List<Executable> checks = new ArrayList<>();
        for (Map.Entry<String, List<String>> invocation : invocations.entrySet()) {
            String label = invocation.getKey() + ": condor_config_val " + String.join(" ", invocation.getValue());
            ProcessResult expected = run(realTool, invocation.getValue());
            ProcessResult fake = run(fakeTool, invocation.getValue());
            ProcessResult fakeRooted = run(fakeRootedTool, invocation.getValue());
            ProcessResult expectedRooted = unrooted(expected, rooted.toString());
            checks.add(() -> assertSame(label + " [fake on the same files]", expected, fake));
            checks.add(() -> assertSame(label + " [fake with FAKE_CONDOR_ROOT]", expectedRooted, fakeRooted));
            if (agent.containsKey(invocation.getKey())) {
                checks.add(() -> assertAgentReads(label, scenario.expected(), expectedRooted));
            }
        }
        assertAll(scenario.name(), checks);
    }

    private static void assertSame(String label, ProcessResult real, ProcessResult fake) {
        assertFalse(real.timedOut() || fake.timedOut(), label + ": timed out");
        assertEquals(
                real.stdout(),
                fake.stdout(),
                label + ": standard output" + firstDifference(real.stdout(), fake.stdout()));
        assertEquals(
                real.stderr(),
                fake.stderr(),
                label + ": standard error" + firstDifference(real.stderr(), fake.stderr()));
        assertEquals(real.exitCode(), fake.exitCode(), label + ": exit status (stderr: " + real.stderr() + ")");
    }

    /** Where two outputs part, for a readable failure: the line number and both lines. */
    private static String firstDifference(String real, String fake) {
        String[] a = real.split("\n", -1);
        String[] b = fake.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end>";
            String y = i < b.length ? b[i] : "<end>";
            if (!x.equals(y)) {
                return " differ at line " + (i + 1) + ": real [" + x + "], fake [" + y + "]";
            }
        }
        return "";
    }

    /** The agent's parser on the real tool's answer (paths as the tree names them). */
    private static void assertAgentReads(String label, Expected expected, ProcessResult real) {
        CondorEvaluation evaluation = new CondorConfigReader(
                        new SystemProcessRunner(), Path.of("condor_config_val"), TIMEOUT)
                .interpret(real);
        if (expected.failure() == null) {
            CondorEvaluation.Evaluated evaluated =
                    assertInstanceOf(CondorEvaluation.Evaluated.class, evaluation, label + ": " + evaluation);
            assertEquals(realHostname(), evaluated.view().machine(), label);
            assertFalse(evaluated.view().knobs().isEmpty(), label);
            return;
        }
        CondorEvaluation.Failed failed = assertInstanceOf(CondorEvaluation.Failed.class, evaluation, label);
        assertEquals(expected.failure(), failed.kind(), label + ": " + failed);
        assertEquals(expected.errorFile(), failed.file(), label + ": " + failed);
        assertEquals(expected.errorLine(), failed.line(), label + ": " + failed);
    }

    // --- running -------------------------------------------------------------------------------------

    private static ProcessResult run(Path tool, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(arguments);
        return new SystemProcessRunner().run(command, TIMEOUT);
    }

    /**
     * {@code dir/condor_config_val}: runs {@code program} with only PATH, HOME and {@code environment}, the
     * same for the real tool and the fake.
     */
    private static Path wrapper(Path dir, Map<String, String> environment, String... program) throws IOException {
        StringBuilder sh = new StringBuilder("#!/bin/sh\nexec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=")
                .append(quote(System.getProperty("user.home")));
        environment.forEach((k, v) -> sh.append(' ').append(k).append('=').append(quote(v)));
        for (String word : program) {
            sh.append(' ').append(quote(word));
        }
        sh.append(" \"$@\"\n");
        Files.createDirectories(dir);
        Path wrapper = dir.resolve("condor_config_val");
        Files.writeString(wrapper, sh, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static ProcessResult unrooted(ProcessResult result, String root) {
        return new ProcessResult(
                result.exitCode(),
                result.stdout().replace(root, ""),
                result.stderr().replace(root, ""),
                result.timedOut());
    }

    /** The machine name the real tool detects here (its FULL_HOSTNAME), asked once. */
    private static synchronized String realHostname() {
        if (realHostname == null) {
            try {
                Path dir = Files.createTempDirectory("contract-hostname-");
                try {
                    Path config = Files.writeString(dir.resolve("condor_config"), "# empty\n");
                    Path tool = wrapper(
                            dir,
                            Map.of("CONDOR_CONFIG", config.toString()),
                            RealHtcondor.program("condor_config_val").toString());
                    ProcessResult result = run(tool, List.of("FULL_HOSTNAME"));
                    assertEquals(0, result.exitCode(), result.stderr());
                    realHostname = result.stdout().strip();
                } finally {
                    Trees.delete(dir);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return realHostname;
    }

    // --- trees ---------------------------------------------------------------------------------------

    /** Replaces every {@code /etc/condor} in the tree's configuration files by {@code root/etc/condor}. */
    private static void substituteRoot(Path root) throws IOException {
        Path etc = root.resolve("etc/condor");
        if (!Files.isDirectory(etc)) {
            return;
        }
        try (Stream<Path> files = Files.walk(etc)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Files.writeString(file, text.replace("/etc/condor", root + "/etc/condor"), StandardCharsets.UTF_8);
            }
        }
    }

    private static void fixture(Path root, String name) throws IOException {
        Trees.copy(FakeCondor.resource("condor/" + name), root);
    }

    private static void fragment(Path root) throws IOException {
        write(
                root,
                "etc/condor/config.d/50-seed-agent.conf",
                new Fragment(PUBLIC_IP, Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0").text());
    }

    /** The language fixture, plus the files whose names build tools would not copy as resources. */
    private static void language(Path root) throws IOException {
        fixture(root, "language");
        write(root, "etc/condor/config.d/.30-hidden", "TCP_FORWARDING_HOST = 192.0.2.3\n");
        write(root, "etc/condor/config.d/40-backup~", "TCP_FORWARDING_HOST = 192.0.2.4\n");
        write(root, "etc/condor/config.d/50-old.rpmnew", "TCP_FORWARDING_HOST = 192.0.2.5\n");
        write(root, "etc/condor/config.d/60-script.sh", "TCP_FORWARDING_HOST = 192.0.2.6\n");
        write(root, "etc/condor/config.d/#61-emacs-autosave#", "TCP_FORWARDING_HOST = 192.0.2.7\n");
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void append(Path root, String path, String content) throws IOException {
        Files.writeString(root.resolve(path), content, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> staticField(String className, String field) {
        try {
            Field f = Class.forName(className).getDeclaredField(field);
            f.setAccessible(true);
            return (Collection<String>) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the knobs " + className + "." + field + " are gone: update this test", e);
        }
    }
}
