package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.seedagent.testing.Await;
import org.slf4j.LoggerFactory;

/**
 * The real seed-agent.service under a real systemd (PID 1 of a systemd-nspawn container): the sandbox
 * still lets the agent write the fragment and its state, read the pool password, run
 * {@code systemctl reload condor.service} and notify systemd from the JVM ({@code NotifyAccess=main},
 * watchdog), and a clean stop counts as success. {@link SandboxProbe} stands in for the agent,
 * shell scripts for HTCondor.
 *
 * <p>Opt-in, as it needs root, {@code debootstrap} and {@code systemd-container} and, the first time,
 * the Debian mirror (about 40 s; the tree is kept in {@code $SEED_AGENT_SANDBOX_BASE}, default
 * {@code /var/tmp/seed-agent-sandbox-base}): run with {@code SEED_AGENT_SANDBOX_TEST=1}.
 */
class UnitUnderSystemdTest {
    private static final Path UNIT = Path.of(System.getProperty("basedir", "."), "systemd", "seed-agent.service");
    private static final Path BASE =
            Path.of(System.getenv().getOrDefault("SEED_AGENT_SANDBOX_BASE", "/var/tmp/seed-agent-sandbox-base"));

    private Path root;
    private Process nspawn;
    private long pid1;

    private record Result(int exitCode, String output) {}

