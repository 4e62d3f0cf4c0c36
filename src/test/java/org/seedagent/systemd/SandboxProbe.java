package org.seedagent.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.seedagent.testing.Await;

/**
 * Started as {@code /usr/bin/seed-agent run} by the real seed-agent.service inside a container (see
 * {@link UnitUnderSystemdTest}): does, inside the unit's sandbox, each thing the agent needs to do and
 * prints one {@code PROBE name: OK|FAIL detail} line per step, then notifies systemd like the agent.
 */
public final class SandboxProbe {
    private SandboxProbe() {}

    private static void step(String name, Callable<Object> body) {
        String outcome;
        try {
            outcome = "OK " + body.call();
        } catch (Exception | AssertionError e) { // AssertionError: an Await that timed out
            outcome = "FAIL " + e;
        }
        System.out.println("PROBE " + name + ": " + outcome.replace('\n', ' '));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new Exception("timed out");
        }
        if (process.exitValue() != 0) {
            throw new Exception("exit " + process.exitValue() + ": " + output);
        }
        return output;
    }

    public static void main(String[] args) throws Exception {
        Notifier notifier = SystemdNotifier.fromEnvironment(System.getenv());
        System.out.println("PROBE notifier: " + (notifier.enabled() ? "OK " : "FAIL ") + notifier + " watchdog="
                + notifier.watchdogInterval().orElse(null));
        notifier.status("Probing the sandbox");

        step("write fragment", () -> {
            Path dir = Path.of("/etc/condor/config.d");
            Path temp = Files.createTempFile(dir, ".seed-agent", ".tmp");
            Files.writeString(temp, "EC2PublicIP = 203.0.113.10\n");
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(
                    temp,
                    dir.resolve("49ec2-instance.config"),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return Files.readString(dir.resolve("49ec2-instance.config")).strip();
        });
        step("write state", () -> {
            Path state = Path.of("/var/lib/seed-agent/state.json");
            Files.writeString(state, "{}\n");
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(state));
        });
        step(
                "read pool password",
                () -> Files.readAllBytes(Path.of("/etc/condor/condor_pool_password")).length + " bytes");
        step(
                "read address file",
                () -> Files.readAllLines(Path.of("/var/log/condor/.master_address"))
                        .get(0));
        step("see root credentials", () -> Files.isReadable(Path.of("/root/.aws/credentials")));
        step("condor_config_val", () -> run("/usr/bin/condor_config_val", "-config"));
        step("condor before ready", () -> run("systemctl", "is-active", "condor.service"));
        step("write etc", () -> {
            Files.writeString(Path.of("/etc/seed-agent-probe"), "x");
            return "written";
        });
        step("jit", () -> {
            long sum = 0;
            for (int r = 0; r < 100; r++) {
                for (int i = 0; i < 1_000_000; i++) {
                    sum += (i ^ r) % 7;
                }
            }
            return sum;
        });

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            notifier.stopping();
            System.out.println("PROBE stopping: OK sent");
            notifier.close();
        }));
        notifier.ready("Probe ready");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "watchdog");
            thread.setDaemon(true);
            return thread;
        });
        notifier.watchdogInterval()
                .ifPresent(interval -> timer.scheduleAtFixedRate(
                        notifier::watchdog, 0, interval.toMillis() / 2, TimeUnit.MILLISECONDS));

        // After READY=1 only: before it, condor.service's start job waits for this unit, and a
        // blocking "systemctl reload condor.service" would wait for it in turn until TimeoutStartSec.
        step("systemctl reload condor", () -> {
            Await.that("condor.service to be active", Duration.ofSeconds(20))
                    .ignoring(Exception.class)
                    .until(() -> {
                        run("systemctl", "is-active", "--quiet", "condor.service"); // throws until it is
                        return true;
                    });
            return run("systemctl", "reload", "condor.service");
        });
        step("condor saw reload", () -> {
            Path reloads = Path.of("/var/log/condor/reloads");
            Await.that(reloads + " to be written", Duration.ofSeconds(10)).until(() -> Files.exists(reloads));
            return Files.readString(reloads).strip();
        });
        // The default reload.method since issue 25: a restart of condor.service, from inside the sandbox too.
        step("systemctl restart condor", () -> {
            String before = run("systemctl", "show", "--property=MainPID", "--value", "condor.service");
            run("systemctl", "restart", "condor.service");
            String after = run("systemctl", "show", "--property=MainPID", "--value", "condor.service");
            if (before.equals(after)) {
                throw new IllegalStateException("condor.service's main PID is still " + before);
            }
            return "MainPID " + before + " -> " + after;
        });
        System.out.println("PROBE done: OK");
        Thread.sleep(Long.MAX_VALUE);
    }
}
