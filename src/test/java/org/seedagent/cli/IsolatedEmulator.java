package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.testing.Await;

/**
 * The IMDSv2 emulator ({@code seed-agent emulator}, the built program) alone in a network namespace of its
 * own ({@code unshare -n}, loopback only), and a way to run the program inside that namespace
 * ({@code nsenter}): the program then reads metadata from 127.0.0.1, and whatever else it connects to (the
 * self-reachability probe of {@code check} connects to the public address when any condor_master runs on
 * this machine) cannot leave the namespace. Needs root. {@link #close} stops the emulator (its PID), and the
 * namespace goes with it.
 */
final class IsolatedEmulator implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private IsolatedEmulator(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code launcher emulator --public-ip publicIp}; skips the calling tests when not root. */
    static IsolatedEmulator start(Path launcher, String publicIp) throws IOException, InterruptedException {
        return start(launcher, null, "--public-ip", publicIp);
    }

    /**
     * Starts {@code launcher emulator --port 0 arguments}; its output goes to {@code output} when not null (to be
     * read later), else it is read here until it listens. Skips the calling tests when not root.
     */
    static IsolatedEmulator start(Path launcher, Path output, String... arguments)
            throws IOException, InterruptedException {
        assumeTrue(
                (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "skipped: needs root (a network namespace of its own)");
        List<String> command = new ArrayList<>(List.of(
                "unshare",
                "-n",
                "--",
                "sh",
                "-c",
                "ip link set lo up && exec \"$0\" emulator --port 0 \"$@\"",
                launcher.toString()));
        command.addAll(List.of(arguments));
        // unshare execs sh, which execs the launcher, which execs the JVM: the process started is the emulator.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (output != null) {
            Process process = builder.redirectOutput(output.toFile()).start();
            try {
                Matcher m = LISTENING.matcher(
                        Await.that("the emulator to listen in a network namespace of its own", Duration.ofSeconds(60))
                                .whileAlive(process)
                                .until(
                                        () -> Files.exists(output) ? Files.readString(output) : "",
                                        said -> LISTENING.matcher(said).find()));
                assertTrue(m.find());
                return new IsolatedEmulator(process, Integer.parseInt(m.group(1)));
            } catch (AssertionError e) {
                process.destroyForcibly();
                throw e;
            }
        }
        Process process = builder.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String line;
        // readLine returns when a line comes or the process exits: the emulator prints one line once it listens.
        while ((line = out.readLine()) != null) {
            said.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return new IsolatedEmulator(process, Integer.parseInt(m.group(1)));
            }
        }
        process.destroyForcibly();
        fail("the emulator did not start in a network namespace of its own: " + said);
        throw new AssertionError();
    }

    int port() {
        return port;
    }

    /** The endpoint inside the namespace, for {@code metadata.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code command} to run inside the emulator's network namespace. */
    List<String> inside(List<String> command) {
        List<String> line = new ArrayList<>(List.of("nsenter", "-t", Long.toString(process.pid()), "-n", "--"));
        line.addAll(command);
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
