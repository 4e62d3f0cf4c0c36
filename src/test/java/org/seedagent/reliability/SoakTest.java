package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.ConfigKey;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.emulator.MetadataEmulator;
import org.seedagent.state.DaemonState;
import org.seedagent.state.StateStore;
import org.seedagent.testing.Tmpfs;

/**
 * A bounded soak: the production daemon, polled {@value #POLLS} times in a row (fake clock: back-off
 * costs no time) against the metadata emulator behind a proxy that injects random faults into a few
 * percent of the requests and, now and then, an outage of several polls. Meanwhile the address changes
 * from time to time and the fragment is deleted or edited by hand now and then.
 *
 * <p>Checked: no poll throws; after every poll the fragment is complete and names an address that was
 * served; every change is applied exactly once (reload-script runs = changes + the boot's); every drift is
 * repaired without a reload; every failure streak is reported by one warning and its end by one line; no
 * growth of threads or file descriptors beyond a small tolerance. Seed: {@code -Dreliability.seed=N}.
 */
class SoakTest {
    static final int POLLS = Integer.getInteger("reliability.soak.polls", 10_000);
    private static final double FAULT_RATE = 0.04;
    private static final double CHANGE_RATE = 1.0 / 450;
    private static final double DRIFT_RATE = 1.0 / 500;
    private static final double OUTAGE_RATE = 1.0 / 400;
    private static final int FD_TOLERANCE = 8;
    private static final int THREAD_TOLERANCE = 3;

    @TempDir
    Path dir;

