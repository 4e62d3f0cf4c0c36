package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.seedagent.support.ProcessResult;
import org.seedagent.testing.Await;

/**
 * Issue 22: the emulator teaches. It prints its answers when it starts (consistent ones: an instance profile is
 * said to be attached only with its credentials, or said to have none) and each change made through its controls
 * as it happens, on loopback.
 */
class EmulatorCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String screen() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void printsItsAnswersAtStart_andEachChangeAsItHappens() throws Exception {
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.systemUTC(),
                (command, timeout) -> new ProcessResult(127, "", "not expected in this test", false),
                settings -> {
                    throw new AssertionError("the emulator reads no metadata");
                },
                null,
                false);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread emulator = new Thread(
                () -> {
                    try {
                        exit.set(new EmulatorCommand().run(context, List.of("--port", "0", "--spot")));
                    } catch (Exception e) {
                        exit.set(-2); // interrupted: how this test stops it
                    }
                },
                "emulator-under-test");
        emulator.start();
        try {
            Await.that("the emulator's answers", Duration.ofSeconds(20))
                    .every(Duration.ofMillis(20))
                    .until(this::screen, screen -> screen.contains("Answers: "));
            Matcher port = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(screen());
            assertTrue(port.find(), screen());
            String base = "http://127.0.0.1:" + port.group(1) + "/emulator/meta-data/";
            assertTrue(screen().contains("public-ipv4 = 203.0.113.10"), screen());
            assertTrue(screen().contains("instance-life-cycle = spot"), screen());
            assertTrue(
                    screen().contains("iam/info = an instance profile, with no credentials (--ec2 serves them)"),
                    screen());

            HttpClient http = HttpClient.newHttpClient();
            assertEquals(
                    204,
                    http.send(
                                    HttpRequest.newBuilder(URI.create(base + "public-ipv4"))
                                            .PUT(HttpRequest.BodyPublishers.ofString("198.51.100.7"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode());
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "spot/instance-action"))
                            .PUT(HttpRequest.BodyPublishers.ofString(
                                    "{\"action\": \"terminate\", \"time\": \"2026-12-07T14:00:00Z\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "public-ipv4"))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());

            Await.that("the removal said", Duration.ofSeconds(20))
                    .every(Duration.ofMillis(20))
                    .until(this::screen, screen -> screen.contains("now: public-ipv4 = 404 (removed)"));
            assertTrue(screen().contains("now: public-ipv4 = 198.51.100.7"), screen());
            // The notice as it is, JSON not escaped.
            assertTrue(
                    screen().contains("now: spot/instance-action = {\"action\": \"terminate\", \"time\":"
                            + " \"2026-12-07T14:00:00Z\"}"),
                    screen());
        } finally {
            emulator.interrupt();
            emulator.join(10_000);
        }
        assertEquals(-2, exit.get(), "stopped by the interrupt");
    }
}
