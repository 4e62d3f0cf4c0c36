package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.cli.LauncherCopy.Run;

/**
 * The launcher's class-data archive: made by {@code seed-agent cds-archive} with a key file, used
 * only when complete, made again when it is not what was written (a truncated archive crashes the
 * JVM), and ignored silently by the JVM when the jar changed. Runs a copy of the distribution, so
 * the jar can be touched.
 */
class LauncherCdsIT {
    @TempDir
    Path dir;

    private Path launcher;
    private Path cds;
    private LauncherCopy copy;

    @BeforeEach
    void copyDistribution() throws IOException {
        // The test's own JVM (JDK 17 in CI): the launcher would pick the newest LTS installed, and on JDK 25 it
        // makes an AOT cache instead (LauncherAotIT).
        copy = new LauncherCopy(dir, Path.of(System.getProperty("java.home"), "bin", "java"));
        launcher = copy.launcher;
        cds = copy.cds;
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return copy.run(env, args);
    }

    /** Runs the demo with class loading logged; returns how many classes came from the archive. */
    private long demoClassesFromArchive() throws IOException, InterruptedException {
        Path log = dir.resolve("class-load.log");
        Files.deleteIfExists(log);
        Run demo = run(
                Map.of("SEED_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "demo",
                "--dir",
                dir.resolve("demo").toString());
        assertEquals(0, demo.exit(), demo.err());
        assertFalse(demo.out().contains("cds") || demo.err().contains("cds"), demo.out() + demo.err());
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("source: shared objects file (top)"))
                    .count();
        }
    }

    /** The training's emulator (a process of its own) is gone once cds-archive is: the java may be a wrapper script. */
    private void assertNoEmulatorLeft() throws InterruptedException {
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())
                        && p.info().commandLine().orElse("").contains(" emulator --port 0"))
                .toList();
        for (ProcessHandle emulator : left) {
            // A JVM behind a wrapper script may still be on its way out when cds-archive returns.
            try {
                emulator.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                emulator.destroyForcibly();
                throw new AssertionError("the training's emulator was left running: " + emulator.info(), e);
            }
        }
    }

    private void assertKeyDescribesArchive() throws IOException {
        String key = Files.readString(cds.resolve("seed-agent.key")).strip();
        assertTrue(key.matches("\\d+ " + Files.size(cds.resolve("seed-agent.jsa"))), key);
    }

    @Test
    void cdsArchive_madeWithKey_thenCurrent_andUsed() throws Exception {
        Run made = run(Map.of(), "cds-archive");
        assertEquals(0, made.exit(), made.err());
        assertEquals("seed-agent: wrote class-data archive " + cds.resolve("seed-agent.jsa") + "\n", made.out());
        assertKeyDescribesArchive();
        assertNoEmulatorLeft();
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(
                    List.of("seed-agent.jsa", "seed-agent.key", "seed-agent.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }

        Run again = run(Map.of(), "cds-archive");
        assertEquals("seed-agent: class-data archive " + cds.resolve("seed-agent.jsa") + " is current\n", again.out());
        assertTrue(demoClassesFromArchive() > 300, "the boot path's classes come from the archive");
    }

    /** Runs the demo claiming an Elastic IP, class loading logged: whether the EC2 client came from the archive. */
    private boolean ec2ClientFromArchive() throws IOException, InterruptedException {
        Path log = dir.resolve("class-load-eip.log");
        Files.deleteIfExists(log);
        Run demo = run(
                Map.of("SEED_AGENT_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "demo",
                "--elastic-ip",
                "192.0.2.44",
                "--dir",
                dir.resolve("demo-eip").toString());
        assertEquals(0, demo.exit(), demo.err());
        try (Stream<String> lines = Files.lines(log)) {
            return lines.anyMatch(
                    line -> line.contains(" org.seedagent.eip.Ec2QueryClient source: shared objects file"));
        }
    }

    /**
     * A configuration with an Elastic IP (issue 24): the training claims one too, so the credentials, the signer and
     * the XML parser are in the archive; without one they are not (they would cost the daemon RSS). What the archive
     * was trained on is in its key: adding or dropping the Elastic IP makes it again.
     */
    @Test
    void elasticIpConfigured_trainedOnTheClaim_madeAgainWhenTheConfigurationChanges() throws Exception {
        Path plain = dir.resolve("plain.conf");
        Files.writeString(plain, "# eip.address = 192.0.2.44\neip.address =\nlog.level = info\n");
        Path withEip = dir.resolve("eip.conf");
        Files.writeString(withEip, "log.level = info\n  eip.address\t= 192.0.2.44\n");

        Run made = run(Map.of(), "--config", plain.toString(), "cds-archive");
        assertEquals("seed-agent: wrote class-data archive " + cds.resolve("seed-agent.jsa") + "\n", made.out());
        assertFalse(ec2ClientFromArchive(), "no Elastic IP configured: not trained on the claim");

        Run eip = run(Map.of(), "--config", withEip.toString(), "cds-archive");
        assertEquals("seed-agent: wrote class-data archive " + cds.resolve("seed-agent.jsa") + "\n", eip.out());
        assertKeyDescribesArchive();
        Run again = run(Map.of(), "--config=" + withEip, "cds-archive");
        assertEquals("seed-agent: class-data archive " + cds.resolve("seed-agent.jsa") + " is current\n", again.out());
        assertTrue(ec2ClientFromArchive(), "the claim's classes come from the archive");
        assertTrue(demoClassesFromArchive() > 300, "and the boot path's");

        Run back = run(Map.of(), "--config", plain.toString(), "cds-archive");
        assertEquals("seed-agent: wrote class-data archive " + cds.resolve("seed-agent.jsa") + "\n", back.out());
    }

    @Test
    void truncatedArchive_isMadeAgain() throws Exception {
        assertEquals(0, run(Map.of(), "cds-archive").exit());
        Path archive = cds.resolve("seed-agent.jsa");
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));

        Run remade = run(Map.of(), "cds-archive");
        assertTrue(remade.out().startsWith("seed-agent: wrote class-data archive"), remade.out());
        assertTrue(Files.size(archive) > whole.length / 2, "a whole archive again (sizes vary by a page between runs)");
        assertKeyDescribesArchive();
        assertTrue(demoClassesFromArchive() > 300);
    }

    /** The RPM's trigger and the unit's ExecStartPre can run cds-archive at once: one makes it, the other waits. */
    @Test
    void twoMakersAtOnce_oneWrites_theOtherFindsItCurrent() throws Exception {
        LauncherCopy.Started first = copy.start("first-", Map.of(), "cds-archive");
        LauncherCopy.Started second = copy.start("second-", Map.of(), "cds-archive");
        Run one = LauncherCopy.finish(first);
        Run two = LauncherCopy.finish(second);

        assertEquals(List.of(0, 0), List.of(one.exit(), two.exit()), one.err() + two.err());
        String outs = one.out() + two.out();
        assertEquals(1, outs.split("wrote class-data archive", -1).length - 1, outs);
        assertEquals(1, outs.split(" is current", -1).length - 1, outs);
        assertKeyDescribesArchive();
        assertTrue(demoClassesFromArchive() > 300);
    }

    @Test
    void archiveWithoutKey_notUsed() throws Exception {
        assertEquals(0, run(Map.of(), "cds-archive").exit());
        Files.delete(cds.resolve("seed-agent.key"));
        assertEquals(
                0, demoClassesFromArchive(), "an archive without its key (an interrupted cds-archive) is not used");
        assertTrue(run(Map.of(), "cds-archive").out().startsWith("seed-agent: wrote"));
    }

    @Test
    void jarChanged_archiveIgnoredSilently_thenMadeAgain() throws Exception {
        assertEquals(0, run(Map.of(), "cds-archive").exit());
        String before = Files.readString(cds.resolve("seed-agent.key"));
        try (Stream<Path> jars = Files.list(launcher.getParent().getParent().resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.setLastModifiedTime(
                        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
            }
        }
        assertEquals(0, demoClassesFromArchive(), "the JVM refuses an archive made for another jar");

        Run remade = run(Map.of(), "cds-archive");
        assertTrue(remade.out().startsWith("seed-agent: wrote"), remade.out());
        assertFalse(before.equals(Files.readString(cds.resolve("seed-agent.key"))));
        assertTrue(demoClassesFromArchive() > 300);
    }

    @Test
    void archiveThatDoesNotMap_isNotInstalled() throws Exception {
        // A java that cuts the archive it just wrote in half: the launcher's -Xshare:on trial run
        // crashes on it, so cds-archive keeps nothing (and no crash report outside its work dir).
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path cutting = dir.resolve("cutting-java");
        Files.writeString(
                cutting,
                "#!/bin/sh\n"
                        + "for a; do case $a in -XX:ArchiveClassesAtExit=*) f=${a#*=} ;; esac; done\n"
                        + "'" + java + "' \"$@\"; rc=$?\n"
                        + "if [ -n \"$f\" ] && [ -s \"$f\" ]; then head -c $(($(wc -c <\"$f\") / 2)) \"$f\" >\"$f.cut\"; mv \"$f.cut\" \"$f\"; fi\n"
                        + "exit $rc\n");
        cutting.toFile().setExecutable(true);

        Run run = run(Map.of("SEED_AGENT_JAVA", cutting.toString()), "cds-archive");
        assertEquals(0, run.exit(), "the agent works without an archive: " + run.err());
        assertTrue(run.err().startsWith("seed-agent: could not make a class-data archive"), run.err());
        assertNoEmulatorLeft();
        try (Stream<Path> files = Files.list(cds)) {
            assertEquals(
                    List.of("seed-agent.lock"),
                    files.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.getFileName().toString().startsWith("hs_err"))
                            .toList(),
                    "the JVM's crash report stays in cds-archive's work directory, which is removed");
        }
        assertEquals(0, demoClassesFromArchive());
    }

    @Test
    void cdsOff_noArchiveMadeOrUsed() throws Exception {
        Run off = run(Map.of("SEED_AGENT_CDS", "off"), "cds-archive");
        assertEquals("seed-agent: class-data archive disabled (SEED_AGENT_CDS=off)\n", off.out());
        assertTrue(Files.notExists(cds));
    }
}