    @Test
    void poll_tenThousandTimesUnderRandomFaults_noLeakNoCrashEveryChangeOnce() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("soak seed " + seed + " (-Dreliability.seed=" + seed + " to repeat)");
        String first = "203.0.113.10";
        List<String> served = new ArrayList<>(List.of(first));
        try (Tmpfs fast = Tmpfs.tryMountAt(dir.resolve("fast"), 8192);
                MetadataEmulator emulator =
                        MetadataEmulator.start(0, MetadataEmulator.sampleInstance(first), Clock.systemUTC());
                FaultProxy proxy = new FaultProxy(emulator, seed, Duration.ofMillis(150));
                Rig rig = new Rig(fast != null ? fast.path() : dir.resolve("fast"), proxy.endpoint())) {
            rig.set(ConfigKey.METADATA_REQUEST_TIMEOUT, "100ms").set(ConfigKey.METADATA_DEADLINE, "2s");
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                assertEquals(first, rig.fragmentHost());
                proxy.setFaultRate(FAULT_RATE);

                Resources before = null;
                String expected = first;
                int changes = 0;
                int drifts = 0;
                int failedPolls = 0;
                int streaks = 0;
                int streakEnds = 0;
                int outagePollsLeft = 0;
                boolean failing = false;
                List<String> outcomes = new ArrayList<>();
                List<Integer> fdSeries = new ArrayList<>();
                List<Integer> threadSeries = new ArrayList<>();
                byte[] drifted = null;
                boolean drifting = false;
                long start = System.nanoTime();
                for (int poll = 1; poll <= POLLS; poll++) {
                    // The baseline after a warm-up long enough for leftovers of earlier test classes in this JVM
                    // (servers shutting down, sockets awaiting GC) to be gone; then a sample every 1,000 polls.
                    if (poll == Math.min(1000, POLLS / 2)) {
                        before = Resources.stable();
                    }
                    if (poll % 1000 == 0) {
                        System.gc();
                        Resources sample = Resources.measure();
                        fdSeries.add(sample.fds());
                        threadSeries.add(sample.threads());
                    }
                    // The world moves: an outage, a new address (once the last one is in force), a hand edit.
                    if (outagePollsLeft == 0 && random.nextDouble() < OUTAGE_RATE) {
                        outagePollsLeft = 1 + random.nextInt(5);
                    }
                    proxy.setOutage(outagePollsLeft > 0);
                    if (expected.equals(rig.fragmentHost()) && random.nextDouble() < CHANGE_RATE) {
                        expected = nextAddress(random, expected);
                        served.add(expected);
                        emulator.set("public-ipv4", expected);
                        changes++;
                    } else if (!failing && outagePollsLeft == 0 && random.nextDouble() < DRIFT_RATE) {
                        if (random.nextBoolean()) {
                            Files.delete(rig.fragment);
                        } else {
                            Files.writeString(
                                    rig.fragment,
                                    Files.readString(rig.fragment)
                                            .replace("TCP_FORWARDING_HOST = ", "TCP_FORWARDING_HOST = 10.9.9.9\n#"));
                        }
                        drifted = rig.fragmentBytes();
                        drifting = true;
                        drifts++;
                    }

                    String summary = rig.poll(daemon, 1);

                    boolean failed = summary.contains("last poll failed");
                    if (failed || failing) {
                        outcomes.add(poll + " " + summary);
                    }
                    failedPolls += failed ? 1 : 0;
                    streaks += failed && !failing ? 1 : 0;
                    streakEnds += !failed && failing ? 1 : 0;
                    failing = failed;
                    outagePollsLeft = Math.max(0, outagePollsLeft - 1);
                    byte[] now = rig.fragmentBytes();
                    if (failed && drifting && Arrays.equals(drifted, now)) {
                        continue; // The hand edit stays until a poll gets through; nothing else may happen to it.
                    }
                    drifting = false;
                    assertTrue(Rig.isCompleteFragment(now), "poll " + poll + ": fragment not complete");
                    String host = rig.fragmentHost();
                    assertTrue(served.contains(host), "poll " + poll + ": " + host + " was never served");
                    if (!failed) {
                        assertEquals(expected, host, "poll " + poll + " succeeded but the fragment is not current");
                    }
                }
                // Let the last outage end so every streak has its end line.
                proxy.setOutage(false);
                proxy.setFaultRate(0);
                if (failing) {
                    rig.poll(daemon, 1);
                    streakEnds++;
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                Resources after = Resources.stable();
                Files.createDirectories(Figures.FILE.getParent());
                Files.writeString(
                        Figures.FILE.resolveSibling("soak-" + seed + ".log"),
                        rig.log() + "\n# polls:\n" + String.join("\n", outcomes) + "\n");

                assertEquals(expected, rig.fragmentHost());
                assertEquals(changes + 1, rig.reloadCount(), "every change applied exactly once (plus the boot's)");
                assertEquals(streaks, rig.count("cannot read the public address"), "one warning per failure streak");
                assertEquals(streakEnds, rig.count("metadata service answering again"), "one line per streak's end");
                assertEquals(
                        drifts,
                        rig.count("; restored it (TCP_FORWARDING_HOST = "),
                        "every drift repaired, reported once");
                assertEquals(0, rig.count("restored: the file had been edited"), "a drift is never taken for a change");
                assertEquals(List.of(), rig.tempFiles());
                assertEquals(expected, rig.condorSays(), "HTCondor's parser accepts the final fragment");
                DaemonState state = new StateStore(rig.stateDir).load();
                assertEquals(
                        Math.min(changes + 1, DaemonState.HISTORY),
                        state.changes().size(),
                        "the boot's and each change");
                assertEquals(expected, state.currentAddress);
                assertTrue(
                        after.fds() <= before.fds() + FD_TOLERANCE,
                        "file descriptors grew: " + before + " -> " + after);
                assertTrue(
                        after.threads() <= before.threads() + THREAD_TOLERANCE,
                        "threads grew: " + before + " -> " + after);

                Figures.of("soak")
                        .with("polls", POLLS)
                        .with("seed", seed)
                        .with("ms", millis)
                        .with("requests_forwarded", proxy.forwarded())
                        .with("faults_injected", proxy.totalInjected())
                        .with("failed_polls", failedPolls)
                        .with("failure_streaks", streaks)
                        .with("changes", changes)
                        .with("reloads", rig.reloadCount())
                        .with("drift_repairs", drifts)
                        .with("fds_before", before.fds())
                        .with("fds_after", after.fds())
                        .with("threads_before", before.threads())
                        .with("threads_after", after.threads())
                        .with("threads_peak", after.peak())
                        .with("fds_every_1000_polls", fdSeries.toString().replace(" ", ""))
                        .with(
                                "threads_every_1000_polls",
                                threadSeries.toString().replace(" ", ""))
                        .with("tmpfs", fast != null)
                        .with("fragments_corrupted", 0)
                        .record();
                System.out.println("  faults: " + new TreeMap<>(proxy.injected()));
                System.out.println("  threads after: " + after.names());
            }
        }
    }

    private static String nextAddress(Random random, String current) {
        String next;
        do {
            next = (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + (1 + random.nextInt(254));
        } while (next.equals(current) || next.startsWith("127."));
        return next;
    }

    /** The test's own servers (the emulator's HttpServer, the fault proxy), not counted as the agent's threads. */
    private static boolean infrastructure(Thread t) {
        String n = t.getName();
        return n.startsWith(RawHttpServer.THREAD_PREFIX)
                || n.equals("metadata-emulator")
                || n.equals("HTTP-Dispatcher")
                || n.equals("idle-timeout-task")
                || n.startsWith("surefire-");
    }

    /**
     * Open file descriptors of this JVM, and its live threads other than the test's servers (whose
     * connection threads come and go with the agent's connections).
     */
    record Resources(int fds, int threads, int peak, String names) {
        static Resources measure() throws IOException {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !infrastructure(t))
                    .toList();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return new Resources(
                        (int) fds.count(),
                        threads.size(),
                        mx.getPeakThreadCount(),
                        threads.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
            }
        }

        /**
         * Measures once what ends by itself has ended (a process runner's stream readers, connections the
         * peer closed, sockets only the garbage collector still has to close): after a GC, the same counts
         * twice, 300 ms apart, or the last of 10 s of tries. Taken the same way after the warm-up and after
         * the run, so growth is what stays: a leak holds on to what it leaks, so a GC does not hide it.
         */
        static Resources stable() throws IOException, InterruptedException {
            System.gc();
            Thread.sleep(200);
            Resources last = measure();
            for (int i = 0; i < 33; i++) {
                Thread.sleep(300);
                System.gc();
                Resources now = measure();
                if (now.fds() == last.fds() && now.threads() == last.threads()) {
                    return now;
                }
                last = now;
            }
            return last;
        }

        @Override
        public String toString() {
            return fds + " fds, " + threads + " threads";
        }
    }
}
