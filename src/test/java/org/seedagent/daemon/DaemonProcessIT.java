package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.emulator.MetadataEmulator;
import org.seedagent.systemd.UnixDatagramReceiver;
import org.seedagent.testing.Await;
import org.seedagent.testing.Dist;

/**
 * The real program as systemd runs it: binds NOTIFY_SOCKET like systemd does, sees READY=1 only
 * after the fragment exists, WATCHDOG=1 pings, a STATUS= update after an address change, SIGHUP
 * handling, then SIGTERM gives STOPPING=1 and exit code 0.
 */
class DaemonProcessIT {
    @TempDir
    Path dir;

    @Test
    void run_underNotifySocket_readyAfterFragmentThenStoppingAndExitZero() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                org.seedagent.testing.Signals.hangUpIgnored(),
                "SIGHUP is ignored in this JVM (started under nohup), so the agent it starts cannot handle it");
        Path fragment = dir.resolve("config.d/50-seed-agent.conf");
        Path conf = dir.resolve("seed-agent.conf");
        try (MetadataEmulator emulator =
                        MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC());
                UnixDatagramReceiver notify = UnixDatagramReceiver.bindPath(dir.resolve("notify.sock"))) {
            Process agent = startAgent(emulator, "500ms", notify, "2000000");
            try {
                String ready = notify.await("READY=1", Duration.ofSeconds(60), agent, this::log);
                // The datagram arrived: the fragment must already be there, complete.
                assertTrue(Files.readString(fragment).contains("TCP_FORWARDING_HOST = 203.0.113.10\n"));
                assertTrue(ready.contains("STATUS=TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)"), ready);

                // WatchdogSec=2s: pings at half of it while polls complete.
                notify.await("WATCHDOG=1", Duration.ofSeconds(5), agent, this::log);
                notify.await("WATCHDOG=1", Duration.ofSeconds(5), agent, this::log);

                emulator.set("public-ipv4", "198.51.100.7");
                String status = notify.await(
                        "STATUS=TCP_FORWARDING_HOST = 198.51.100.7", Duration.ofSeconds(30), agent, this::log);
                assertTrue(Files.readString(fragment).contains("TCP_FORWARDING_HOST = 198.51.100.7\n"), status);

                // SIGHUP with a broken file keeps the running configuration; a valid one is swapped in.
                String good = Files.readString(conf);
                Files.writeString(conf, good + "poll.interval = sometimes\n");
                hangUp(agent);
                awaitLog("configuration not reloaded, the previous one stays in force", agent);
                Files.writeString(conf, good.replace("poll.interval = 500ms", "poll.interval = 400ms"));
                hangUp(agent);
                awaitLog("configuration reloaded from " + conf, agent);
                emulator.set("public-ipv4", "192.0.2.44");
                notify.await("STATUS=TCP_FORWARDING_HOST = 192.0.2.44", Duration.ofSeconds(30), agent, this::log);

                agent.destroy(); // SIGTERM
                notify.await("STOPPING=1", Duration.ofSeconds(10), agent, this::log);
                assertTrue(agent.waitFor(10, TimeUnit.SECONDS), "agent did not exit after SIGTERM");
                assertEquals(0, agent.exitValue(), Files.readString(dir.resolve("stderr")));
                // The clean stop is on record, so the next boot measures the outage exactly from it.
                org.seedagent.state.DaemonState state = new org.seedagent.state.StateStore(dir.resolve("state")).load();
                assertTrue(
                        state.cleanStop != null && !state.cleanStop.isBefore(state.heartbeat.minusSeconds(1)),
                        "clean_stop " + state.cleanStop + ", heartbeat " + state.heartbeat);
            } finally {
                agent.destroyForcibly();
            }
            String log = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
            assertTrue(log.contains("<4>public address changed from 203.0.113.10 to 198.51.100.7"), log);
            assertTrue(
                    log.lines().allMatch(line -> line.matches("<[3-7]>.*")), "every line journald-prefixed:\n" + log);
            // Stopping drops the poll scheduled next instead of waiting for it, and says it stopped (issue 22).
            assertTrue(log.strip().endsWith("<6>stopped"), "the last line says it stopped:\n" + log);
            assertTrue(!log.contains("abandoning the poll"), "no poll was in the way of the stop:\n" + log);
        }
    }

    /**
     * Issue 22: SIGINT (Ctrl-C) stops the agent as SIGTERM does, without waiting for the next poll: with polls ten
     * minutes apart it is gone within seconds, after STOPPING=1, with its clean stop on record and a last line
     * saying it stopped.
     */
    @Test
    void run_sigint_betweenPollsTenMinutesApart_stopsAtOnce_cleanStopRecorded() throws Exception {
        try (MetadataEmulator emulator =
                        MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC());
                UnixDatagramReceiver notify = UnixDatagramReceiver.bindPath(dir.resolve("notify.sock"))) {
            Process agent = startAgent(emulator, "600s", notify, null);
            try {
                notify.await("READY=1", Duration.ofSeconds(60), agent, this::log);
                assertEquals(
                        0,
                        new ProcessBuilder("kill", "-INT", Long.toString(agent.pid()))
                                .start()
                                .waitFor());
                notify.await("STOPPING=1", Duration.ofSeconds(30), agent, this::log);
                // Generous for a loaded machine; waiting for the next poll would take ten minutes.
                assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent did not exit after SIGINT");
                assertEquals(0, agent.exitValue(), Files.readString(dir.resolve("stderr")));
                org.seedagent.state.DaemonState state = new org.seedagent.state.StateStore(dir.resolve("state")).load();
                assertTrue(state.cleanStop != null, "clean_stop recorded");
            } finally {
                agent.destroyForcibly();
            }
            String log = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
            assertTrue(log.strip().endsWith("<6>stopped"), "the last line says it stopped:\n" + log);
        }
    }

    /**
     * The agent's {@code run}, built, under a notify socket and journald's stream: its configuration written to
     * {@code seed-agent.conf} (fragment in {@code config.d/}, HTCondor's tools faked, no reload), its output in
     * {@code stdout} and {@code stderr}.
     */
    private Process startAgent(MetadataEmulator emulator, String poll, UnixDatagramReceiver notify, String watchdogUsec)
            throws Exception {
        Path configDir = Files.createDirectories(dir.resolve("config.d"));
        Path fragment = configDir.resolve("50-seed-agent.conf");
        Path condorConfig = dir.resolve("condor_config");
        Files.writeString(condorConfig, "LOCAL_CONFIG_DIR = " + configDir + "\n");
        Path conf = dir.resolve("seed-agent.conf");
        Files.writeString(
                conf,
                String.join(
                                "\n",
                                "metadata.endpoint = " + emulator.endpoint(),
                                "fragment.path = " + fragment,
                                "state.directory = " + dir.resolve("state"),
                                "poll.interval = " + poll,
                                "reload.method = none",
                                "condor.config-val = " + Dist.fakeCondorConfigVal(dir, condorConfig))
                        + "\n");
        ProcessBuilder builder = new ProcessBuilder(Dist.launcher().toString(), "--config", conf.toString(), "run")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().put("NOTIFY_SOCKET", notify.notifySocket());
        builder.environment().put("JOURNAL_STREAM", "8:1234");
        if (watchdogUsec != null) {
            builder.environment().put("WATCHDOG_USEC", watchdogUsec);
        }
        return builder.start();
    }

    private void hangUp(Process agent) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid()))
                        .start()
                        .waitFor());
    }

    private void awaitLog(String wanted, Process agent) throws Exception {
        Await.that("the log to say " + wanted, Duration.ofSeconds(20))
                .whileAlive(agent)
                .until(this::log, log -> log.contains(wanted));
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
    }
}
