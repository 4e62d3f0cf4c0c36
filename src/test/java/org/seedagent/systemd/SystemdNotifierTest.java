package org.seedagent.systemd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.logging.LogSettings;

/** sd_notify against a real AF_UNIX datagram socket bound by the test (a path and an abstract name). */
class SystemdNotifierTest {
    private static final Duration QUIET = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        LogSettings.get().setOutput(new PrintStream(log, true, UTF_8), false);
    }

    @AfterEach
    void restoreLog() {
        LogSettings.get().setOutput(System.err, false);
    }

    private UnixDatagramReceiver bind(String kind) throws Exception {
        return switch (kind) {
            case "path" -> UnixDatagramReceiver.bindPath(tmp.resolve("notify"));
            case "abstract" -> UnixDatagramReceiver.bindAbstract("seed-agent-test/" + UUID.randomUUID());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Notifier notifierFor(UnixDatagramReceiver receiver) {
        return SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", receiver.notifySocket()));
    }

    static Stream<Arguments> messages() {
        List<Arguments> cases = new ArrayList<>();
        for (String kind : List.of("path", "abstract")) {
            cases.add(Arguments.of(kind, "ready()", (Consumer<Notifier>) Notifier::ready, "READY=1"));
            cases.add(Arguments.of(
                    kind,
                    "status",
                    (Consumer<Notifier>) n -> n.status("Public IP 203.0.113.10, fragment up to date"),
                    "STATUS=Public IP 203.0.113.10, fragment up to date"));
            cases.add(Arguments.of(
                    kind,
                    "ready(status)",
                    (Consumer<Notifier>) n -> n.ready("Ready: public IP 203.0.113.10"),
                    "READY=1\nSTATUS=Ready: public IP 203.0.113.10"));
            cases.add(Arguments.of(kind, "watchdog", (Consumer<Notifier>) Notifier::watchdog, "WATCHDOG=1"));
            cases.add(Arguments.of(kind, "stopping", (Consumer<Notifier>) Notifier::stopping, "STOPPING=1"));
            cases.add(Arguments.of(
                    kind,
                    "sanitized status",
                    (Consumer<Notifier>) n -> n.status("line one\nREADY=1\r\n\tMAINPID=1\u0007"),
                    "STATUS=line one READY=1 MAINPID=1"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} socket: {1}")
    @MethodSource("messages")
    void send_realSocket_deliversExactlyOneDatagramWithExactBytes(
            String kind, String what, Consumer<Notifier> call, String expected) throws Exception {
        try (UnixDatagramReceiver receiver = bind(kind);
                Notifier notifier = notifierFor(receiver)) {
            assertTrue(notifier.enabled());

            call.accept(notifier);

            assertArrayEquals(
                    expected.getBytes(UTF_8),
                    receiver.receive(Duration.ofSeconds(5)).orElseThrow(),
                    "datagram for " + what);
            assertEquals(Optional.empty(), receiver.receive(QUIET).map(b -> new String(b, UTF_8)), "one datagram only");
        }
        assertEquals("", log.toString(UTF_8), "nothing logged");
    }

    @Test
    void send_abstractSocket_usesOneSocketForAllMessagesInOrder() throws Exception {
        try (UnixDatagramReceiver receiver = bind("abstract");
                Notifier notifier = notifierFor(receiver)) {
            notifier.status("Waiting for instance metadata");
            notifier.ready("Ready");
            notifier.watchdog();
            notifier.stopping();

            assertEquals("STATUS=Waiting for instance metadata", receiver.receiveText());
            assertEquals("READY=1\nSTATUS=Ready", receiver.receiveText());
            assertEquals("WATCHDOG=1", receiver.receiveText());
            assertEquals("STOPPING=1", receiver.receiveText());
        }
    }

    @Test
    void fromEnvironment_noNotifySocket_isQuietNoOp() {
        for (Map<String, String> env :
                List.of(Map.<String, String>of(), Map.of("NOTIFY_SOCKET", ""), Map.of("WATCHDOG_USEC", "60000000"))) {
            Notifier notifier = SystemdNotifier.fromEnvironment(env);

            assertSame(Notifier.none(), notifier, env.toString());
            assertFalse(notifier.enabled());
            assertEquals(Optional.empty(), notifier.watchdogInterval());
            notifier.ready();
            notifier.ready("x");
            notifier.status("x");
            notifier.watchdog();
            notifier.stopping();
            notifier.close();
        }
        assertEquals("", log.toString(UTF_8));
    }

    @Test
    void fromEnvironment_relativeNotifySocket_warnsAndIsNoOp() {
        Notifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"));

        assertFalse(notifier.enabled());
        notifier.ready();
        assertTrue(log.toString(UTF_8).contains("WARN"), log.toString(UTF_8));
        assertTrue(log.toString(UTF_8).contains("NOTIFY_SOCKET=\"run/notify\""), log.toString(UTF_8));
    }

    @Test
    void send_socketPathMissing_logsOneWarningAndRecoversWhenSocketAppears() throws Exception {
        Path path = tmp.resolve("not-there");
        try (Notifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path.toString()))) {
            notifier.ready("Ready");
            notifier.status("still here");
            notifier.watchdog();

            String output = log.toString(UTF_8);
            assertEquals(1, output.lines().filter(l -> l.contains("WARN")).count(), output);
            assertTrue(output.contains(path.toString()), output);
            assertTrue(output.contains("READY=1"), output);
            assertTrue(output.contains("No such file or directory"), output);

            try (UnixDatagramReceiver receiver = UnixDatagramReceiver.bindPath(path)) {
                notifier.watchdog();
                assertEquals("WATCHDOG=1", receiver.receiveText());
            }
            assertTrue(log.toString(UTF_8).contains("works again"), log.toString(UTF_8));
        }
    }

    @Test
    void send_abstractNameNobodyBound_logsAndDoesNotThrow() {
        try (Notifier notifier =
                SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@seed-agent-test/" + UUID.randomUUID()))) {
            notifier.ready();
            notifier.stopping();
        }
        assertEquals(
                1, log.toString(UTF_8).lines().filter(l -> l.contains("WARN")).count(), log.toString(UTF_8));
        assertTrue(log.toString(UTF_8).contains("Connection refused"), log.toString(UTF_8));
    }

    @Test
    void close_thenSend_sendsNothingAndDoesNotThrow() throws Exception {
        try (UnixDatagramReceiver receiver = bind("path")) {
            Notifier notifier = notifierFor(receiver);
            notifier.ready();
            assertEquals("READY=1", receiver.receiveText());

            notifier.close();
            notifier.close();
            notifier.stopping();

            assertEquals(Optional.empty(), receiver.receive(QUIET));
        }
        assertEquals("", log.toString(UTF_8));
    }

    @Test
    void send_manyThreads_everyDatagramArrivesWhole() throws Exception {
        int threads = 8;
        int perThread = 50;
        try (UnixDatagramReceiver receiver = bind("abstract");
                Notifier notifier = notifierFor(receiver)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            try {
                Future<Map<String, Integer>> received = pool.submit(() -> {
                    Map<String, Integer> counts = new HashMap<>();
                    for (int i = 0; i < threads * perThread; i++) {
                        counts.merge(receiver.receiveText(), 1, Integer::sum);
                    }
                    return counts;
                });
                List<Future<?>> senders = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    senders.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            if (id % 2 == 0) {
                                notifier.watchdog();
                            } else {
                                notifier.status("thread " + id);
                            }
                        }
                    }));
                }
                for (Future<?> sender : senders) {
                    sender.get(30, TimeUnit.SECONDS);
                }
                Map<String, Integer> counts = received.get(30, TimeUnit.SECONDS);

                assertEquals(threads / 2 * perThread, counts.remove("WATCHDOG=1"));
                for (int t = 1; t < threads; t += 2) {
                    assertEquals(perThread, counts.remove("STATUS=thread " + t));
                }
                assertEquals(Map.of(), counts);
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals("", log.toString(UTF_8));
    }

    @Test
    void watchdogInterval_fromEnvironmentWithSocket() {
        long pid = ProcessHandle.current().pid();
        Notifier ours = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", Long.toString(pid)));
        Notifier theirs = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", Long.toString(pid + 1)));
        Notifier none = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@x"));

        assertEquals(Optional.of(Duration.ofSeconds(60)), ours.watchdogInterval());
        assertEquals(Optional.empty(), theirs.watchdogInterval());
        assertEquals(Optional.empty(), none.watchdogInterval());
    }

    @ParameterizedTest(name = "WATCHDOG_USEC={0} WATCHDOG_PID={1} -> {2}")
    @MethodSource("watchdogCases")
    void watchdogInterval_parsesLikeSdWatchdogEnabled(String usec, String pid, Optional<Duration> expected) {
        Map<String, String> env = new HashMap<>();
        if (usec != null) {
            env.put("WATCHDOG_USEC", usec);
        }
        if (pid != null) {
            env.put("WATCHDOG_PID", pid);
        }

        assertEquals(expected, SystemdNotifier.watchdogInterval(env, 4242));
    }

    static Stream<Arguments> watchdogCases() {
        return Stream.of(
                Arguments.of(null, null, Optional.empty()),
                Arguments.of("", null, Optional.empty()),
                Arguments.of("60000000", null, Optional.of(Duration.ofSeconds(60))),
                Arguments.of("1500", null, Optional.of(Duration.ofNanos(1_500_000))),
                Arguments.of("60000000", "4242", Optional.of(Duration.ofSeconds(60))),
                Arguments.of("60000000", "", Optional.of(Duration.ofSeconds(60))),
                Arguments.of("60000000", "4243", Optional.empty()),
                Arguments.of("60000000", "pid", Optional.empty()),
                Arguments.of("0", null, Optional.empty()),
                Arguments.of("18446744073709551615", null, Optional.empty()),
                Arguments.of("-5", null, Optional.empty()),
                Arguments.of("60s", null, Optional.empty()),
                Arguments.of(" 60000000", null, Optional.empty()));
    }
}
