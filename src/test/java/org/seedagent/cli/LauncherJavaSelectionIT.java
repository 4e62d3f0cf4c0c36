package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.testing.Dist;

/**
 * Which Java the launcher picks (issue 24): the newest supported LTS runtime installed under /usr/lib/jvm, or the
 * version the administrator names (SEED_AGENT_JAVA_VERSION, /etc/seed-agent/java-version). A fake root
 * (SEED_AGENT_TEST_ROOT) holds "java" programs that print their own directory's name.
 */
class LauncherJavaSelectionIT {
    @TempDir
    Path root;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void javas() throws IOException {
        for (String name : new String[] {
            "jre-17",
            "java-21-openjdk-21.0.5.0.11-1.el9.x86_64",
            "java-25-openjdk-25.0.1.0.8-1.el9.x86_64",
            "java-11-openjdk-11.0.25.0.9-1.el9.x86_64"
        }) {
            Path java = root.resolve("usr/lib/jvm").resolve(name).resolve("bin/java");
            Files.createDirectories(java.getParent());
            Files.writeString(java, "#!/bin/sh\necho " + name + "\n");
            assertTrue(java.toFile().setExecutable(true));
        }
    }

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        return run(env, List.of("--version"));
    }

    private Run run(Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        Path out = root.resolve("out");
        Path err = root.resolve("err");
        List<String> command = new ArrayList<>(List.of(Dist.launcher().toString()));
        command.addAll(args);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.equals("JAVA_HOME") || k.startsWith("SEED_AGENT_"));
        builder.environment().put("SEED_AGENT_TEST_ROOT", root.toString());
        builder.environment().put("SEED_AGENT_CDS", "off");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * The options follow the runtime's release file: -XX:TrimNativeHeapInterval only where the JVM has it (an older
     * one refuses to start: given on 17 from 17.0.10, 21 from 21.0.1), -Xshare:auto not on 25 (it refuses it beside
     * the AOT cache options).
     */
    @Test
    void optionsFollowTheRuntimesReleaseFile() throws Exception {
        Map<String, String> expectTrim =
                Map.of("17.0.8", "no", "17.0.10", "yes", "21", "no", "21.0.1", "yes", "25.0.1", "yes");
        for (Map.Entry<String, String> version : expectTrim.entrySet()) {
            Path home = root.resolve("usr/lib/jvm/jre-" + version.getKey().split("\\.")[0]);
            Path java = home.resolve("bin/java");
            Files.createDirectories(java.getParent());
            Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
            assertTrue(java.toFile().setExecutable(true));
            Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version.getKey() + "\"\n");

            Run run = run(Map.of("SEED_AGENT_JAVA_VERSION", version.getKey().split("\\.")[0]));

            assertEquals(0, run.exit(), run.err());
            assertEquals(
                    version.getValue().equals("yes"),
                    run.out().contains("-XX:TrimNativeHeapInterval=5000"),
                    version.getKey() + ": " + run.out());
            assertEquals(
                    !version.getKey().startsWith("25"),
                    run.out().contains("-Xshare:auto"),
                    version.getKey() + ": " + run.out());
            assertTrue(run.out().contains("-XX:+UseSerialGC") && run.out().contains("-Xmn1m"), run.out());
        }
    }

    /**
     * The daemon, and only the daemon, runs on the interpreter (-Xint: 6 MiB less RSS for months, docs/PERFORMANCE.md),
     * wherever the command stands after the global options; an administrator's SEED_AGENT_JAVA_OPTS come after it, so
     * -Xmixed there wins.
     */
    @Test
    void theDaemonRunsInterpreted_everyOtherCommandKeepsTheCompiler() throws Exception {
        Path home = root.resolve("usr/lib/jvm/jre-17");
        Files.writeString(home.resolve("bin/java"), "#!/bin/sh\necho \"$@\"\n");
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Map<String, String> on17 = Map.of("SEED_AGENT_JAVA_VERSION", "17");
        for (List<String> daemon : List.of(
                List.of("run"),
                List.of("--config", "/etc/a.conf", "run"),
                List.of("--config=/etc/a.conf", "--debug", "run"),
                List.of("--debug", "--config", "run", "run"))) {
            Run run = run(on17, daemon);
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains(" -Xint "), daemon + ": " + run.out());
            assertTrue(run.out().endsWith("org.seedagent.cli.Main " + String.join(" ", daemon) + "\n"), run.out());
        }
        for (List<String> other : List.of(
                List.of("once"),
                List.of("--config", "run", "once"),
                List.of("status", "run"),
                List.of("check"),
                List.of("--version"))) {
            Run run = run(on17, other);
            assertEquals(0, run.exit(), run.err());
            assertFalse(run.out().contains("-Xint"), other + ": " + run.out());
            assertTrue(run.out().contains("-XX:TieredStopAtLevel=1"), other + ": " + run.out());
        }
        Map<String, String> mixed = new HashMap<>(on17);
        mixed.put("SEED_AGENT_JAVA_OPTS", "-Xmixed");
        String out = run(mixed, List.of("run")).out();
        assertTrue(out.indexOf("-Xint") >= 0 && out.indexOf("-Xmixed") > out.indexOf("-Xint"), out);
    }

    @Test
    void newestSupportedLts_isPicked() throws Exception {
        assertEquals(new Run(0, "java-25-openjdk-25.0.1.0.8-1.el9.x86_64\n", ""), run(Map.of()));
    }

    @Test
    void withoutJava25_java21_thenTheAlternativesLinkOf17() throws Exception {
        delete("java-25-openjdk-25.0.1.0.8-1.el9.x86_64");
        assertEquals(new Run(0, "java-21-openjdk-21.0.5.0.11-1.el9.x86_64\n", ""), run(Map.of()));
        delete("java-21-openjdk-21.0.5.0.11-1.el9.x86_64");
        assertEquals(new Run(0, "jre-17\n", ""), run(Map.of()));
    }

    @Test
    void versionNamedInTheEnvironment_isPicked() throws Exception {
        assertEquals(new Run(0, "jre-17\n", ""), run(Map.of("SEED_AGENT_JAVA_VERSION", "17")));
    }

    @Test
    void versionNamedInEtc_isPicked_theEnvironmentWins() throws Exception {
        Path file = root.resolve("etc/seed-agent/java-version");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "21\n");
        assertEquals(new Run(0, "java-21-openjdk-21.0.5.0.11-1.el9.x86_64\n", ""), run(Map.of()));
        assertEquals(new Run(0, "jre-17\n", ""), run(Map.of("SEED_AGENT_JAVA_VERSION", "17")));
    }

    @Test
    void namedVersionNotInstalled_exit69_noOtherJava() throws Exception {
        Run run = run(Map.of("SEED_AGENT_JAVA_VERSION", "29"));
        assertEquals(69, run.exit());
        assertEquals("", run.out());
        assertEquals(
                "seed-agent: Java 29 (named by SEED_AGENT_JAVA_VERSION) is not installed under "
                        + root.resolve("usr/lib/jvm") + "\n",
                run.err());
    }

    @Test
    void namedVersionNotANumber_exit78() throws Exception {
        Path file = root.resolve("etc/seed-agent/java-version");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "latest\n");
        assertEquals(
                new Run(
                        78,
                        "",
                        "seed-agent: /etc/seed-agent/java-version must be a Java feature version (17, 21, 25...),"
                                + " not \"latest\"\n"),
                run(Map.of()));
    }

    @Test
    void seedAgentJava_stillWinsOverAll() throws Exception {
        Path java = root.resolve("usr/lib/jvm/jre-17/bin/java");
        assertEquals(
                new Run(0, "jre-17\n", ""),
                run(Map.of("SEED_AGENT_JAVA", java.toString(), "SEED_AGENT_JAVA_VERSION", "21")));
    }

    private void delete(String name) throws IOException {
        Path dir = root.resolve("usr/lib/jvm").resolve(name);
        Files.delete(dir.resolve("bin/java"));
        Files.delete(dir.resolve("bin"));
        Files.delete(dir);
    }
}
