package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.config.ConfigKey;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.state.StateStore;

/**
 * Every metadata fault of issue 7, against ONE long-lived production daemon (real pre-flight with
 * HTCondor's parser stand-in, real reload script) that meets them one after another, as a seed would over
 * its life: the service fails, the daemon polls three times through the fault, then the service recovers
 * (with a new address after a service fault) and the daemon polls on. A last test starts a fresh daemon
 * while the service is already failing (the boot sync).
 *
 * <p>For every fault: the last good fragment stays byte-identical while it lasts (nothing invalid reaches
 * a file, no temp file is left, nothing else appears in config.d); a fault that outlasts the retries is
 * reported by exactly one warning line however many polls it lasts, and its end by one line; a fault the
 * retries absorb is reported by none; after recovery the daemon writes the new address completely,
 * HTCondor's parser accepts it, and HTCondor is reloaded exactly once. No token reaches the log or the
 * state file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileMetadataTest {
    private static final Tally TALLY = new Tally();

    static final String GOOD = "203.0.113.10";
    static final String NEXT = "198.51.100.7";
    static final int FAULTY_POLLS = 3;
    static final int FOREVER = Integer.MAX_VALUE;
    private static final List<String> RESULTS = new ArrayList<>();

    @RegisterExtension
    static final FiguresOnPass FIGURES = new FiguresOnPass(() -> {
        long reported =
                RESULTS.stream().filter(r -> r.contains("REPORTED_ONCE")).count();
        RESULTS.forEach(r -> System.out.println("  " + r));
        return Figures.of("metadata faults")
                .with("scenarios", RESULTS.size())
                .with("reported_once", reported)
                .with("absorbed", RESULTS.size() - reported)
                .with("faulty_polls_each", FAULTY_POLLS)
                .with("fragment_checks", TALLY.get("fragment_checks"))
                .with("fragments_corrupted", TALLY.get("fragments_corrupted"))
                .with("fragments_lost", TALLY.get("fragments_lost"))
                .with("reloads", TALLY.get("reloads"));
    });

    /** What the agent must make of a fault. */
    enum Expect {
        /** Outlasts the retries: each faulty poll fails, one warning for the streak, one line at its end. */
        REPORTED_ONCE,
        /** Retries within one poll get through: no failed poll, no warning. */
        ABSORBED
    }

    /** One fault: how to inject it into the service, what the agent must make of it. */
    record Scenario(String name, Injection inject, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Injection {
        void into(RawImds imds);
    }

    static RawImds.Fault status(int code) {
        return (request, exchange) -> exchange.respond(code, "status " + code);
    }

    static RawImds.Fault body(byte[] bytes) {
        return (request, exchange) -> exchange.respond(200, Map.of(), bytes);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static Stream<Scenario> serviceFaults() {
        return Stream.of(
                // The token endpoint, reached mid-run: the service restarted (the cached token now gets 401), then...
                new Scenario(
                        "token endpoint 403 (IMDS disabled)",
                        imds -> {
                            imds.forgetTokens();
                            imds.failTokens(status(403), FOREVER);
                        },
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "token endpoint 404 (no IMDSv2)",
                        imds -> {
                            imds.forgetTokens();
                            imds.failTokens(status(404), FOREVER);
                        },
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "token endpoint 500",
                        imds -> {
                            imds.forgetTokens();
                            imds.failTokens(status(500), FOREVER);
                        },
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "token endpoint 500 twice, then a token",
                        imds -> {
                            imds.forgetTokens();
                            imds.failTokens(status(500), 2);
                        },
                        Expect.ABSORBED),
                // 401 on data after the token was accepted.
                new Scenario(
                        "401 on data: token invalidated mid-run (IMDS restart)",
                        RawImds::forgetTokens,
                        Expect.ABSORBED),
                new Scenario(
                        "401 on data for every token",
                        imds -> imds.failPublicIpv4(status(401), FOREVER),
                        Expect.REPORTED_ONCE),
                // Throttling and outages.
                new Scenario("429 burst of 3", imds -> imds.failPublicIpv4(status(429), 3), Expect.ABSORBED),
                new Scenario("429 throughout", imds -> imds.failPublicIpv4(status(429), FOREVER), Expect.REPORTED_ONCE),
                new Scenario("503 burst of 3", imds -> imds.failPublicIpv4(status(503), 3), Expect.ABSORBED),
                new Scenario("503 throughout", imds -> imds.failPublicIpv4(status(503), FOREVER), Expect.REPORTED_ONCE),
                new Scenario("500 throughout", imds -> imds.failPublicIpv4(status(500), FOREVER), Expect.REPORTED_ONCE),
                // Slow and broken transport.
                new Scenario(
                        "answer slower than the request time-out",
                        imds -> imds.failPublicIpv4(
                                (request, exchange) -> {
                                    Thread.sleep(600);
                                    exchange.respond(200, NEXT);
                                },
                                FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "connection reset (RST) mid-body",
                        imds -> imds.failPublicIpv4(
                                (request, exchange) -> exchange.resetMidBody(200, 12, ascii("203.0.")), FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "body cut short of its Content-Length (203.0.113.1 of 203.0.113.10), then FIN",
                        imds -> imds.failPublicIpv4(
                                (request, exchange) -> exchange.truncated(200, 12, ascii("203.0.113.1")), FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "body cut short once, then whole",
                        imds -> imds.failPublicIpv4(
                                (request, exchange) -> exchange.truncated(200, 12, ascii("203.0.113.1")), 1),
                        Expect.ABSORBED),
                new Scenario(
                        "chunked body cut short (203.0.113.1 of a 12-byte chunk), then FIN",
                        imds -> imds.failPublicIpv4(
                                (request, exchange) -> exchange.truncatedChunked(12, ascii("203.0.113.1")), FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "connection reset before the answer",
                        imds -> imds.failPublicIpv4((request, exchange) -> exchange.reset(), FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "connection closed before the answer",
                        imds -> imds.failPublicIpv4((request, exchange) -> exchange.hangUp(), FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "connection reset twice, then an answer",
                        imds -> imds.failPublicIpv4((request, exchange) -> exchange.reset(), 2),
                        Expect.ABSORBED),
                new Scenario(
                        "endless chunked body",
                        imds -> imds.failPublicIpv4((request, exchange) -> exchange.endless(), FOREVER),
                        Expect.REPORTED_ONCE),
                new Scenario(
                        "5 MiB body",
                        imds -> imds.failPublicIpv4(body(ascii("1".repeat(5 << 20))), FOREVER),
                        Expect.REPORTED_ONCE));
    }

    /** Bodies that are not a canonical dotted quad; each could inject HTCondor configuration or name a wrong host. */
    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                text("trailing newline", GOOD + "\n"),
                text("CRLF", GOOD + "\r\n"),
                text("newline then a knob", GOOD + "\nALLOW_WRITE = *"),
                text("trailing backslash (line continuation)", GOOD + "\\"),
                text("backslash alone", "\\"),
                text("macro $(", "$(FULL_HOSTNAME)"),
                text("address then $(", GOOD + "$(X)"),
                text("multi-line value @=", GOOD + " @=end"),
                text("@= alone", "@=end"),
                text("IPv6", "2001:db8::1"),
                text("IPv4-mapped IPv6", "::ffff:203.0.113.10"),
                text("host name", "ec2-203-0-113-10.compute-1.amazonaws.com"),
                text("localhost", "localhost"),
                text("leading zeros", "203.000.113.010"),
                text("leading zero octet", "010.0.0.1"),
                text("octet above 255", "203.0.113.256"),
                text("octet 999", "999.0.113.10"),
                text("leading space", " " + GOOD),
                text("trailing space", GOOD + " "),
                text("tab", "\t" + GOOD),
                text("NUL after", GOOD + "\0"),
                text("NUL inside", "203.0.\0" + "113.10"),
                text("NUL alone", "\0"),
                text("fullwidth digits", "\uff12\uff10\uff13.0.113.10"),
                text("Arabic-Indic digits", "\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0661\u0660"),
                text("Devanagari digits", "\u0968\u0966\u0969.0.113.10"),
                text("mathematical bold digits", "\ud835\udfd0\ud835\udfce\ud835\udfd1.0.113.10"),
                text("superscript digits", "\u00b2\u2070\u00b3.0.113.10"),
                text("ideographic full stops", "203\u30020\u3002113\u300210"),
                text("one-dot leaders", "203\u20240\u2024113\u202410"),
                text("letter O for zero", "203.0.113.1O"),
                Arguments.of(
                        "overlong UTF-8 dot (C0 AE)",
                        new byte[] {'2', '0', '3', (byte) 0xC0, (byte) 0xAE, '0', '.', '1', '.', '1'}),
                Arguments.of(
                        "invalid UTF-8 byte FF",
                        new byte[] {'2', '0', '3', '.', '0', '.', '1', '1', '3', '.', '1', (byte) 0xFF}),
                text("empty", ""),
                text("three octets", "203.0.113"),
                text("five octets", "203.0.113.10.5"),
                text("trailing dot", GOOD + "."),
                text("hex octet", "0xcb.0.113.10"),
                text("single integer", "3405803786"),
                text("HTML error page", "<html><body><h1>502 Bad Gateway</h1></body></html>"),
                text("comment after the address", GOOD + "#x"),
                text("4000 digits (under the body limit)", "1".repeat(4000)));
    }

    private static Arguments text(String name, String body) {
        return Arguments.of(name, body.getBytes(StandardCharsets.UTF_8));
    }

    // --- one long-lived daemon through every fault in turn ------------------------------------------

    private RawImds imds;
    private Rig rig;
    private SeedDaemon daemon;
    /** The address in force: the recoveries alternate between two, so each one is a real change. */
    private String current = GOOD;

    @BeforeAll
    void boot(@TempDir Path dir) throws Exception {
        imds = RawImds.start(GOOD);
        rig = new Rig(dir, imds.endpoint());
        rig.set(ConfigKey.METADATA_REQUEST_TIMEOUT, "200ms").set(ConfigKey.METADATA_DEADLINE, "1s");
        daemon = rig.daemon();
        assertEquals("TCP_FORWARDING_HOST = " + GOOD + " (public IPv4)", Rig.bootAndReady(daemon));
        assertArrayEquals(bytes(GOOD), rig.fragmentBytes());
        assertEquals(1, rig.reloadCount());
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceFaults")
    void poll_serviceFault_lastGoodFragmentKeptReportedOnceThenNewAddressApplied(Scenario scenario) throws Exception {
        int tokensBefore = imds.tokenRequests();
        int problems = faultPhase(() -> scenario.inject().into(imds), scenario.expect());

        // The service recovers, with a new address: applied at once, reloaded once.
        String next = current.equals(GOOD) ? NEXT : GOOD;
        int recovery = rig.mark();
        int reloads = rig.reloadCount();
        imds.heal();
        imds.setPublicIpv4(next);
        rig.poll(daemon, 1);
        assertArrayEquals(bytes(next), rig.fragmentBytes());
        assertEquals(reloads + 1, rig.reloadCount(), "one reload for the one change");
        current = next;
        rig.poll(daemon, 2);
        assertEquals(reloads + 1, rig.reloadCount());
        assertEquals(List.of(), rig.tempFiles());
        assertEquals(
                scenario.expect() == Expect.REPORTED_ONCE ? 1 : 0,
                rig.linesSince(recovery).stream()
                        .filter(l -> l.contains("metadata service answering again"))
                        .count(),
                rig.log());
        RESULTS.add(scenario.name() + "\t" + scenario.expect() + "\tproblem_lines=" + problems + "\ttoken_requests="
                + (imds.tokenRequests() - tokensBefore));
    }

    /**
     * Every hostile body in turn: three polls with it, then one with the address in force again (the
     * streak ends; the file was never touched, so nothing is rewritten or reloaded).
     */
    @Order(2)
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void poll_hostileBody_rejectedReportedOnceFragmentUntouched(String name, byte[] body) throws Exception {
        int mark = rig.mark();
        int problems = faultPhase(() -> imds.failPublicIpv4(body(body), FOREVER), Expect.REPORTED_ONCE);
        String warning = rig.problemsSince(mark).get(0);
        assertTrue(
                warning.contains("which is not a dotted-quad IPv4 address") || warning.contains("could not be read"),
                warning);

        int recovery = rig.mark();
        int reloads = rig.reloadCount();
        imds.heal();
        rig.poll(daemon, 1);
        assertArrayEquals(bytes(current), rig.fragmentBytes());
        assertEquals(
                1,
                rig.linesSince(recovery).stream()
                        .filter(l -> l.contains("metadata service answering again"))
                        .count());
        assertEquals(reloads, rig.reloadCount(), "the address never changed: no reload");
        RESULTS.add("body: " + name + "\t" + Expect.REPORTED_ONCE + "\tproblem_lines=" + problems);
    }

    @Order(3)
    @Test
    void afterEveryFault_htcondorParsesTheFragmentAndNoTokenWasWritten() throws Exception {
        String next = current.equals(GOOD) ? NEXT : GOOD;
        imds.setPublicIpv4(next);
        rig.poll(daemon, 2);
        assertArrayEquals(bytes(next), rig.fragmentBytes());
        assertEquals(next, rig.condorSays(), "HTCondor's parser accepts the fragment");
        assertFalse(imds.containsAnyToken(rig.log()), "a token in the log");
        assertFalse(
                imds.containsAnyToken(Files.readString(rig.stateDir.resolve("state.json"))),
                "a token in the state file");
    }

    /**
     * The boot sync while the token endpoint refuses (403): the previous fragment is kept and HTCondor
     * may start; the error is reported once, by the boot, and not again by the polls while it lasts.
     */
    @Order(4)
    @Test
    void boot_tokenEndpointRefusing_previousFragmentKeptReportedOnceAcrossBootAndPolls(@TempDir Path dir)
            throws Exception {
        try (RawImds failing = RawImds.start(GOOD);
                Rig fresh = new Rig(dir, failing.endpoint())) {
            Files.writeString(fresh.fragment, Rig.render(GOOD));
            byte[] before = fresh.fragmentBytes();
            failing.failTokens(status(403), FOREVER);
            try (SeedDaemon booting = fresh.daemon()) {
                assertEquals(
                        "metadata service unavailable at boot: kept the previous fragment (TCP_FORWARDING_HOST = "
                                + GOOD + ")",
                        Rig.bootAndReady(booting));
                fresh.poll(booting, FAULTY_POLLS);
                assertArrayEquals(before, fresh.fragmentBytes());
                List<String> problems = fresh.problemsSince(0);
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(
                        problems.get(0).startsWith("<3>cannot read the instance's address within 2 s"),
                        problems.get(0));

                failing.heal();
                fresh.poll(booting, 2);
                assertArrayEquals(before, fresh.fragmentBytes());
                assertEquals(1, fresh.count("metadata service answering again"), fresh.log());
                assertEquals(0, fresh.reloadCount(), "HTCondor started with the kept fragment: nothing to reload");
                assertEquals(GOOD, new StateStore(fresh.stateDir).load().currentAddress);
            }
            RESULTS.add("boot: token endpoint 403\t" + Expect.REPORTED_ONCE + "\tproblem_lines=1");
        }
    }

    /**
     * Injects a fault, polls through it and checks what must hold while it lasts; returns the number of
     * warning and error lines it caused.
     */
    private int faultPhase(ThrowingRunnable inject, Expect expect) throws Exception {
        byte[] good = rig.fragmentBytes();
        assertArrayEquals(bytes(current), good);
        int mark = rig.mark();
        int reloads = rig.reloadCount();
        inject.run();
        int failed = 0;
        for (int i = 0; i < FAULTY_POLLS; i++) {
            String summary = rig.poll(daemon, 1);
            failed += summary.contains("last poll failed") ? 1 : 0;
            byte[] now = rig.fragmentBytes();
            TALLY.check("fragment_checks", "fragments_lost", now != null);
            TALLY.add("fragments_corrupted", now != null && !java.util.Arrays.equals(good, now) ? 1 : 0);
            assertArrayEquals(good, now, "the last good fragment stays, byte-identical");
            assertEquals(List.of(), rig.tempFiles(), "no temp file left");
            assertEquals(List.of(rig.fragment), listDir(rig.configDir), "nothing else in config.d");
        }
        List<String> problems = rig.problemsSince(mark);
        if (expect == Expect.REPORTED_ONCE) {
            assertEquals(FAULTY_POLLS, failed, "every poll during the fault failed");
            assertEquals(1, problems.size(), "reported once, not once per poll: " + problems);
            assertTrue(problems.get(0).startsWith("<4>cannot read the public address: "), problems.get(0));
            assertTrue(problems.get(0).contains("keeping TCP_FORWARDING_HOST = " + current), problems.get(0));
        } else {
            assertEquals(0, failed, "the retries absorbed the fault");
            assertEquals(List.of(), problems, "an absorbed fault is not reported");
        }
        assertEquals(reloads, rig.reloadCount(), "no reload during the fault");
        assertEquals(current, new StateStore(rig.stateDir).load().currentAddress);
        return problems.size();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static byte[] bytes(String ip) {
        return Rig.render(ip).getBytes(StandardCharsets.UTF_8);
    }

    static List<Path> listDir(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            return files.sorted().toList();
        }
    }

    @AfterAll
    void close() throws IOException {
        if (rig != null) {
            TALLY.add("reloads", rig.reloadCount());
        }
        if (daemon != null) {
            daemon.close();
        }
        if (rig != null) {
            rig.close();
        }
        if (imds != null) {
            imds.close();
        }
    }
}