    private static Result exec(Duration timeout, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[][] output = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
        }
        reader.join(5000);
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }

    private static String check(Duration timeout, String... command) throws Exception {
        Result result = exec(timeout, command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result.output());
        return result.output();
    }

    /** Runs a command inside the container. */
    private Result inside(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid1), "-a", "-r", "-w"));
        full.addAll(List.of(command));
        return exec(Duration.ofSeconds(60), full.toArray(String[]::new));
    }

    private Map<String, String> show(String unit) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : inside(
                        "systemctl",
                        "show",
                        "-p",
                        "ActiveState,SubState,Result,StatusText,ExecMainStatus,NRestarts,"
                                + "WatchdogTimestampMonotonic",
                        unit)
                .output()
                .split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                properties.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return properties;
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private void buildRoot() throws Exception {
        Assumptions.assumeTrue(
                "1".equals(System.getenv("SEED_AGENT_SANDBOX_TEST")),
                "opt-in: set SEED_AGENT_SANDBOX_TEST=1 (needs root, debootstrap, systemd-container)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(
                exec(Duration.ofSeconds(10), "sh", "-c", "command -v debootstrap && command -v systemd-nspawn")
                                .exitCode()
                        == 0,
                "needs debootstrap and systemd-nspawn (apt-get install debootstrap systemd-container)");
        if (!Files.exists(BASE.resolve(".complete"))) {
            Path partial = BASE.resolveSibling(BASE.getFileName() + ".partial-" + UUID.randomUUID());
            check(
                    Duration.ofMinutes(10),
                    "debootstrap",
                    "--variant=minbase",
                    "--include=systemd,systemd-sysv,dbus,procps",
                    "bookworm",
                    partial.toString());
            Files.writeString(partial.resolve(".complete"), "");
            check(Duration.ofMinutes(1), "rm", "-rf", "--one-file-system", BASE.toString());
            Files.move(partial, BASE);
        }
        root = Path.of("/var/tmp/seed-agent-sandbox-" + UUID.randomUUID());
        check(Duration.ofMinutes(2), "cp", "-a", BASE.toString(), root.toString());

        Path units = root.resolve("etc/systemd/system");
        Files.copy(UNIT, units.resolve("seed-agent.service"));
        Files.writeString(units.resolve("condor.service"), """
                [Unit]
                Description=stand-in for HTCondor's condor.service
                After=network-online.target
                [Service]
                ExecStart=/usr/sbin/condor_master -f
                ExecReload=/bin/kill -HUP $MAINPID
                [Install]
                WantedBy=multi-user.target
                """);
        Files.createDirectories(units.resolve("multi-user.target.wants"));
        Files.createSymbolicLink(units.resolve("multi-user.target.wants/condor.service"), Path.of("../condor.service"));
        Files.createSymbolicLink(
                units.resolve("multi-user.target.wants/seed-agent.service"), Path.of("../seed-agent.service"));
        for (String quiet : List.of("console-getty.service", "systemd-logind.service")) {
            Files.createSymbolicLink(units.resolve(quiet), Path.of("/dev/null"));
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // "cds-archive" (the unit's ExecStartPre) is the real launcher's business; the probe stands in for "run".
        write(
                root.resolve("usr/bin/seed-agent"),
                "#!/bin/sh\n[ \"$1\" = cds-archive ] && exit 0\nexec " + java
                        + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                        + " -cp '/opt/seed-agent/classes:/opt/seed-agent/test-classes:/opt/seed-agent/lib/*' "
                        + SandboxProbe.class.getName() + "\n",
                "rwxr-xr-x");
        write(root.resolve("usr/sbin/condor_master"), """
                #!/bin/sh
                trap 'echo "HUP" >> /var/log/condor/reloads' HUP
                while :; do sleep 1 & wait $!; done
                """, "rwxr-xr-x");
        write(root.resolve("usr/bin/condor_config_val"), """
                #!/bin/sh
                for f in /etc/condor/condor_config /etc/condor/config.d/*; do cat "$f" > /dev/null && printf '\\t%s\\n' "$f"; done
                """, "rwxr-xr-x");
        check(Duration.ofSeconds(30), "chroot", root.toString(), "useradd", "--system", "--no-create-home", "condor");
        write(root.resolve("etc/condor/condor_config"), "CONDOR_HOST = $(FULL_HOSTNAME)\n", "rw-r--r--");
        Files.createDirectories(root.resolve("etc/condor/config.d"));
        write(root.resolve("etc/condor/condor_pool_password"), "secret", "rw-------");
        write(
                root.resolve("var/log/condor/.master_address"),
                "<203.0.113.9:9618?addrs=203.0.113.9-9618>\n",
                "rw-r--r--");
        check(Duration.ofSeconds(30), "chroot", root.toString(), "chown", "-R", "condor:condor", "/var/log/condor");
        write(root.resolve("root/.aws/credentials"), "[default]\n", "rw-------");
        Files.createDirectories(root.resolve("opt/seed-agent/lib"));
        for (Class<?> type : List.of(Native.class, LoggerFactory.class)) {
            Path jar = codeSource(type);
            Files.copy(jar, root.resolve("opt/seed-agent/lib").resolve(jar.getFileName()));
        }
        check(
                Duration.ofSeconds(30),
                "cp",
                "-a",
                codeSource(SystemdNotifier.class).toString(),
                root.resolve("opt/seed-agent/classes").toString());
        check(
                Duration.ofSeconds(30),
                "cp",
                "-a",
                codeSource(SandboxProbe.class).toString(),
                root.resolve("opt/seed-agent/test-classes").toString());
    }

    private void boot() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> command = new ArrayList<>(List.of(
                "systemd-nspawn",
                "--register=no",
                "--keep-unit",
                "-b",
                "-D",
                root.toString(),
                // read-only, not passive: a passive console is never read, and PID 1 blocks once it is full.
                "--console=read-only",
                "--bind-ro=" + javaHome));
        // Debian links the files in conf/ to /etc/java-17-openjdk: bind that too.
        Path conf = javaHome.resolve("conf/security/java.security")
                .toRealPath()
                .getParent()
                .getParent();
        if (!conf.startsWith(javaHome)) {
            command.add("--bind-ro=" + conf);
        }
        nspawn = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(
                        root.resolveSibling(root.getFileName() + ".console").toFile())
                .start();
        Await.that("the container's systemd to come up", Duration.ofSeconds(30))
                .whileAlive(nspawn)
                .detail(() -> Files.readString(root.resolveSibling(root.getFileName() + ".console")))
                .until(
                        () -> pid1 = nspawn.children() // kept as found, for tearDown's poweroff should this fail
                                .filter(p -> p.info()
                                        .command()
                                        .map(c -> c.endsWith("/systemd"))
                                        .orElse(false))
                                .mapToLong(ProcessHandle::pid)
                                .findFirst()
                                .orElse(0),
                        pid -> pid != 0 && Files.exists(Path.of("/proc/" + pid + "/root/run/systemd/private")));
    }

    private String journal(String unit) throws Exception {
        return inside("journalctl", "-u", unit, "-o", "cat", "--no-pager").output();
    }

    private String awaitJournal(String unit, String text, Duration timeout) throws Exception {
        return Await.that(unit + "'s journal to say " + text, timeout)
                .every(Duration.ofMillis(250))
                .until(() -> journal(unit), journal -> journal.contains(text));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (nspawn != null) {
            if (pid1 != 0) {
                exec(
                        Duration.ofSeconds(30),
                        "nsenter",
                        "-t",
                        Long.toString(pid1),
                        "-a",
                        "-r",
                        "-w",
                        "systemctl",
                        "poweroff");
            }
            if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
                nspawn.destroy();
                if (!nspawn.waitFor(10, TimeUnit.SECONDS)) {
                    nspawn.destroyForcibly();
                    nspawn.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        if (root != null) {
            exec(Duration.ofMinutes(1), "rm", "-rf", "--one-file-system", root.toString());
            Files.deleteIfExists(root.resolveSibling(root.getFileName() + ".console"));
        }
    }

    @Test
    void sandbox_letsTheAgentDoItsWork() throws Exception {
        buildRoot();
        boot();

        String journal = awaitJournal("seed-agent.service", "PROBE done", Duration.ofSeconds(60));
        System.out.println(journal);
        Map<String, String> agent = show("seed-agent.service");
        assertEquals("active", agent.get("ActiveState"), agent + "\n" + journal);
        assertEquals("Probe ready", agent.get("StatusText"), "READY=1 and STATUS= in one datagram from the JVM");
        assertTrue(journal.contains("PROBE notifier: OK sd_notify to /run/systemd/notify watchdog=PT1M"), journal);
        for (String step : List.of(
                "write fragment: OK EC2PublicIP = 203.0.113.10",
                "write state: OK rw-r--r--",
                "read pool password: OK 6 bytes",
                "read address file: OK <203.0.113.9",
                "see root credentials: OK true",
                "condor_config_val: OK",
                "jit: OK",
                "systemctl reload condor: OK",
                "condor saw reload: OK HUP",
                "systemctl restart condor: OK MainPID",
                "done: OK")) {
            assertTrue(journal.contains("PROBE " + step), step + "\n" + journal);
        }
        // Ordered before condor.service: HTCondor was not running yet while the agent started.
        assertTrue(journal.contains("PROBE condor before ready: FAIL"), journal);
        assertTrue(
                journal.contains(
                        "PROBE write etc: FAIL java.nio.file.FileSystemException: /etc/seed-agent-probe: Read-only file system"),
                journal);
        assertEquals("active", show("condor.service").get("ActiveState"));

        // WatchdogSec=1min: the agent pings every 30 s; wait for the next one rather than a fixed 32 s.
        String firstPing = show("seed-agent.service").get("WatchdogTimestampMonotonic");
        Await.that("a watchdog ping after the first", Duration.ofSeconds(45))
                .every(Duration.ofMillis(500))
                .until(
                        () -> show("seed-agent.service"),
                        unit -> !firstPing.equals(unit.get("WatchdogTimestampMonotonic")));

        assertEquals(0, inside("systemctl", "stop", "seed-agent.service").exitCode());
        Map<String, String> stopped = show("seed-agent.service");
        assertEquals("success", stopped.get("Result"), stopped.toString());
        assertEquals("inactive", stopped.get("ActiveState"));
        assertTrue(journal("seed-agent.service").contains("PROBE stopping: OK sent"));
    }

    @Test
    void memoryDenyWriteExecute_wouldStopTheJvm() throws Exception {
        buildRoot();
        Path dropIn = root.resolve("etc/systemd/system/seed-agent.service.d/mdwe.conf");
        write(dropIn, "[Service]\nMemoryDenyWriteExecute=yes\nRestart=no\n", "rw-r--r--");
        boot();

        String journal = awaitJournal("seed-agent.service", "Failed with result", Duration.ofSeconds(60));

        assertTrue(journal.contains("Failed to mark memory page as executable"), journal);
    }
}
