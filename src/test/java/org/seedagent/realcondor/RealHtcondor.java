package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.seedagent.testing.Trees;

/**
 * A real HTCondor install for the tests that run the real thing (condor_config_val, condor_master
 * and its daemons). One setting names it: the system property {@code seedagent.htcondor} or the
 * environment variable {@code SEED_AGENT_HTCONDOR}, either an extracted install (a directory with
 * {@code bin/condor_config_val}) or a release tarball ({@code .tar.xz}/{@code .tar.gz}). Without
 * either, the bundle in {@code ../shared/htcondor/} is used. A tarball is extracted once into
 * {@code target/htcondor/} and reused by every later test and run.
 *
 * <p>When there is none, the tests are skipped with one line saying how to enable them, unless
 * {@code SEED_AGENT_HTCONDOR_REQUIRED=1} (CI sets it): then they fail, so CI cannot pass without
 * having run them.
 */
public final class RealHtcondor {
    static final String PROPERTY = "seedagent.htcondor";
    static final String ENVIRONMENT = "SEED_AGENT_HTCONDOR";
    static final String REQUIRED = "SEED_AGENT_HTCONDOR_REQUIRED";
    static final Path DEFAULT_BUNDLE = Path.of("../shared/htcondor/htcondor-24.0.23-debian12-x86_64.tar.xz");
    static final String HOW_TO_ENABLE = "real-HTCondor tests skipped: no HTCondor found; set -D" + PROPERTY
            + "=DIR|TARBALL or " + ENVIRONMENT + "=DIR|TARBALL (default " + DEFAULT_BUNDLE + ")";

    private static Path cached;

    private RealHtcondor() {
    }

    /**
     * The install's root directory ({@code bin/}, {@code sbin/}, {@code lib/}, {@code libexec/},
     * {@code etc/examples/}); skips (or, when required, fails) the calling test when there is none.
     */
    public static synchronized Path home() {
        if (cached != null) {
            return cached;
        }
        Path source = configured();
        if (source == null || !Files.exists(source)) {
            String why = source == null ? HOW_TO_ENABLE : "real-HTCondor tests: " + source + " does not exist; " + HOW_TO_ENABLE;
            if ("1".equals(System.getenv(REQUIRED))) {
                fail(why + " (" + REQUIRED + "=1: these tests must run)");
            }
            assumeTrue(false, why);
        }
        Path home = Files.isDirectory(source) ? source.toAbsolutePath() : extracted(source.toAbsolutePath());
        if (!Files.isExecutable(home.resolve("bin/condor_config_val"))) {
            fail(home + " has no bin/condor_config_val: not an HTCondor install");
        }
        cached = home;
        return home;
    }

    /** {@code bin/NAME} or {@code sbin/NAME} or {@code libexec/NAME} of the install. */
    public static Path program(String name) {
        Path home = home();
        for (String dir : new String[] {"bin", "sbin", "libexec"}) {
            Path candidate = home.resolve(dir).resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(name + " is not in " + home + "/{bin,sbin,libexec}");
    }

    private static Path configured() {
        String named = System.getProperty(PROPERTY);
        if (named == null || named.isBlank()) {
            named = System.getenv(ENVIRONMENT);
        }
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        return Files.exists(DEFAULT_BUNDLE) ? DEFAULT_BUNDLE : null;
    }

    /**
     * Extracts {@code tarball} into target/htcondor/ once: under a file lock (surefire and failsafe
     * may overlap in an IDE), into a temp directory renamed into place, so a killed extraction never
     * leaves a half tree that later runs would trust.
     */
    private static Path extracted(Path tarball) {
        Path base = Path.of("target", "htcondor").toAbsolutePath();
        String stem = tarball.getFileName().toString().replaceAll("\\.tar\\.(xz|gz)$", "");
        Path done = base.resolve(stem);
        try {
            Files.createDirectories(base);
            try (FileChannel lockFile = FileChannel.open(base.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (Files.isDirectory(done)) {
                    return home(done);
                }
                Path temp = Files.createTempDirectory(base, ".extract-");
                Process tar = new ProcessBuilder("tar", "-xf", tarball.toString(), "-C", temp.toString())
                        .redirectErrorStream(true).start();
                String output = new String(tar.getInputStream().readAllBytes());
                if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                    Trees.delete(temp);
                    fail("tar -xf " + tarball + " failed: " + output);
                }
                // createTempDirectory makes it 0700: HTCondor's daemons run as condor and must reach the programs.
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(temp, done, StandardCopyOption.ATOMIC_MOVE);
                return home(done);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("extracting " + tarball + " into " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The tarball holds one top directory (htcondor-24.0.23/). */
    private static Path home(Path extractedTo) throws IOException {
        try (var entries = Files.list(extractedTo)) {
            return entries.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IOException(extractedTo + " holds no directory")).toAbsolutePath();
        }
    }
}
