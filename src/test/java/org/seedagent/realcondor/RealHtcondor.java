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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.seedagent.testing.Trees;

/**
 * A real HTCondor install for the tests that run the real thing (condor_config_val, condor_master
 * and its daemons). One setting selects it: the system property {@code seedagent.htcondor} or the
 * environment variable {@code SEED_AGENT_HTCONDOR}: a release bundled in {@code ../shared/htcondor/}
 * ({@code 24.0.23}, {@code 25.0.13}), an extracted install (a directory with
 * {@code bin/condor_config_val}) or a release tarball ({@code .tar.xz}/{@code .tar.gz}). Without it, the
 * bundled 24.0.23 is used; the build runs the real-pool tests a second time with 25.0.13 (the pom's
 * {@code real-htcondor-25} execution). A tarball is extracted once into {@code target/htcondor/} and reused
 * by every later test and run. {@link #releases()} gives every bundled release, for the tests that are
 * cheap enough to run on all of them (the fake's contract, the release parser, check).
 *
 * <p>When there is none, the tests are skipped with one line saying how to enable them, unless
 * {@code SEED_AGENT_HTCONDOR_REQUIRED=1} (CI sets it): then they fail, so CI cannot pass without
 * having run them.
 */
public final class RealHtcondor {
    static final String PROPERTY = "seedagent.htcondor";
    static final String ENVIRONMENT = "SEED_AGENT_HTCONDOR";
    static final String REQUIRED = "SEED_AGENT_HTCONDOR_REQUIRED";
    static final Path BUNDLES = Path.of("../shared/htcondor");
    static final Path DEFAULT_BUNDLE = bundle("24.0.23");
    static final String HOW_TO_ENABLE = "real-HTCondor tests skipped: no HTCondor found; set -D" + PROPERTY
            + "=DIR|TARBALL or " + ENVIRONMENT + "=DIR|TARBALL (default " + DEFAULT_BUNDLE + ")";

    private static Path cached;
    private static String cachedVersion;

    /** One HTCondor release: its number (as {@code condor_config_val -version} gives it) and its install. */
    public record Release(String version, Path home) {
        @Override
        public String toString() {
            return "HTCondor " + version;
        }
    }

    /** The bundled tarball of release {@code version}. */
    static Path bundle(String version) {
        return BUNDLES.resolve("htcondor-" + version + "-debian12-x86_64.tar.xz");
    }

    private RealHtcondor() {}

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
            String why = source == null
                    ? HOW_TO_ENABLE
                    : "real-HTCondor tests: " + source + " does not exist; " + HOW_TO_ENABLE;
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

    /** The selected install's release number ({@code 24.0.23}), from its {@code condor_config_val -version}. */
    public static synchronized String version() {
        if (cachedVersion == null) {
            cachedVersion = versionOf(home());
        }
        return cachedVersion;
    }

    /** Whether the selected release is at least {@code major.minor}. */
    public static boolean atLeast(int major, int minor) {
        String[] parts = version().split("\\.");
        int a = Integer.parseInt(parts[0]);
        int b = Integer.parseInt(parts[1]);
        return a > major || (a == major && b >= minor);
    }

    /**
     * Every bundled release in {@code ../shared/htcondor/} (and the selected install, when it is another),
     * extracted; skips (or, when required, fails) the calling test when there is none.
     */
    public static synchronized List<Release> releases() {
        Map<String, Release> byVersion = new TreeMap<>();
        try (var entries = Files.exists(BUNDLES) ? Files.list(BUNDLES) : java.util.stream.Stream.<Path>empty()) {
            for (Path tarball : entries.filter(p -> p.getFileName().toString().matches("htcondor-.*\\.tar\\.xz"))
                    .sorted()
                    .toList()) {
                Path home = extracted(tarball.toAbsolutePath());
                String version = versionOf(home);
                byVersion.put(version, new Release(version, home));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path selected = home();
        byVersion.putIfAbsent(version(), new Release(version(), selected));
        return List.copyOf(byVersion.values());
    }

    private static String versionOf(Path home) {
        try {
            Process p = new ProcessBuilder(home.resolve("bin/condor_config_val").toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$CondorVersion: (\\d+\\.\\d+\\.\\d+) ")
                    .matcher(out);
            if (!m.find()) {
                fail(home + "/bin/condor_config_val -version printed no $CondorVersion: " + out);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
            return named.matches("\\d+\\.\\d+\\.\\d+") ? bundle(named) : Path.of(named);
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
            try (FileChannel lockFile = FileChannel.open(
                            base.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                if (Files.isDirectory(done)) {
                    return home(done);
                }
                Path temp = Files.createTempDirectory(base, ".extract-");
                Process tar = new ProcessBuilder("tar", "-xf", tarball.toString(), "-C", temp.toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(tar.getInputStream().readAllBytes());
                if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                    Trees.delete(temp);
                    fail("tar -xf " + tarball + " failed: " + output);
                }
                // createTempDirectory makes it 0700: HTCondor's daemons run as condor and must reach the programs.
                Files.setPosixFilePermissions(
                        temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
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
            return entries.filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow(() -> new IOException(extractedTo + " holds no directory"))
                    .toAbsolutePath();
        }
    }
}
