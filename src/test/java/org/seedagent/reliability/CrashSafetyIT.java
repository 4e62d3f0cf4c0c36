package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.emulator.MetadataEmulator;
import org.seedagent.fragment.Fragment;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.state.StateCodec;
import org.seedagent.testing.Await;
import org.seedagent.testing.Dist;

/**
 * kill -9 of the real program at random moments, a few hundred times, while the address keeps changing:
 * {@code seed-agent once} (the boot job: JVM start, metadata, one write) and {@code seed-agent run} (the
 * daemon: boot sync, pre-flight, reload, state file, polls every 100 ms), under {@code umask 077}.
 *
 * <p>Most kills come after a delay drawn uniformly over the life of a run; some are aimed: the test watches
 * config.d and kills the moment a dot-temp file exists, i.e. between the temp file's creation and its
 * rename. After every kill: the fragment is exactly the old or a new complete content (mode 0644), HTCondor's
 * parser (the fake condor_config_val) accepts it, the state file is absent or complete, nothing but the
 * fragment and our own dot-temps is in config.d. After every restart that got going, no temp file left by an
 * earlier kill survives. Counts: {@code -Dreliability.kills.once=N -Dreliability.kills.run=N}; seed:
 * {@code -Dreliability.seed=N}.
 */
class CrashSafetyIT {
    private static final int ONCE_KILLS = Integer.getInteger("reliability.kills.once", 150);
    private static final int RUN_KILLS = Integer.getInteger("reliability.kills.run", 50);
    private static final List<String> ADDRESSES =
            List.of("203.0.113.10", "198.51.100.7", "192.0.2.44", "203.0.113.77", "198.51.100.200", "192.0.2.9");

    @TempDir
    Path dir;

    private Random random;
    private Rig rig;
    private MetadataEmulator emulator;
    private Path conf;
    /** Fragment contents HTCondor's parser already accepted (it is a pure function of the bytes here). */
    private final Set<String> parsed = new HashSet<>();
    /** Temp files a kill left behind, which the next restart that gets going must remove. */
    private final Set<Path> pendingTemps = new HashSet<>();

    private int tempsLeftByKills;
    private int tempsRemovedByRestarts;
    private int parserRuns;

