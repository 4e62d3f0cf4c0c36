package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/seed-agent.service: the directives the agent relies on, {@code systemd-analyze verify} without a
 * single message, and the {@code systemd-analyze security} exposure at or below {@link #MAX_EXPOSURE}.
 * The systemd-analyze tests are skipped where it is not installed ({@code apt-get install systemd}).
 */
class UnitFileTest {
    /**
     * The exposure this unit scores with systemd 252 (Debian 12, EL9). A change that loosens the sandbox
     * fails here; raise it only together with docs/SANDBOX.md.
     */
    static final double MAX_EXPOSURE = 1.7;

    private static final Path UNIT = Path.of(System.getProperty("basedir", "."), "systemd", "seed-agent.service");

    @TempDir
    Path tmp;

    private static UnitFile unit() throws IOException {
        return UnitFile.parse(Files.readString(UNIT));
    }

    // --- directives -----------------------------------------------------------------------------------

    @Test
    void header_pointsAdministratorsToSystemctlEdit() throws IOException {
        String header = Files.readString(UNIT)
                .lines()
                .takeWhile(l -> l.startsWith("#") || l.isBlank())
                .collect(Collectors.joining("\n"));

        assertTrue(header.contains("systemctl edit seed-agent.service"), header);
        assertTrue(header.contains("do not edit"), header);
    }

    @Test
    void unitSection_ordersBeforeHtcondorAfterNetwork() throws IOException {
        UnitFile unit = unit();

        assertEquals("network-online.target", unit.value("Unit", "Wants"));
        assertEquals("network-online.target", unit.value("Unit", "After"));
        assertEquals("condor.service", unit.value("Unit", "Before"));
        assertEquals(List.of(), unit.values("Unit", "Requires"), "HTCondor must not depend on the agent");
        assertFalse(unit.value("Unit", "Description").isBlank());
        assertTrue(unit.value("Unit", "Documentation").matches("(https?|file|man):.+"));
        assertTrue(UnitFile.seconds(unit.value("Unit", "StartLimitIntervalSec")) > 0);
        assertTrue(Integer.parseInt(unit.value("Unit", "StartLimitBurst")) > 1);
    }

    @Test
    void serviceSection_notifyServiceThatRestartsOnFailure() throws IOException {
        UnitFile unit = unit();

        assertEquals("notify", unit.value("Service", "Type"));
        assertEquals("main", unit.value("Service", "NotifyAccess"));
        assertEquals("/usr/bin/seed-agent run", unit.value("Service", "ExecStart"));
        assertEquals("/bin/kill -HUP $MAINPID", unit.value("Service", "ExecReload"));
        assertEquals("on-failure", unit.value("Service", "Restart"));
        assertTrue(UnitFile.seconds(unit.value("Service", "RestartSec")) >= 1);
        assertEquals("143", unit.value("Service", "SuccessExitStatus"));
        assertEquals(60, UnitFile.seconds(unit.value("Service", "WatchdogSec")));
        // The agent's boot deadline for instance metadata defaults to 60 s; JVM start-up comes on top.
        assertTrue(UnitFile.seconds(unit.value("Service", "TimeoutStartSec")) >= 60 + 20, "TimeoutStartSec");
        assertTrue(UnitFile.seconds(unit.value("Service", "TimeoutStopSec")) >= 10, "TimeoutStopSec");
        assertEquals("seed-agent", unit.value("Service", "StateDirectory"));
        assertEquals("0755", unit.value("Service", "StateDirectoryMode"));
        assertEquals("0022", unit.value("Service", "UMask"));
        assertEquals("multi-user.target", unit.value("Install", "WantedBy"));
    }

    @Test
    void serviceSection_hardening() throws IOException {
        UnitFile unit = unit();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("ProtectSystem", "strict"),
                Map.entry("ReadWritePaths", "-/etc/condor/config.d"),
                Map.entry("ProtectHome", "read-only"),
                Map.entry("PrivateTmp", "yes"),
                Map.entry("PrivateDevices", "yes"),
                Map.entry("NoNewPrivileges", "yes"),
                Map.entry("ProtectKernelTunables", "yes"),
                Map.entry("ProtectKernelModules", "yes"),
                Map.entry("ProtectKernelLogs", "yes"),
                Map.entry("ProtectControlGroups", "yes"),
                Map.entry("ProtectClock", "yes"),
                Map.entry("ProtectHostname", "yes"),
                Map.entry("RestrictNamespaces", "yes"),
                Map.entry("RestrictRealtime", "yes"),
                Map.entry("RestrictSUIDSGID", "yes"),
                Map.entry("LockPersonality", "yes"),
                Map.entry("SystemCallArchitectures", "native"),
                Map.entry("CapabilityBoundingSet", ""));
        expected.forEach((key, value) -> assertEquals(value, unit.value("Service", key), key));

        assertEquals(List.of("@system-service", "~@privileged @resources"), unit.values("Service", "SystemCallFilter"));
        assertEquals(
                Set.of("AF_UNIX", "AF_INET", "AF_INET6"),
                Set.of(unit.value("Service", "RestrictAddressFamilies").split("\\s+")));
        // Breaks the JVM's JIT compiler: the JVM does not even start.
        assertEquals(List.of(), unit.values("Service", "MemoryDenyWriteExecute"));
        assertEquals(List.of(), unit.values("Service", "User"), "runs as root, see the unit's comments");
    }

    // --- systemd-analyze --------------------------------------------------------------------------------

    private record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static Optional<Path> systemdAnalyze() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/bin:/bin";
        return Stream.of(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "systemd-analyze"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Result systemdAnalyze(String... args) throws Exception {
        Path tool = systemdAnalyze().orElse(null);
        Assumptions.assumeTrue(
                tool != null,
                "systemd-analyze is not installed (Debian: apt-get install systemd); skipping the unit file checks");
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.remove("SYSTEMD_UNIT_PATH");
        env.remove("SYSTEMD_LOG_LEVEL");
        env.put("SYSTEMD_COLORS", "0");
        env.put("SYSTEMD_PAGER", "cat");
        env.put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A root directory for {@code systemd-analyze verify --root}: the unit under test plus stand-ins for
     * what it refers to (the executables it runs, the units it is ordered against), so the check does not
     * depend on what the build machine has installed.
     */
    private Path verifyRoot(String unitText) throws IOException {
        Path root = tmp.resolve("root");
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(units.resolve("seed-agent.service"), unitText);
        for (String target : List.of("sysinit.target", "network-online.target", "multi-user.target")) {
            Files.writeString(units.resolve(target), "[Unit]\nDescription=stand-in for " + target + "\n");
        }
        Files.writeString(units.resolve("condor.service"), """
                [Unit]
                Description=stand-in for HTCondor's condor.service
                [Service]
                ExecStart=/usr/sbin/condor_master -f
                ExecReload=/bin/kill -HUP $MAINPID
                """);
        for (String executable : List.of("usr/bin/seed-agent", "usr/sbin/condor_master", "bin/kill")) {
            Path file = root.resolve(executable);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return root;
    }

    @Test
    void systemdAnalyzeVerify_printsNothing() throws Exception {
        Path root = verifyRoot(Files.readString(UNIT));

        Result result = systemdAnalyze("verify", "--man=no", "--root=" + root, "seed-agent.service");

        // Parse mistakes are only warnings on stderr with exit status 0: any output at all is a failure.
        assertEquals(0, result.exitCode(), result.all());
        assertEquals("", result.stdout() + result.stderr(), result.all());
    }

    @Test
    void systemdAnalyzeVerify_wouldReportAMistake() throws Exception {
        String broken = Files.readString(UNIT)
                .replaceFirst("(?m)^RestartSec=", "RestartSek=")
                .replaceFirst("(?m)^TimeoutStopSec=.*$", "TimeoutStopSec=thirty");
        assertNotEquals(Files.readString(UNIT), broken);
        Path root = verifyRoot(broken);

        Result result = systemdAnalyze("verify", "--man=no", "--root=" + root, "seed-agent.service");

        assertTrue(result.stderr().contains("Unknown key 'RestartSek'"), result.all());
        assertTrue(result.stderr().contains("thirty"), result.all());
    }

    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for seed-agent\\.service: (\\d+\\.\\d)");

    @Test
    void systemdAnalyzeSecurity_exposureAtMostThreshold() throws Exception {
        Path copy =
                Files.copy(UNIT, Files.createDirectories(tmp.resolve("units")).resolve("seed-agent.service"));

        Result result = systemdAnalyze(
                "security",
                "--offline=true",
                "--no-pager",
                "--threshold=" + Math.round(MAX_EXPOSURE * 10),
                copy.toString());

        Matcher overall = OVERALL.matcher(result.stdout());
        assertTrue(overall.find(), result.all());
        double exposure = Double.parseDouble(overall.group(1));
        System.out.println("systemd-analyze security: exposure " + exposure + " (threshold " + MAX_EXPOSURE + ")");
        result.stdout().lines().filter(l -> l.startsWith("✗")).forEach(l -> System.out.println("  " + l.strip()));
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + " > " + MAX_EXPOSURE + "\n" + result.all());
        assertEquals(0, result.exitCode(), result.all());
        assertEquals("", result.stderr(), result.all());
    }
}
