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
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LocalToolsWindow;
import org.seedagent.state.PartCodec;
import org.seedagent.state.StateCodec;

/**
 * The window local tools cannot reach HTCondor's daemons (issue 25), from real files as HTCondor writes them: the
 * schedd's local ad (what a normal user's condor_q reads) and the master's and collector's address files.
 */
class LocalToolsWatchTest {
    private static final String OLD = "203.0.113.10";
    private static final String NEW = "198.51.100.7";
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private final AgentConfig config = new AgentConfigLoader().defaults();
    private final DaemonState state = new DaemonState();
    private final LocalToolsWatch watch = new LocalToolsWatch();
    private Preflights preflights;
    private Summary summary;

    @BeforeEach
    void knobs() throws InterruptedException {
        Map<String, String> knobs = Map.of(
                "TCP_FORWARDING_HOST", NEW,
                "SCHEDD_DAEMON_AD_FILE", dir.resolve(".schedd_classad").toString(),
                "MASTER_ADDRESS_FILE", dir.resolve(".master_address").toString(),
                "COLLECTOR_ADDRESS_FILE", dir.resolve(".collector_address").toString());
        preflights = new Preflights(c -> () -> ConfigProbe.Result.ok(knobs));
        preflights.run(config);
        state.currentAddress = NEW;
        state.addressSince = T0;
    }

    @Test
    void staleLocalAd_opensAtTheChange_missingFilesWhileRestartingStayFailing_closesWhenAllNameTheAddress()
            throws Exception {
        writeAll(OLD);
        step(T0.plusMillis(300));
        LocalToolsWindow open = state.localTools;
        assertTrue(open.open());
        assertEquals(T0, open.since(), "opened at the change the agent saw");
        assertEquals(List.of("schedd", "master", "collector"), open.failing());
        assertNull(open.seconds());

        // The restart: the old daemons' files are gone, the new master's is written first.
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
    void onlyTheLocalAdStale_onlyTheScheddFails() throws Exception {
        writeAll(NEW);
        Files.writeString(dir.resolve(".schedd_classad"), localAd(OLD));
        step(T0.plusSeconds(1));
        assertEquals(List.of("schedd"), state.localTools.failing());
        assertEquals(List.of("schedd"), state.localTools.failed());
    }

    @Test
    void rightAfterTheChange_theRestartRemovedTheFiles_missingOnesFailToo_laterOnlyStaleOnesOpenAWindow()
            throws Exception {
        // What the agent sees at the step of the change, after its restart: the old master's file is still there,
        // the schedd's and the collector's went with their daemons, and the new ones have not written theirs yet.
        Files.writeString(dir.resolve(".master_address"), sinful(OLD, "master") + "\n$CondorVersion$\n");
        step(T0.plusMillis(500));
        assertEquals(List.of("schedd", "master", "collector"), state.localTools.failing());
        assertEquals(T0, state.localTools.since());

        state.localTools = null;
        step(T0.plus(Duration.ofHours(1)));
        assertEquals(List.of("master"), state.localTools.failing(), "long after a change, only what names another");
    }

    @Test
    void noFiles_noWindow_HTCondorNotRunningIsNotALockout() throws Exception {
        step(T0.plusSeconds(1));
        assertNull(state.localTools, "not even right after a change");
        step(T0.plusSeconds(300));
        assertNull(state.localTools);
    }

    @Test
    void filesOnTheAddress_noWindow() throws Exception {
        writeAll(NEW);
        step(T0.plusSeconds(1));
        assertNull(state.localTools);
    }

    @Test
    void staleLongAfterTheChange_opensNow_notAtTheOldChange() throws Exception {
        writeAll(OLD);
        Instant later = T0.plus(Duration.ofHours(3));
        step(later);
        assertEquals(later, state.localTools.since());
    }

    @Test
    void aLinkIsNotFollowed_asRootNoFileAUserCouldPointElsewhere() throws Exception {
        writeAll(NEW);
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), localAd(OLD));
        Files.delete(dir.resolve(".schedd_classad"));
        Files.createSymbolicLink(dir.resolve(".schedd_classad"), elsewhere);
        step(T0.plus(Duration.ofHours(1)));
        assertNull(state.localTools, "a link reads as no file, never as the file it points to");
    }

    @Test
    void pollsEverySecondWhileOpen_forAtMostTenMinutes_thenAsConfigured() throws Exception {
        Duration configured = Duration.ofSeconds(60);
        assertEquals(configured, LocalToolsWatch.pollInterval(state, configured, T0));
        writeAll(OLD);
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

    private void step(Instant now) {
        summary = new Summary();
        watch.step(new Step(now, config, null, InstanceFacts.UNKNOWN, state, preflights, summary));
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