    @Test
    void onceAndRun_killedAtRandomMoments_fragmentAlwaysOldOrNewCompleteNoTempSurvivesRestart() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        random = new Random(seed);
        System.out.println("crash seed " + seed + " (-Dreliability.seed=" + seed + " to repeat)");
        Path launcher = Dist.launcher();
        MetadataEmulator started =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance(ADDRESSES.get(0)), Clock.systemUTC());
        emulator = started;
        // The agent talks to the emulator through a relay that answers in one write; the emulator's HttpServer
        // answers a kept-alive connection ~40 ms late (Nagle and delayed ACKs), which a few hundred runs cannot afford.
        try (started;
                FaultProxy relay = new FaultProxy(emulator, seed, Duration.ZERO);
                Rig r = new Rig(dir, null)) {
            rig = r;
            conf = dir.resolve("seed-agent.conf");
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "metadata.endpoint = " + relay.endpoint(),
                            "metadata.deadline = 10s",
                            "fragment.path = " + rig.fragment,
                            "state.directory = " + rig.stateDir,
                            "poll.interval = 100ms",
                            "reload.method = command",
                            "reload.command = " + rig.reloadScript,
                            "condor.config-val = " + rig.condorConfigVal,
                            "condor.timeout = 10s",
                            ""));
            long start = System.nanoTime();
            Phase once = phase(launcher, "once", ONCE_KILLS);
            Phase run = phase(launcher, "run", RUN_KILLS);

            // A last, uninterrupted start, stopped in order (SIGTERM): clean and current. Not killed: a kill
            // now could itself leave a temp file behind (the state is saved right after READY).
            String last = nextAddress();
            Process agent = start(launcher, "run", dir.resolve("final.err"));
            try {
                awaitLog(dir.resolve("final.err"), "ready:", agent, Duration.ofSeconds(60));
                agent.destroy();
                assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "the last agent did not stop on SIGTERM");
                assertEquals(0, agent.exitValue(), "exit status after SIGTERM");
            } finally {
                agent.destroyForcibly();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
            assertEquals(Rig.render(last), Files.readString(rig.fragment));
            assertEquals(last, rig.condorSays());
            assertEquals(List.of(), rig.tempFiles(), "no temp file survives a restart and an orderly stop");
            int files = 0;
            try (Stream<Path> outputs = Files.list(dir)) {
                for (Path p : outputs.filter(p ->
                                p.toString().endsWith(".err") || p.toString().endsWith(".out"))
                        .toList()) {
                    String text = Files.readString(p);
                    relay.tokens().forEach(t -> assertFalse(text.contains(t), "a session token in " + p));
                    files++;
                }
            }
            String state = Files.readString(rig.stateDir.resolve("state.json"));
            relay.tokens().forEach(t -> assertFalse(state.contains(t), "a session token in the state file"));
            assertTrue(
                    relay.tokens().size() > ONCE_KILLS / 2,
                    "the runs fetched tokens: " + relay.tokens().size());
            long seconds = (System.nanoTime() - start) / 1_000_000_000;

            Figures.of("crash safety (kill -9)")
                    .with("seed", seed)
                    .with("seconds", seconds)
                    .with("kills_once", once.kills)
                    .with("kills_run", run.kills)
                    .with("kills_total", once.kills + run.kills)
                    .with("aimed_at_a_temp_file", once.aimed + run.aimed)
                    .with("killed_while_a_temp_existed", tempsLeftByKills)
                    .with("runs_finished_before_the_kill", once.finished + run.finished)
                    .with("writes_completed", once.writes + run.writes)
                    .with("temps_left_by_kills", tempsLeftByKills)
                    .with("temps_removed_by_restarts", tempsRemovedByRestarts)
                    .with("temps_surviving_a_restart", 0)
                    .with("parser_runs", parserRuns)
                    .with("tokens_issued", relay.tokens().size())
                    .with("output_files_searched_for_tokens", files)
                    .with("tokens_found", 0)
                    .with("fragments_corrupted", 0)
                    .with("fragments_lost", 0)
                    .record();
        }
    }

    /** What one command's kills came to. */
    private static final class Phase {
        int kills;
        int aimed;
        int finished;
        int writes;
    }

    private Phase phase(Path launcher, String command, int kills) throws Exception {
        Phase phase = new Phase();
        long typical = calibrate(launcher, command);
        for (int i = 0; i < kills; i++) {
            byte[] old = rig.fragmentBytes();
            String next = nextAddress();
            Set<String> allowed = new HashSet<>();
            allowed.add(old == null ? null : new String(old, StandardCharsets.UTF_8));
            allowed.add(Rig.render(next));
            String midway = null;
            if (command.equals("run")) {
                midway = other(next);
                allowed.add(Rig.render(midway));
            }
            Path err = dir.resolve(command + "-" + i + ".err");
            Process agent = start(launcher, command, err);
            boolean aim = i % 4 == 3;
            // once: anywhere in its life; run: its boot, then a few polls (one of them with a new address).
            double span = command.equals("once") ? 1.1 : 3.0;
            long delay = (long) (typical * (0.1 + random.nextDouble() * span));
            long changeAt =
                    command.equals("run") ? (long) (typical * (0.5 + random.nextDouble() * 2.0)) : Long.MAX_VALUE;
            boolean hit = aim
                    ? killWhenTempAppears(agent, delay * 3, midway, changeAt)
                    : killAfter(agent, delay, midway, changeAt);
            phase.kills++;
            phase.aimed += aim && hit ? 1 : 0;
            phase.finished += agent.exitValue() == 0 ? 1 : 0;
            String log = Files.readString(err);
            phase.writes += (int) log.lines().filter(l -> l.contains("wrote ")).count();
            if (command.equals("once") && agent.exitValue() == 0) {
                phase.writes += Files.readString(dir.resolve(command + "-" + i + ".err.out"))
                                .contains("wrote ")
                        ? 1
                        : 0;
            }
            afterKill(allowed, command + " #" + i, log, agent.exitValue() == 0);
        }
        return phase;
    }

    /** The median time one uninterrupted run of {@code command} takes to finish (once) or be ready (run). */
    private long calibrate(Path launcher, String command) throws Exception {
        long[] took = new long[3];
        for (int i = 0; i < took.length; i++) {
            nextAddress();
            Path err = dir.resolve(command + "-calibration-" + i + ".err");
            long start = System.nanoTime();
            Process agent = start(launcher, command, err);
            if (command.equals("once")) {
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "once did not finish");
                assertEquals(0, agent.exitValue(), Files.readString(err));
            } else {
                awaitLog(err, "ready:", agent, Duration.ofSeconds(60));
            }
            took[i] = (System.nanoTime() - start) / 1_000_000;
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
            afterKill(Set.of(Files.readString(rig.fragment)), command + " calibration", Files.readString(err), true);
        }
        Arrays.sort(took);
        System.out.println(command + ": an uninterrupted run takes " + took[1] + " ms (median of 3)");
        return took[1];
    }

    private Process start(Path launcher, String command, Path err) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        "sh",
                        "-c",
                        "umask 077; exec \"$0\" \"$@\"",
                        launcher.toString(),
                        "--config",
                        conf.toString(),
                        command)
                .redirectOutput(Path.of(err + ".out").toFile())
                .redirectError(err.toFile());
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().put("JOURNAL_STREAM", "8:1");
        return builder.start();
    }

    private boolean killAfter(Process agent, long delayMillis, String midway, long changeAt) throws Exception {
        long start = System.nanoTime();
        boolean changed = false;
        while (true) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (!changed && midway != null && elapsed >= changeAt) {
                emulator.set("public-ipv4", midway);
                changed = true;
            }
            if (elapsed >= delayMillis || !agent.isAlive()) {
                break;
            }
            Thread.sleep(Math.min(5, Math.max(1, delayMillis - elapsed)));
        }
        kill(agent);
        return false;
    }

    /**
     * Kills the moment inotify reports a new dot-temp file in config.d, i.e. between its creation and its
     * rename (or after {@code giveUp} ms); returns whether it did.
     */
    private boolean killWhenTempAppears(Process agent, long giveUpMillis, String midway, long changeAt)
            throws Exception {
        long start = System.nanoTime();
        boolean changed = false;
        try (WatchService watcher = rig.configDir.getFileSystem().newWatchService()) {
            rig.configDir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            while (agent.isAlive()) {
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                if (!changed && midway != null && elapsed >= changeAt) {
                    emulator.set("public-ipv4", midway);
                    changed = true;
                }
                if (elapsed >= giveUpMillis) {
                    break;
                }
                WatchKey key = watcher.poll(5, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                boolean temp = key.pollEvents().stream()
                        .anyMatch(e -> e.context().toString().startsWith(".50-seed-agent.conf."));
                key.reset();
                if (temp) {
                    kill(agent);
                    return true;
                }
            }
        }
        kill(agent);
        return false;
    }

    private static void kill(Process agent) throws InterruptedException {
        agent.destroyForcibly(); // SIGKILL: the launcher exec'd the JVM, so this is the agent itself
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
            fail("the agent did not die after SIGKILL");
        }
    }

    /** Everything that must hold the moment after a kill. */
    private void afterKill(Set<String> allowed, String what, String log, boolean finished) throws Exception {
        byte[] now = rig.fragmentBytes();
        String text = now == null ? null : new String(now, StandardCharsets.UTF_8);
        assertTrue(
                allowed.contains(text),
                what + ": the fragment is neither the old nor a new complete content: "
                        + (text == null ? "absent" : "\"" + text + "\""));
        if (text != null) {
            assertTrue(Rig.isCompleteFragment(now), what + ": incomplete fragment");
            assertEquals(
                    "rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(rig.fragment)),
                    what + ": fragment mode under umask 077");
            if (parsed.add(text)) {
                parserRuns++;
                assertEquals(Fragment.forwardingHostIn(text), rig.condorSays(), what + ": HTCondor's parser");
            }
        }
        Path state = rig.stateDir.resolve("state.json");
        if (Files.exists(state)) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)), what);
            StateCodec.decode(Files.readString(state)); // complete JSON, or this throws
        }
        // Only the fragment and our own dot-temps in config.d.
        try (Stream<Path> files = Files.list(rig.configDir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                assertTrue(
                        p.equals(rig.fragment) || name.matches("\\.50-seed-agent\\.conf\\.[0-9a-f]+\\.tmp"),
                        what + ": unexpected file " + p);
                assertFalse(Files.isSymbolicLink(p));
            }
        }
        // A restart that got going removed what earlier kills left (once: when it wrote; run: at boot).
        boolean gotGoing =
                log.lines().anyMatch(l -> l.contains("wrote ") || l.contains("unchanged ") || l.contains("ready:"))
                        || finished;
        if (gotGoing) {
            for (Path temp : pendingTemps) {
                assertFalse(Files.exists(temp, LinkOption.NOFOLLOW_LINKS), what + ": " + temp + " survived a restart");
                tempsRemovedByRestarts++;
            }
            pendingTemps.clear();
        }
        for (Path temp : rig.tempFiles()) {
            if (pendingTemps.add(temp)) {
                tempsLeftByKills++;
            }
        }
    }

    private String nextAddress() {
        String current = null;
        try {
            current = rig.fragmentHost();
        } catch (IOException e) {
            // No fragment yet.
        }
        String next = other(current);
        emulator.set("public-ipv4", next);
        return next;
    }

    private String other(String current) {
        String next;
        do {
            next = ADDRESSES.get(random.nextInt(ADDRESSES.size()));
        } while (next.equals(current));
        assertNull(Ipv4Address.whyInvalid(next));
        return next;
    }

    private static void awaitLog(Path err, String wanted, Process agent, Duration timeout) throws Exception {
        Await.that("\"" + wanted + "\" in the log", timeout)
                .every(Duration.ofMillis(10))
                .whileAlive(agent)
                .until(() -> Files.exists(err) ? Files.readString(err) : "", log -> log.contains(wanted));
    }
}
