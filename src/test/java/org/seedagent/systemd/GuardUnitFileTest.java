package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/seed-agent-imds-guard.service: a oneshot that stays active, ordered before logins and the
 * network, one capability, {@code systemd-analyze verify} silent and the {@code systemd-analyze
 * security} exposure at or below {@link #MAX_EXPOSURE}. Under real systemd: packaging/test/e2e.sh.
 */
class GuardUnitFileTest {
    /** The exposure this unit scores with systemd 252; raise it only together with docs/SANDBOX.md. */
    static final double MAX_EXPOSURE = 1.1;

    private static final Path WATCH =
            Path.of(System.getProperty("basedir", "."), "systemd", "seed-agent-imds-guard-watch.service");
    private static final Path UNIT =
            Path.of(System.getProperty("basedir", "."), "systemd", "seed-agent-imds-guard.service");

    @TempDir
    Path tmp;

    private static UnitFile unit() throws IOException {
        return UnitFile.parse(Files.readString(UNIT));
    }

    @Test
    void oneshot_remainsActive_appliesReloadsRemoves() throws IOException {
        UnitFile unit = unit();
        assertEquals("oneshot", unit.value("Service", "Type"));
        assertEquals("yes", unit.value("Service", "RemainAfterExit"));
        assertEquals(
                "/usr/sbin/nft -f /usr/share/seed-agent/imds-guard.nft",
                unit.value("Service", "ExecStartPre"),
                "the root-only rule set first, without Java");
        assertEquals("/usr/bin/seed-agent imds-guard apply", unit.value("Service", "ExecStart"));
        assertEquals("/usr/bin/seed-agent imds-guard apply", unit.value("Service", "ExecReload"));
        assertEquals(
                "/bin/sh -c 'test -e /run/seed-agent-imds-guard/ruleset.nft || exit 0; exec /usr/sbin/nft -f"
                        + " /usr/share/seed-agent/imds-guard.nft'",
                unit.value("Service", "ExecStop"),
                "stopping fails closed: root-only when a rule set is in force, so that a restart leaves no moment"
                        + " without the guard");
        assertEquals("seed-agent-imds-guard", unit.value("Service", "RuntimeDirectory"));
        assertEquals("multi-user.target", unit.value("Install", "WantedBy"));
    }

    @Test
    void ordered_beforeLoginsTheNetworkAndTheAgent() throws IOException {
        List<String> before = List.of(unit().value("Unit", "Before").split("\\s+"));
        assertTrue(
                before.containsAll(
                        List.of("systemd-user-sessions.service", "network-pre.target", "seed-agent.service")),
                before.toString());
        assertEquals("network-pre.target seed-agent-imds-guard-watch.service", unit().value("Unit", "Wants"));
    }

    @Test
    void sandbox_onlyCapNetAdmin_notRoot_noIp() throws IOException {
        UnitFile unit = unit();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("DynamicUser", "yes"),
                Map.entry("CapabilityBoundingSet", "CAP_NET_ADMIN"),
                Map.entry("AmbientCapabilities", "CAP_NET_ADMIN"),
                Map.entry("NoNewPrivileges", "yes"),
                Map.entry("ProtectSystem", "strict"),
                Map.entry("ProtectHome", "yes"),
                Map.entry("RestrictAddressFamilies", "AF_NETLINK AF_UNIX"),
                Map.entry("IPAddressDeny", "any"),
                Map.entry("ProcSubset", "pid"),
                Map.entry("SystemCallErrorNumber", "EPERM"));
        expected.forEach((key, value) -> assertEquals(value, unit.value("Service", key), key));
        assertEquals(List.of("@system-service", "~@privileged @resources"), unit.values("Service", "SystemCallFilter"));
    }

    @Test
    void systemdAnalyzeVerify_printsNothing() throws Exception {
        Path root = tmp.resolve("root");
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(UNIT, units.resolve("seed-agent-imds-guard.service"));
        Files.copy(WATCH, units.resolve("seed-agent-imds-guard-watch.service"));
        for (String unit : List.of(
                "sysinit.target",
                "network-pre.target",
                "multi-user.target",
                "systemd-user-sessions.service",
                "seed-agent.service",
                "nftables.service",
                "firewalld.service")) {
            Files.writeString(
                    units.resolve(unit),
                    "[Unit]\nDescription=stand-in for " + unit + "\n"
                            + (unit.endsWith(".service") ? "[Service]\nExecStart=/bin/true\n" : ""));
        }
        for (String executable : List.of(
                "usr/bin/seed-agent",
                "usr/sbin/nft",
                "bin/true",
                "bin/sh",
                "usr/bin/timeout",
                "usr/share/seed-agent/bin/imds-guard-watch")) {
            Path file = root.resolve(executable);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Result result = systemdAnalyze(
                "verify",
                "--man=no",
                "--root=" + root,
                "seed-agent-imds-guard.service",
                "seed-agent-imds-guard-watch.service");

        assertEquals(0, result.exitCode(), result.all());
        assertEquals("", result.stdout() + result.stderr(), result.all());
    }

    @Test
    void watch_boundToTheGuard_sandboxedLikeIt_exposureAtMostThreshold() throws Exception {
        UnitFile watch = UnitFile.parse(Files.readString(WATCH));
        assertEquals("seed-agent-imds-guard.service", watch.value("Unit", "BindsTo"));
        assertEquals("seed-agent-imds-guard.service", watch.value("Unit", "After"));
        assertEquals("/usr/share/seed-agent/bin/imds-guard-watch", watch.value("Service", "ExecStart"));
        assertEquals("seed-agent-imds-guard", watch.value("Service", "User"), "the guard's dynamic user");
        assertEquals("CAP_NET_ADMIN", watch.value("Service", "CapabilityBoundingSet"));
        assertTrue(UnitFile.parse(Files.readString(UNIT))
                .value("Unit", "Wants")
                .contains("seed-agent-imds-guard-watch.service"));
        Path copy = Files.copy(
                WATCH, Files.createDirectories(tmp.resolve("watch-units")).resolve(WATCH.getFileName()));

        Result result = systemdAnalyze(
                "security",
                "--offline=true",
                "--no-pager",
                "--threshold=" + Math.round(MAX_EXPOSURE * 10),
                copy.toString());

        Matcher overall = Pattern.compile(
                        "Overall exposure level for seed-agent-imds-guard-watch\\.service: (\\d+\\.\\d)")
                .matcher(result.stdout());
        assertTrue(overall.find(), result.all());
        System.out.println(
                "systemd-analyze security seed-agent-imds-guard-watch.service: exposure " + overall.group(1));
        assertTrue(Double.parseDouble(overall.group(1)) <= MAX_EXPOSURE, result.all());
    }

    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for seed-agent-imds-guard\\.service: (\\d+\\.\\d)");

    @Test
    void systemdAnalyzeSecurity_exposureAtMostThreshold() throws Exception {
        Path copy =
                Files.copy(UNIT, Files.createDirectories(tmp.resolve("units")).resolve(UNIT.getFileName()));

        Result result = systemdAnalyze(
                "security",
                "--offline=true",
                "--no-pager",
                "--threshold=" + Math.round(MAX_EXPOSURE * 10),
                copy.toString());

        Matcher overall = OVERALL.matcher(result.stdout());
        assertTrue(overall.find(), result.all());
        double exposure = Double.parseDouble(overall.group(1));
        System.out.println("systemd-analyze security seed-agent-imds-guard.service: exposure " + exposure
                + " (threshold " + MAX_EXPOSURE + ")");
        result.stdout().lines().filter(l -> l.startsWith("✗")).forEach(l -> System.out.println("  " + l.strip()));
        assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + " > " + MAX_EXPOSURE + "\n" + result.all());
        assertEquals(0, result.exitCode(), result.all());
        assertEquals("", result.stderr(), result.all());
    }

    private record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static Result systemdAnalyze(String... args) throws Exception {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/bin:/bin";
        Path tool = Stream.of(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "systemd-analyze"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(tool != null, "systemd-analyze is not installed (Debian: apt-get install systemd)");
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("SYSTEMD_UNIT_PATH");
        builder.environment().remove("SYSTEMD_LOG_LEVEL");
        builder.environment().put("SYSTEMD_COLORS", "0");
        builder.environment().put("SYSTEMD_PAGER", "cat");
        builder.environment().put("LC_ALL", "C.UTF-8");
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

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
