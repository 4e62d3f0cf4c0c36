package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.testing.Await;
import org.seedagent.testing.Dist;

/**
 * README's "try it" path as a person takes it, at a terminal (issue 22): every command runs in a pseudo-terminal
 * ({@code script} from util-linux), the screen is what is judged. {@code demo}; each "Next:" hint pasted as printed
 * (through a shell, quoting and all); the emulator in the background; {@code run}; a changed address; a spot
 * notice; {@code status}; Ctrl-C. Every screen is free of escaped JSON, Java class names and stack traces.
 * The emulator and everything that reads it run in a network namespace of their own ({@code unshare -n}): the
 * "public" address is never connected to outside. Needs root (the namespace).
 */
class TryItPtyIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private IsolatedEmulator emulator;
    private final List<String> screens = new ArrayList<>();

    @AfterEach
    void stopEmulator() throws InterruptedException {
        if (emulator != null) {
            emulator.close();
        }
    }

    /**
     * Kills {@code process} and everything it started: the program runs under script, in the pty script made,
     * so killing script alone (a failed assertion before Ctrl-C) would leave it running.
     */
    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Test
    void readmeTryItPath_atATerminal_everyHintWorks_noEscapedJsonClassNamesOrStackTraces() throws Exception {
        assumeTrue(
                (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "skipped: needs root (a network namespace of its own)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "skipped: script (util-linux) is not installed");
        Path launcher = Dist.launcher();
        Path demo = dir.resolve("demo");

        // 1. README's first command, at a terminal.
        Screen first = terminal(List.of(launcher.toString(), "demo", "--dir", demo.toString()));
        assertEquals(0, first.exit(), first.text());
        assertTrue(first.text().contains("TCP_FORWARDING_HOST = 203.0.113.10"), first.text());

        // 2. Each "Next:" hint pasted verbatim into a shell.
        List<String> hints = DemoCommandTest.hints(first.text());
        assertEquals(5, hints.size(), first.text());
        for (String hint : hints) {
            Screen pasted = terminal(List.of("/bin/bash", "-c", hint));
            if (hint.contains("ALLOW_WRITE")) {
                assertEquals(
                        ExitCode.UNAVAILABLE,
                        pasted.exit(),
                        "the hostile answer is refused: " + hint + "\n" + pasted.text());
                assertTrue(
                        pasted.text().contains("nothing written")
                                || pasted.text().contains("not written")
                                || pasted.text().contains("rejected"),
                        pasted.text());
            } else {
                assertEquals(0, pasted.exit(), "pasted as printed, it works: " + hint + "\n" + pasted.text());
            }
        }
        assertTrue(
                Files.readString(demo.resolve("config.d/50-seed-agent.conf")).contains("TCP_FORWARDING_HOST = "),
                "the demo's fragment is still there");

        // 3. The emulator in the background (a spot instance, so that its notice is watched).
        int port = startEmulator(launcher);
        Path config = dir.resolve("agent.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "metadata.endpoint = http://127.0.0.1:" + port,
                        "fragment.path = " + demo.resolve("config.d/50-seed-agent.conf"),
                        "state.directory = " + dir.resolve("state"),
                        "reload.method = none",
                        "poll.interval = 1s",
                        ""));

        // 4. run, at a terminal; a changed address; a spot notice; status; Ctrl-C.
        Path runScreen = dir.resolve("run.screen");
        String at;
        // The shell on the terminal reports run's own exit status, as `echo $?` would for a person: script's status
        // was once 130 in CI although run had logged "stopped" (bash, waiting, outlives a Ctrl-C its child handled).
        String runLine = quoted(launcher.toString()) + " --config " + quoted(config.toString()) + " run";
        Process run = new ProcessBuilder(
                        inside(script(List.of("bash", "-c", runLine + "; echo \"[run exited with $?]\""))))
                .redirectErrorStream(true)
                .redirectOutput(runScreen.toFile())
                .start();
        try (OutputStream keyboard = run.getOutputStream()) {
            await(runScreen, "the boot sync", s -> s.contains("wrote " + demo.resolve("config.d/50-seed-agent.conf")));
            control(port, "PUT", "meta-data/public-ipv4", "198.51.100.99");
            await(runScreen, "the address change", s -> s.contains("198.51.100.99"));
            at = Instant.now()
                    .plusSeconds(120)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .toString();
            control(
                    port,
                    "PUT",
                    "meta-data/spot/instance-action",
                    "{\"action\": \"terminate\", \"time\": \"" + at + "\"}");
            await(runScreen, "the spot notice", s -> s.contains("spot interruption notice"));

            Screen status = terminal(inside(List.of(launcher.toString(), "--config", config.toString(), "status")));
            assertEquals(1, status.exit(), status.text());
            assertTrue(status.text().contains("Address:      198.51.100.99 (public IPv4)"), status.text());
            assertTrue(status.text().contains("FAILURE  EC2 will terminate this seed at "), status.text());
            // At a terminal (this pty has no size: 80 columns), wrapped: only an unbreakable path may overflow.
            for (String line : status.text().split("\n")) {
                assertTrue(line.length() <= 100, "a line of " + line.length() + " columns at a terminal: " + line);
            }
            assertTrue(
                    status.text()
                            .lines()
                            .filter(l -> l.length() > 80)
                            .allMatch(l -> l.contains("/tmp/") || l.contains(dir.toString())),
                    status.text());

            // check at the same terminal: wrapped too, each finding under its text (issue 22).
            Screen check = terminal(inside(List.of(launcher.toString(), "--config", config.toString(), "check")));
            assertTrue(check.text().contains(" checks: "), check.text());
            // The checks that passed are named, one line per area; --long tells what each found.
            assertTrue(
                    check.text().contains("(--long: every finding)")
                            && check.text().contains(" ok: "),
                    check.text());
            Screen checkLong =
                    terminal(inside(List.of(launcher.toString(), "--config", config.toString(), "check", "--long")));
            assertTrue(checkLong.text().lines().anyMatch(l -> l.startsWith("  ok      ")), checkLong.text());
            assertTrue(checkLong.text().lines().count() > check.text().lines().count(), checkLong.text());
            for (Screen screen : List.of(check, checkLong)) {
                for (String line : screen.text().split("\n")) {
                    assertTrue(
                            line.length() <= 80
                                    || line.contains("/tmp/")
                                    || !line.strip().contains(" "),
                            "a line of " + line.length() + " columns at an 80-column terminal: " + line);
                }
            }

            keyboard.write(3); // Ctrl-C: the terminal sends SIGINT to run
            keyboard.flush();
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run stops on Ctrl-C\n" + Files.readString(runScreen));
        } finally {
            stop(run);
        }
        String runText = seen(Files.readString(runScreen, StandardCharsets.UTF_8));
        screens.add(runText);
        assertTrue(runText.strip().endsWith("[run exited with 0]"), "run exits 0 on Ctrl-C: " + runText);
        assertTrue(runText.contains("^C"), "the terminal echoed Ctrl-C: " + runText);
        assertTrue(
                runText.strip().replace("\n[run exited with 0]", "").endsWith("stopped"),
                "its last line says it stopped: " + runText);

        emulator.close();
        String emulatorText = Files.readString(dir.resolve("emulator.screen"), StandardCharsets.UTF_8);
        screens.add(emulatorText);
        assertTrue(emulatorText.contains("Answers: public-ipv4 = 203.0.113.10,"), emulatorText);
        assertTrue(emulatorText.contains("now: public-ipv4 = 198.51.100.99\n"), emulatorText);
        assertTrue(
                emulatorText.contains(
                        "now: spot/instance-action = {\"action\": \"terminate\", \"time\": \"" + at + "\"}\n"),
                emulatorText);

        for (String screen : screens) {
            assertClean(screen);
        }
    }

    /** No escaped JSON, Java class name or stack trace on a screen a person reads. */
    static void assertClean(String screen) {
        assertFalse(screen.contains("{\\\"") || screen.contains("\\\":"), "escaped JSON on screen:\n" + screen);
        Matcher className = Pattern.compile(
                        "\\b(?:java|javax|sun|org|com|software)\\.[a-z0-9_]+(?:\\.[a-z0-9_]+)*\\.[A-Z]\\w+"
                                + "|\\b\\w+(?:Exception|Error)\\b")
                .matcher(screen);
        if (className.find()) {
            fail("a Java class name on screen (" + className.group() + "):\n" + screen);
        }
        assertFalse(
                Pattern.compile("(?m)^\\s+at [\\w$.]+\\(").matcher(screen).find(),
                "a stack trace on screen:\n" + screen);
    }

    record Screen(int exit, String text) {}

    /** {@code command} in a pseudo-terminal: what the person sees, and its exit code. */
    private Screen terminal(List<String> command) throws IOException, InterruptedException {
        Path screen = Files.createTempFile(dir, "screen", ".txt");
        Process process = new ProcessBuilder(script(command))
                .redirectErrorStream(true)
                .redirectOutput(screen.toFile())
                .start();
        try (OutputStream keyboard = process.getOutputStream()) {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                stop(process);
                fail("did not finish in 90 s: " + command + "\n" + Files.readString(screen));
            }
        }
        String text = seen(Files.readString(screen, StandardCharsets.UTF_8));
        screens.add(text);
        return new Screen(process.exitValue(), text);
    }

    /** What a person sees: the terminal's line ends, and no colour codes (a terminal shows them as colour). */
    private static String seen(String raw) {
        return raw.replace("\r\n", "\n").replaceAll("\u001b\\[[0-9;]*m", "");
    }

    /** {@code script -qfec}: a new pseudo-terminal, the command run by a shell in it, its exit code returned. */
    private static List<String> script(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (String word : command) {
            line.append(line.length() == 0 ? "" : " ").append(quoted(word));
        }
        return List.of("script", "-qfec", line.toString(), "/dev/null");
    }

    private List<String> inside(List<String> command) {
        return emulator.inside(command);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The emulator as README's "try it" path has it (a spot instance), alone in a network namespace. */
    private int startEmulator(Path launcher) throws IOException, InterruptedException {
        emulator = IsolatedEmulator.start(launcher, dir.resolve("emulator.screen"), "--spot");
        return emulator.port();
    }

    /** Changes an answer as the emulator's --help says: curl, inside the namespace. */
    private void control(int port, String method, String item, String body) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder(inside(List.of(
                        "curl",
                        "-sS",
                        "-f",
                        "-X",
                        method,
                        "--data-binary",
                        body,
                        "http://127.0.0.1:" + port + "/emulator/" + item)))
                .redirectErrorStream(true)
                .start();
        String said = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), "curl " + item + ": " + said);
    }

    private static String await(Path screen, String what, Predicate<String> done)
            throws IOException, InterruptedException {
        return Await.that(what, WAIT)
                .until(() -> Files.exists(screen) ? Files.readString(screen, StandardCharsets.UTF_8) : "", done);
    }
}
