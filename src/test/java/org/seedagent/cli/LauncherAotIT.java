package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.cli.LauncherCopy.Run;

/**
 * The launcher on JDK 25 and later (issue 24): the AOT cache made by {@code seed-agent cds-archive} with its key,
 * used while the key matches, and not used, said once, when the jar changed (the JVM itself would run the classes
 * of the jar the cache was made from). Needs a JDK 25+: SEED_AGENT_TEST_JDK25, or one found under /usr/lib/jvm.
 * The CI has JDK 17 only: there these tests are skipped, which .ci/run allows by name.
 */
class LauncherAotIT {
    @TempDir
    Path dir;

    private Path launcher;
    private Path cds;
    private LauncherCopy copy;
    private Path java;

    static Optional<Path> jdk25() {
        String named = System.getenv("SEED_AGENT_TEST_JDK25");
        if (named != null && !named.isEmpty()) {
            return Optional.of(Path.of(named, "bin", "java"));
        }
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(home -> feature(home) >= 25 && Files.isExecutable(home.resolve("bin/java")))
                    .sorted()
                    .map(home -> home.resolve("bin/java"))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int feature(Path home) {
        try (Stream<String> lines = Files.lines(home.resolve("release"))) {
            return lines.filter(l -> l.startsWith("JAVA_VERSION=\""))
                    .findFirst()
                    .map(l -> Integer.parseInt(l.substring(14).split("[.\"]")[0]))
                    .orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @BeforeEach
    void copyDistribution() throws IOException {
        Optional<Path> found = jdk25();
        assumeTrue(found.isPresent(), "no JDK 25 or later (SEED_AGENT_TEST_JDK25, /usr/lib/jvm)");
        java = found.get();
        copy = new LauncherCopy(dir, java);
        launcher = copy.launcher;
        cds = copy.cds;
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return copy.run(env, args);
    }

    /** Runs --version with class loading logged: how many of the agent's classes came from the AOT cache, and stderr. */
    private long agentClassesFromCache(List<String> stderr) throws IOException, InterruptedException {
        Path log = dir.resolve("class-load.log");
        Files.deleteIfExists(log);
        Run version = run(Map.of("SEED_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "--version");
        assertEquals(0, version.exit(), version.err());
        stderr.add(version.err());
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("org.seedagent.") && line.contains("source: shared objects file"))
                    .count();
        }
    }

    @Test
    void aotCache_madeWithKey_thenCurrent_andUsed() throws Exception {
        Run made = run(Map.of(), "cds-archive");
        assertEquals(new Run(0, "seed-agent: wrote AOT cache " + cds.resolve("seed-agent.aot") + "\n", ""), made);
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(
                    List.of("seed-agent.aot", "seed-agent.aot.key", "seed-agent.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String key = Files.readString(cds.resolve("seed-agent.aot.key"));
        assertTrue(
                key.contains(cds.resolve("seed-agent.aot") + " " + Files.size(cds.resolve("seed-agent.aot")) + " "),
                key);
        assertTrue(key.endsWith("\ntraining=plain\n"), key);

        assertEquals(
                "seed-agent: AOT cache " + cds.resolve("seed-agent.aot") + " is current\n",
                run(Map.of(), "cds-archive").out());
        List<String> stderr = new ArrayList<>();
        assertTrue(agentClassesFromCache(stderr) > 5, "the agent's classes come from the cache");
        assertEquals(List.of(""), stderr);
    }

    /**
     * A configuration with an Elastic IP (issue 24): the training claims one too, and the key's second line says so;
     * dropping the Elastic IP makes the cache again.
     */
    @Test
    void elasticIpConfigured_trainedOnTheClaim_madeAgainWhenTheConfigurationChanges() throws Exception {
        Path withEip = dir.resolve("eip.conf");
        Files.writeString(withEip, "eip.address = 192.0.2.44\n");
        Path plain = dir.resolve("plain.conf");
        Files.writeString(plain, "log.level = info\n");
        Path key = cds.resolve("seed-agent.aot.key");

        Run eip = run(Map.of(), "--config", withEip.toString(), "cds-archive");
        assertEquals(new Run(0, "seed-agent: wrote AOT cache " + cds.resolve("seed-agent.aot") + "\n", ""), eip);
        assertTrue(Files.readString(key).endsWith("\ntraining=elastic-ip\n"), Files.readString(key));
        assertEquals(
                "seed-agent: AOT cache " + cds.resolve("seed-agent.aot") + " is current\n",
                run(Map.of(), "--config=" + withEip, "cds-archive").out());
        List<String> stderr = new ArrayList<>();
        assertTrue(agentClassesFromCache(stderr) > 5);
        assertEquals(List.of(""), stderr);

        Run back = run(Map.of(), "--config", plain.toString(), "cds-archive");
        assertTrue(back.out().startsWith("seed-agent: wrote AOT cache"), back.out());
        assertTrue(Files.readString(key).endsWith("\ntraining=plain\n"), Files.readString(key));
    }

    @Test
    void jarChanged_cacheNotUsed_saidOnce_thenMadeAgain() throws Exception {
        assertEquals(0, run(Map.of(), "cds-archive").exit());
        try (Stream<Path> jars = Files.list(launcher.getParent().getParent().resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.setLastModifiedTime(
                        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
            }
        }
        List<String> stderr = new ArrayList<>();
        assertEquals(0, agentClassesFromCache(stderr), "a cache made for another jar is not used");
        assertEquals(0, agentClassesFromCache(stderr));
        assertEquals(
                List.of(
                        "seed-agent: the AOT cache " + cds.resolve("seed-agent.aot") + " was made for another Java"
                                + " runtime or jar; starting without it (\"seed-agent cds-archive\" makes a new one)\n",
                        ""),
                stderr);

        Run remade = run(Map.of(), "cds-archive");
        assertTrue(remade.out().startsWith("seed-agent: wrote AOT cache"), remade.out());
        assertTrue(agentClassesFromCache(stderr) > 5);
    }

    @Test
    void cacheWithoutKey_notUsed() throws Exception {
        assertEquals(0, run(Map.of(), "cds-archive").exit());
        Files.delete(cds.resolve("seed-agent.aot.key"));
        List<String> stderr = new ArrayList<>();
        assertEquals(
                0, agentClassesFromCache(stderr), "a cache without its key (an interrupted cds-archive) is not used");
        assertEquals(List.of(""), stderr);
    }

    @Test
    void cdsOff_noCacheMadeOrUsed() throws Exception {
        Run off = run(Map.of("SEED_AGENT_CDS", "off"), "cds-archive");
        assertEquals("seed-agent: AOT cache disabled (SEED_AGENT_CDS=off)\n", off.out());
        assertFalse(Files.exists(cds));
    }
}
