package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ReloadMethod;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.LocalToolsWindow;
import org.seedagent.state.PartCodec;
import org.seedagent.state.StateCodec;
import org.seedagent.testing.FakeClock;

/**
 * The window local tools cannot reach HTCondor's daemons (issue 25), from real files as HTCondor writes them: the
 * schedd's local ad (what a normal user's condor_q reads) and the master's and collector's address files.
 */
class LocalToolsWatchTest {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "198.51.100.7";
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final AgentConfig config = new AgentConfigLoader().defaults();
    private final DaemonState state = new DaemonState();
    private final FakeClock clock = new FakeClock();
    private final LocalToolsWatch watch = new LocalToolsWatch(clock);
    private Preflights preflights;
    private Summary summary;

    @BeforeEach
    void runningOnTheOldAddress() throws InterruptedException {
        Map<String, String> knobs = Map.of(
                "TCP_FORWARDING_HOST", NEW,
                "SCHEDD_DAEMON_AD_FILE", dir.resolve(".schedd_classad").toString(),
                "MASTER_ADDRESS_FILE", dir.resolve(".master_address").toString(),
                "COLLECTOR_ADDRESS_FILE", dir.resolve(".collector_address").toString());
        preflights = new Preflights(c -> () -> ConfigProbe.Result.ok(knobs));
        preflights.run(config);
        state.currentAddress = OLD;
        state.addressSince = T0.minus(Duration.ofDays(1));
        clock.advance(Duration.ofSeconds(-10));
        step(T0.minusSeconds(10)); // the watch's first step, before the change
        assertNull(state.localTools);
    }

    /** The agent sees the address change at T0 (and then reloads or restarts HTCondor in the same step). */
    private void change() {
        state.currentAddress = NEW;
        state.addressSince = T0;
    }

    @Test
    void reload_filesKeepTheOldAddress_openAtTheChange_missingWhileRestartingFail_closeWhenAllNameTheAddress()
            throws Exception {
        writeAll(OLD);
        change();
        step(T0.plusMillis(300));
        LocalToolsWindow open = state.localTools;
        assertTrue(open.open());
        assertEquals(T0, open.since(), "opened at the change the agent saw");
        assertEquals(List.of("schedd", "master", "collector"), open.failing());
        assertNull(open.seconds());

        // A restart: the old daemons' files are gone, the new master's is written first.
        Files.delete(dir.resolve(".schedd_classad"));
        Files.delete(dir.resolve(".collector_address"));
        Files.writeString(dir.resolve(".master_address"), sinful(NEW, "master") + "\n$CondorVersion$\n");
        step(T0.plusSeconds(2));
        assertEquals(List.of("schedd", "collector"), state.localTools.failing(), "missing files still fail");
        assertTrue(state.localTools.open());

        writeAll(NEW);
        step(T0.plusSeconds(4));
        LocalToolsWindow closed = state.localTools;
        assertFalse(closed.open());
        assertEquals(T0.plusSeconds(4), closed.until());
        assertEquals(4L, closed.seconds());
        assertEquals(List.of(), closed.failing());
        assertEquals(List.of("schedd", "master", "collector"), closed.failed());
        assertTrue(summary.text().contains("local tools back after 4 s"), summary.text());

        // Closed stays closed while the files name the address.
        step(T0.plusSeconds(60));
        assertEquals(closed, state.localTools);
    }

    @Test
    void restartDoneWithinTheStep_filesAlreadyNew_theWindowIsRecordedFromTheChangeAndClosed() throws Exception {
        writeAll(NEW);
        change();
        step(T0.plusSeconds(3)); // the restart took the step 3 s
        LocalToolsWindow window = state.localTools;
        assertFalse(window.open());
        assertEquals(T0, window.since());
        assertEquals(3L, window.seconds());
        assertEquals(
                List.of("schedd", "master", "collector"),
                window.failed(),
                "until the agent told HTCondor every file named the old address");
        assertTrue(summary.text().contains("local tools back after 3 s"), summary.text());
    }

    @Test
    void restartDone_noFileYet_openUntilTheNewDaemonsWriteThem() throws Exception {
        change();
        state.lastReload = new LastReload(T0, LastReload.Result.DONE, ReloadMethod.RESTART, "systemctl restart");
        step(T0.plusSeconds(1));
        assertEquals(List.of("schedd", "master", "collector"), state.localTools.failing());
        writeAll(NEW);
        step(T0.plusSeconds(2));
        assertEquals(2L, state.localTools.seconds());
    }

    @Test
    void anotherChangeWhileOpen_theSameLockoutGoesOn_sinceAndWhatFailedKept() throws Exception {
        writeAll(OLD);
        change();
        step(T0.plusSeconds(1));
        Files.writeString(dir.resolve(".schedd_classad"), localAd(NEW));
        step(T0.plusSeconds(2));
        state.addressSince = T0.plusSeconds(3); // and again (the same address in force, as the knob is fixed here)
        step(T0.plusSeconds(3));
        assertEquals(T0, state.localTools.since());
        assertEquals(List.of("schedd", "master", "collector"), state.localTools.failed());
        assertTrue(state.localTools.open());
    }

