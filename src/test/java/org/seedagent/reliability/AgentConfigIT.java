package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.emulator.MetadataEmulator;
import org.seedagent.testing.Await;
import org.seedagent.testing.Dist;

/**
 * The agent's configuration going bad under the real program. The program runs as systemd runs it: as
 * root without any capability ({@code CapabilityBoundingSet=} empty; here {@code setpriv}), so a file
 * root does not own the permission bits for is unreadable to it. At start an invalid or unreadable file is
 * exit status 78 with one line naming it; under SIGHUP every kind of bad file (invalid value, unknown
 * key, unreadable, deleted, a directory) is refused with one line and the running configuration stays in
 * force: the daemon keeps polling and applies the next address change. (DaemonProcessIT covers SIGHUP with
 * an invalid value and a valid file under a real NOTIFY_SOCKET.)
 */
class AgentConfigIT {
    private static final List<String> NO_CAPABILITIES = List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all");

    @TempDir
    Path dir;

    private Process start(Path conf, String command, Path err) throws IOException {
        List<String> line = new ArrayList<>(NO_CAPABILITIES);
        line.addAll(List.of(Dist.launcher().toString(), "--config", conf.toString(), command));
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectError(err.toFile())
                .redirectOutput(Path.of(err + ".out").toFile());
        builder.environment().put("JOURNAL_STREAM", "8:1");
        builder.environment().remove("NOTIFY_SOCKET");
        return builder.start();
    }

    private String goodConfig(Rig rig, FaultProxy relay, String interval) {
        return String.join(
                "\n",
                "metadata.endpoint = " + relay.endpoint(),
                "fragment.path = " + rig.fragment,
                "state.directory = " + rig.stateDir,
                "poll.interval = " + interval,
                "reload.method = command",
                "reload.command = " + rig.reloadScript,
                "condor.config-val = " + rig.condorConfigVal,
                "");
    }

