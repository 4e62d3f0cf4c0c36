package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.state.BootSyncOutcome;
import org.seedagent.state.Poll;
import org.seedagent.status.SeedTree;
import org.seedagent.support.Sleeper;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.RecordingSleeper;

/**
 * {@code seed-agent status --wait}: waits for the first sync on this boot, bounded, without sleeping: the
 * sleeper moves a fake clock, and can make the "daemon" write its state file part-way.
 */
class StatusCommandWaitTest {
    @TempDir
    Path tmp;

    private SeedTree seed;
    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper recording = new RecordingSleeper(clock);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Called after each sleep with the number of sleeps so far: stands for the daemon. */
    private SleepHook afterSleep = n -> {};

    interface SleepHook {
        void slept(int count) throws IOException;
    }

    @BeforeEach
    void setUp() throws IOException {
        seed = SeedTree.healthy(tmp);
        clock.advance(Duration.between(clock.instant(), SeedTree.NOW));
    }

    private int run(String... arguments) throws Exception {
        Sleeper sleeper = d -> {
            recording.sleep(d);
            try {
                afterSleep.slept(recording.sleeps().size());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                clock,
                new SeedTree.Processes(),
                settings -> {
                    throw new AssertionError("no metadata");
                },
                seed.agentConfig,
                true);
        return new StatusCommand(() -> Optional.of(SeedTree.BOOT), sleeper, seed.root).run(context, List.of(arguments));
    }

    private String errors() {
        return seed.display(err.toString(StandardCharsets.UTF_8));
    }

    /** The state a previous boot left: the agent started before this boot's time. */
    private void stateFromPreviousBoot() throws IOException {
        seed.state.startedAt = SeedTree.BOOT.minusSeconds(3600);
        seed.state.heartbeat = SeedTree.BOOT.minusSeconds(60);
        seed.saveState();
    }

    @Test
    void alreadySynced_returns0AtOnce_withoutSleeping() throws Exception {
        assertEquals(0, run("--wait"));

        assertEquals(List.of(), recording.sleeps());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("seed-agent: healthy\n"));
        assertEquals("", errors());
    }

    @Test
    void syncAppearsAfterThreeSeconds_returns0AsSoonAsItDoes() throws Exception {
        stateFromPreviousBoot();
        afterSleep = n -> {
            if (n == 3) {
                seed.state.startedAt = SeedTree.STARTED;
                seed.state.heartbeat = clock.instant();
                seed.saveState();
            }
        };

        assertEquals(0, run("--wait", "--timeout", "60"));

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), recording.sleeps());
        assertEquals("", errors());
    }

    @Test
    void noStateFileAtFirst_thenBootSync_returns0() throws Exception {
        Files.delete(seed.stateFile());
        afterSleep = n -> {
            if (n == 10) {
                seed.saveState();
            }
        };

        assertEquals(0, run("--wait"));

        assertEquals(Duration.ofSeconds(10), recording.total());
    }

    @Test
    void neverSyncs_timesOutWithExit3_afterExactlyTheTimeout() throws Exception {
        stateFromPreviousBoot();

        assertEquals(3, run("--wait", "--timeout", "5"));

        assertEquals(Duration.ofSeconds(5), recording.total());
        assertTrue(recording.sleeps().stream().allMatch(d -> d.compareTo(Duration.ofSeconds(1)) <= 0));
        assertEquals(
                "seed-agent status: the agent did not sync on this boot within 5 s: the agent has not started since"
                        + " the system booted at 2025-01-01 09:59:30 UTC (it last started at 2025-01-01 08:59:30 UTC)\n",
                errors());
        // The report still follows, for the provisioning log (systemd has the unit active: starting).
        assertTrue(
                out.toString(StandardCharsets.UTF_8).startsWith("seed-agent: not running (starting)\n"), out::toString);
    }

    @Test
    void noStateFileEver_defaultTimeoutIs120s_exit3() throws Exception {
        Files.delete(seed.stateFile());

        assertEquals(3, run("--wait"));

        assertEquals(Duration.ofSeconds(120), recording.total());
        assertTrue(errors().contains("within 120 s: no state file /var/lib/seed-agent/state.json yet"), errors());
    }

    @Test
    void bootSyncFailed_waitsForASuccessfulPoll() throws Exception {
        seed.state.bootSync = BootSyncOutcome.failed(SeedTree.STARTED, "the metadata service did not answer");
        seed.state.lastSuccess = SeedTree.STARTED.minusSeconds(7200);
        seed.saveState();
        afterSleep = n -> {
            if (n == 2) {
                Instant now = clock.instant();
                seed.state.lastPoll = Poll.ok(now, "unchanged");
                seed.state.lastSuccess = now;
                seed.saveState();
            }
        };

        assertEquals(0, run("--wait"));

        assertEquals(Duration.ofSeconds(2), recording.total());
    }

    @Test
    void bootSyncFailed_noPollSucceeds_timeoutSaysWhy() throws Exception {
        seed.state.bootSync = BootSyncOutcome.failed(SeedTree.STARTED, "the metadata service did not answer");
        seed.state.lastSuccess = null;
        seed.saveState();

        assertEquals(3, run("--wait", "--timeout", "3"));

        assertTrue(
                errors().contains("the boot sync failed (the metadata service did not answer) and no poll has "
                        + "succeeded since"),
                errors());
    }

    @Test
    void corruptStateFile_waitsAndTimesOut_noStackTrace() throws Exception {
        Files.writeString(seed.stateFile(), "not json");

        assertEquals(3, run("--wait", "--timeout", "2"));

        assertTrue(
                errors().contains("the state file /var/lib/seed-agent/state.json is corrupt: not valid JSON"),
                errors());
        assertTrue(!errors().contains("Exception"), errors());
    }

    @Test
    void waitWithJson_printsTheDocumentAfterTheWait() throws Exception {
        assertEquals(0, run("--wait", "--format", "json"));

        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("{"));
    }
}
