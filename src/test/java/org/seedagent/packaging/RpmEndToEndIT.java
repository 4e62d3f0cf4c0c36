package org.seedagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The RPM, end to end, with the real tools and the real HTCondor: runs {@code packaging/test/e2e.sh}
 * (rpmbuild, rpmlint, dnf --installroot, systemd-nspawn with systemd as PID 1 in a network namespace
 * of the test's own, journald, a {@code condor} package built from the HTCondor bundle whose daemons
 * run under the container's systemd; see the script's header for every step and assertion) on the
 * program built by {@code package}, and fails when any of its checks fails. Its output, with
 * timings, goes to standard output as it runs.
 *
 * <p>The real HTCondor is found as {@link org.seedagent.realcondor.RealHtcondor} finds it (the
 * property {@code seedagent.htcondor}, passed on as {@code SEED_AGENT_HTCONDOR}, or that variable,
 * or the bundle in {@code ../shared/htcondor/}). Skipped (with the reason) only where it cannot
 * run: not root, the tools cannot be installed, or there is no HTCondor and
 * {@code SEED_AGENT_HTCONDOR_REQUIRED} is not 1 (the script exits 77). CI runs as root with the
 * bundle, so there it runs.
 */
class RpmEndToEndIT {
    private static final long TIMEOUT_MINUTES = 10;

    @Test
    void rpm_installBootChangeUpgradeErase_behavesAsPackaged() throws IOException, InterruptedException {
        assumeTrue(isRoot(), "needs root: rpmbuild, dnf --installroot and systemd-nspawn (CI runs as root)");
        Path project = projectDirectory();
        ProcessBuilder builder = new ProcessBuilder("bash", "packaging/test/e2e.sh", "--no-maven")
                .directory(project.toFile())
                .redirectErrorStream(true);
        // The JDK running this test is bind-mounted into the container as the Java runtime.
        builder.environment().put("SEED_AGENT_E2E_JDK", System.getProperty("java.home"));
        String htcondor = System.getProperty("seedagent.htcondor");
        if (htcondor != null && !htcondor.isBlank()) {
            // A bundled release named by its number (as RealHtcondor takes it) is its tarball in ../shared/htcondor.
            builder.environment()
                    .put(
                            "SEED_AGENT_HTCONDOR",
                            htcondor.matches("\\d+\\.\\d+\\.\\d+")
                                    ? project.resolve("../shared/htcondor/htcondor-" + htcondor
                                                    + "-debian12-x86_64.tar.xz")
                                            .normalize()
                                            .toString()
                                    : htcondor);
        }
        Process process = builder.start();
        List<String> output = new ArrayList<>();
        Thread pump = new Thread(() -> copyLines(process, output), "e2e-output");
        pump.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroy(); // SIGTERM: the script powers the container off and cleans up
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        pump.join(TimeUnit.SECONDS.toMillis(30));
        int exit = process.exitValue();
        if (exit == 77) {
            Assumptions.abort(output.stream()
                    .filter(l -> l.startsWith("SKIP:"))
                    .findFirst()
                    .orElse("packaging/test/e2e.sh cannot run here"));
        }
        assertEquals(
                0,
                exit,
                "packaging/test/e2e.sh failed (exit " + exit + "); its output is above. Last line: "
                        + (output.isEmpty() ? "(none)" : output.get(output.size() - 1)));
    }

    private static void copyLines(Process process, List<String> into) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("[e2e] " + line);
                synchronized (into) {
                    into.add(line);
                }
            }
        } catch (IOException e) {
            System.out.println("[e2e] output lost: " + e);
        }
    }

    private static boolean isRoot() throws IOException {
        // /proc/self belongs to the user the JVM runs as.
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static Path projectDirectory() {
        // failsafe passes target/seed-agent (pom.xml); the project is two levels up.
        String dist = System.getProperty("seedagent.dist");
        Path project = dist != null
                ? Path.of(dist).getParent().getParent()
                : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(project.resolve("packaging/test/e2e.sh"))) {
            throw new IllegalStateException("packaging/test/e2e.sh not found under " + project);
        }
        return project;
    }
}