    @Test
    void aWindowOpenWhenTheAgentRestarted_isFollowedByTheNewRun_andClosed() throws Exception {
        state.localTools = new LocalToolsWindow(NEW, T0, null, List.of("schedd"), List.of("schedd", "master"));
        writeAll(NEW);
        LocalToolsWatch newRun = new LocalToolsWatch(clock);
        clock.advance(Duration.between(clock.instant(), T0.plusSeconds(40)));
        Summary s = new Summary();
        newRun.step(new Step(clock.instant(), config, null, InstanceFacts.UNKNOWN, state, preflights, s));
        assertFalse(state.localTools.open(), "closed, not left open for ever");
        assertEquals(40L, state.localTools.seconds());
    }

    @Test
    void changeWithHTCondorNotRunning_noFileAndNoReload_noWindow() throws Exception {
        change();
        state.lastReload = new LastReload(T0, LastReload.Result.SKIPPED, ReloadMethod.RESTART, "not running");
        step(T0.plusSeconds(1));
        assertNull(state.localTools, "HTCondor not running is not a lockout: it starts on the new address");
    }

    @Test
    void noChange_onlyTheLocalAdStale_onlyTheScheddFails_andMissingFilesAloneOpenNothing() throws Exception {
        Files.writeString(dir.resolve(".schedd_classad"), localAd(NEW));
        step(T0);
        assertNull(state.localTools, "missing master and collector files alone open no window");
        writeAll(NEW);
        Files.writeString(dir.resolve(".schedd_classad"), localAd(OLD));
        step(T0.plusSeconds(1));
        assertEquals(List.of("schedd"), state.localTools.failing());
        assertEquals(List.of("schedd"), state.localTools.failed());
        assertEquals(T0.plusSeconds(1), state.localTools.since(), "no change seen: opened when seen");
    }

    @Test
    void filesOnTheAddress_noWindow() throws Exception {
        writeAll(NEW);
        step(T0.plusSeconds(1));
        assertNull(state.localTools);
    }

    @Test
    void theAgentStartedAfterTheChange_notItsToTime_onlyStaleFilesOpenAWindow() throws Exception {
        LocalToolsWatch started = new LocalToolsWatch(clock);
        change();
        writeAll(NEW);
        clock.advance(Duration.between(clock.instant(), T0.plusSeconds(1)));
        started.step(new Step(clock.instant(), config, null, InstanceFacts.UNKNOWN, state, preflights, new Summary()));
        assertNull(state.localTools);
    }

    @Test
    void aLinkIsNotFollowed_asRootNoFileAUserCouldPointElsewhere() throws Exception {
        writeAll(NEW);
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), localAd(OLD));
        Files.delete(dir.resolve(".schedd_classad"));
        Files.createSymbolicLink(dir.resolve(".schedd_classad"), elsewhere);
        step(T0.plusSeconds(1));
        assertNull(state.localTools, "a link reads as no file, never as the file it points to");
    }

    @Test
    void pollsEverySecondWhileOpen_forAtMostTenMinutes_thenAsConfigured() throws Exception {
        Duration configured = Duration.ofSeconds(60);
        assertEquals(configured, LocalToolsWatch.pollInterval(state, configured, T0));
        writeAll(OLD);
        change();
        step(T0.plusSeconds(1));
        assertEquals(Duration.ofSeconds(1), LocalToolsWatch.pollInterval(state, configured, T0.plusSeconds(2)));
        assertEquals(configured, LocalToolsWatch.pollInterval(state, configured, T0.plus(Duration.ofMinutes(11))));
        assertEquals(
                Duration.ofMillis(200),
                LocalToolsWatch.pollInterval(state, Duration.ofMillis(200), T0.plusSeconds(2)),
                "never slower than configured");
    }

    @Test
    void theWindowRoundTripsThroughTheStateFile_andAStateWithoutOneWritesNoKey() throws Exception {
        writeAll(OLD);
        change();
        step(T0.plusSeconds(1));
        DaemonState read = StateCodec.decode(StateCodec.encode(state));
        assertEquals(state.localTools, read.localTools);
        assertEquals(
                Map.of(
                        "address", NEW,
                        "since", T0.toString(),
                        "open", true,
                        "failing", List.of("schedd", "master", "collector"),
                        "failed", List.of("schedd", "master", "collector")),
                withoutNulls(PartCodec.localTools(read.localTools)));
        assertFalse(StateCodec.encode(new DaemonState()).contains("local_tools"));
    }

    /** A step whose files are read at {@code at}. */
    private void step(Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
        summary = new Summary();
        watch.step(new Step(at, config, null, InstanceFacts.UNKNOWN, state, preflights, summary));
    }

    private void writeAll(String host) throws IOException {
        Files.writeString(dir.resolve(".schedd_classad"), localAd(host));
        Files.writeString(dir.resolve(".master_address"), sinful(host, "master") + "\n$CondorVersion$\n");
        Files.writeString(dir.resolve(".collector_address"), sinful(host, "collector") + "\n$CondorVersion$\n");
    }

    /** As the schedd writes $(SPOOL)/.schedd_classad: the ad in long form, MyAddress among its attributes. */
    private static String localAd(String host) {
        return String.join(
                "\n",
                "MyType = \"Scheduler\"",
                "Name = \"ip-10-0-0-5.ec2.internal\"",
                "MyAddress = \"" + sinful(host, "schedd_12_ab") + "\"",
                "ScheddIpAddr = \"" + sinful(host, "schedd_12_ab") + "\"",
                "");
    }

    private static String sinful(String host, String sock) {
        return "<" + host + ":9618?addrs=" + host + "-9618&alias=ip-10-0-0-5.ec2.internal&noUDP&sock=" + sock + ">";
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        map.values().removeIf(java.util.Objects::isNull);
        return map;
    }
}