    @Test
    void run_invalidOrUnreadableConfiguration_exit78OneLineNothingWritten() throws Exception {
        try (Rig rig = new Rig(dir, null)) {
            Path conf = dir.resolve("seed-agent.conf");
            List<String> kinds = new ArrayList<>();
            for (String kind : List.of("invalid value", "unreadable (mode 000, no capabilities)")) {
                Files.deleteIfExists(conf);
                Files.writeString(
                        conf,
                        "fragment.path = " + rig.fragment + "\n"
                                + (kind.startsWith("invalid") ? "reload.method = condor_reconfig\n" : ""));
                if (kind.startsWith("unreadable")) {
                    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("---------"));
                }
                Path err = dir.resolve("start-" + kinds.size() + ".err");
                Process agent = start(conf, "run", err);
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not exit");
                String log = Files.readString(err);
                assertEquals(78, agent.exitValue(), kind + ": " + log);
                List<String> lines = log.lines().toList();
                assertEquals(1, lines.size(), kind + ": " + lines);
                assertTrue(lines.get(0).startsWith("<3>" + conf + ": "), lines.get(0));
                assertTrue(
                        kind.startsWith("invalid")
                                ? lines.get(0)
                                        .contains(
                                                "invalid value \"condor_reconfig\" for key reload.method (line 2); expected one of")
                                : lines.get(0).endsWith("cannot read configuration file: permission denied"),
                        lines.get(0));
                assertEquals(List.of(), HostileMetadataTest.listDir(rig.configDir), "nothing written");
                kinds.add(kind);
            }
            Figures.of("agent configuration at start, real program")
                    .with("scenarios", kinds.size())
                    .with("exit_status", 78)
                    .record();
        }
    }

    @Test
    void run_sighupWithBadConfigurations_eachRefusedOncePreviousKeptPollingGoesOn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                org.seedagent.testing.Signals.hangUpIgnored(),
                "SIGHUP is ignored in this JVM (started under nohup), so the agent it starts cannot handle it");
        try (MetadataEmulator emulator =
                        MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC());
                FaultProxy relay = new FaultProxy(emulator, 1, Duration.ZERO);
                Rig rig = new Rig(dir, null)) {
            Path conf = dir.resolve("seed-agent.conf");
            String good = goodConfig(rig, relay, "200ms");
            Files.writeString(conf, good);
            Path err = dir.resolve("daemon.err");
            Process agent = start(conf, "run", err);
            try {
                awaitCount(err, "ready:", 1, agent);
                List<String> addresses =
                        List.of("198.51.100.7", "192.0.2.44", "203.0.113.77", "198.51.100.200", "192.0.2.9");
                List<String> kinds =
                        List.of("invalid value", "unknown key", "unreadable (mode 000)", "deleted", "a directory");
                for (int i = 0; i < kinds.size(); i++) {
                    String kind = kinds.get(i);
                    if (Files.isDirectory(conf)) {
                        Files.delete(conf);
                    } else {
                        Files.deleteIfExists(conf);
                    }
                    switch (kind) {
                        case "invalid value" -> Files.writeString(conf, good + "poll.interval = sometimes\n");
                        case "unknown key" -> Files.writeString(conf, good + "poll.intervall = 1s\n");
                        case "unreadable (mode 000)" -> {
                            Files.writeString(conf, good.replace("200ms", "100ms"));
                            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("---------"));
                        }
                        case "deleted" -> {}
                        default -> Files.createDirectory(conf);
                    }
                    hangUp(agent);
                    awaitCount(err, "configuration not reloaded, the previous one stays in force", i + 1, agent);
                    String refusal = lastLineWith(err, "configuration not reloaded");
                    assertTrue(refusal.startsWith("<3>") && refusal.contains(conf.toString()), kind + ": " + refusal);
                    // Still polling, with the configuration in force: the next change is applied.
                    emulator.set("public-ipv4", addresses.get(i));
                    awaitFragment(rig, addresses.get(i), agent);
                }
                Files.delete(conf);
                Files.writeString(conf, goodConfig(rig, relay, "300ms"));
                hangUp(agent);
                awaitCount(err, "configuration reloaded from " + conf, 1, agent);
                emulator.set("public-ipv4", "203.0.113.10");
                awaitFragment(rig, "203.0.113.10", agent);

                agent.destroy(); // SIGTERM
                assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "no exit after SIGTERM");
                assertEquals(0, agent.exitValue(), Files.readString(err));
                assertEquals(kinds.size(), count(err, "configuration not reloaded"), "each refused once");
                assertEquals(kinds.size() + 2, rig.reloadCount(), "the boot's, one per change, none for a refusal");
                Figures.of("SIGHUP with a bad configuration, real program")
                        .with("scenarios", kinds.size())
                        .with("refusals", kinds.size())
                        .with("changes_applied_meanwhile", kinds.size() + 1)
                        .with("exit_after_SIGTERM", 0)
                        .record();
            } finally {
                agent.destroyForcibly();
            }
        }
    }

    private static void hangUp(Process agent) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid()))
                        .start()
                        .waitFor());
    }

    private static long count(Path err, String text) throws IOException {
        return Files.readString(err).lines().filter(l -> l.contains(text)).count();
    }

    private static String lastLineWith(Path err, String text) throws IOException {
        List<String> lines =
                Files.readString(err).lines().filter(l -> l.contains(text)).toList();
        return lines.get(lines.size() - 1);
    }

    private static void awaitCount(Path err, String text, int n, Process agent) throws Exception {
        Await.that("\"" + text + "\" " + n + " times in the log", Duration.ofSeconds(60))
                .every(Duration.ofMillis(20))
                .whileAlive(agent)
                .detail(() -> Files.readString(err))
                .until(() -> count(err, text) >= n);
    }

    private static void awaitFragment(Rig rig, String ip, Process agent) throws Exception {
        Await.that("the fragment to name " + ip, Duration.ofSeconds(60))
                .every(Duration.ofMillis(20))
                .whileAlive(agent)
                .until(rig::fragmentHost, ip::equals);
        assertTrue(Rig.isCompleteFragment(rig.fragmentBytes()));
    }
}
