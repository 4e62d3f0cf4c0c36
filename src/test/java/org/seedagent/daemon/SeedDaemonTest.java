package org.seedagent.daemon;

import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigKey;
import org.seedagent.fragment.Fragment;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.state.DaemonState;
import org.seedagent.state.StateStore;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.testing.Dist;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.FakeImds;
import org.seedagent.testing.RecordingSleeper;

/**
 * The daemon step by step against an IMDSv2 in WireMock, with a fake clock (no sleeping) and a
 * recording stand-in script as HTCondor's reload command, run as a real child process.
 */
class SeedDaemonTest {
    @RegisterExtension
    static WireMockExtension imds = FakeImds.extension();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<String> checkRuns = new ArrayList<>();
    private final AtomicReference<ConfigProbe.Result> probeResult = new AtomicReference<>();
    private Path fragment;
    private Path reloads;
    private Path reloadScript;
    private final Map<ConfigKey, String> settings = new EnumMap<>(ConfigKey.class);

    @BeforeEach
    void setUp() throws IOException {
        LogSettings.get().setOutput(new PrintStream(logs, true, StandardCharsets.UTF_8), true);
        LogSettings.get().setLevel(Level.INFO);
        Files.createDirectories(dir.resolve("config.d"));
        fragment = dir.resolve("config.d/50-seed-agent.conf");
        reloads = dir.resolve("reloads.log");
        reloadScript = script("record-reload", "#!/bin/sh\necho reload >> " + reloads + "\n");
        FakeImds.stubToken(imds);
        FakeImds.stubItem(imds, "instance-id", ok("i-0123456789abcdef0"));
        FakeImds.stubItem(imds, "instance-type", ok("m6i.large"));
        FakeImds.stubItem(imds, "placement/region", ok("us-east-1"));
        FakeImds.stubItem(imds, "instance-life-cycle", ok("on-demand"));
        FakeImds.stubItem(imds, "local-ipv4", ok("172.31.16.20"));
        settings.put(ConfigKey.METADATA_ENDPOINT, "http://127.0.0.1:" + imds.getPort());
        settings.put(ConfigKey.METADATA_DEADLINE, "5s");
        settings.put(ConfigKey.METADATA_REQUEST_TIMEOUT, "1s");
        settings.put(ConfigKey.FRAGMENT_PATH, fragment.toString());
        settings.put(ConfigKey.STATE_DIRECTORY, dir.resolve("state").toString());
        settings.put(ConfigKey.RELOAD_METHOD, "command");
        settings.put(ConfigKey.RELOAD_COMMAND, reloadScript.toString());
        settings.put(ConfigKey.CONDOR_TIMEOUT, "2s");
        settings.put(ConfigKey.POLL_INTERVAL, "60s");
    }

    @AfterEach
    void restoreLogs() {
        LogSettings.get().setOutput(System.err, false);
    }

    private SeedDaemon daemon() throws Exception {
        return daemon(new SystemProcessRunner());
    }

    private SeedDaemon daemon(ProcessRunner processes) throws Exception {
        AgentConfig config = new AgentConfigLoader().fromValues(null, settings);
        // HTCondor's view: the address in our fragment, unless a test says otherwise.
        Function<AgentConfig, ConfigProbe> probes = c -> () -> probeResult.get() != null ? probeResult.get()
                : ConfigProbe.Result.ok(Map.of("TCP_FORWARDING_HOST", String.valueOf(hostInFragment())));
        CheckSuite checks = (c, condor, metadata) -> {
            checkRuns.add(String.valueOf(hostInFragment()));
            return List.of(Map.of("id", "central-manager", "severity", "ok"));
        };
        return new SeedDaemon(config, clock, processes,
                s -> new ImdsMetadataSource(s, clock, sleeper), probes, checks, "test", 4242);
    }

    /** As DaemonRunner does: the boot sync, READY=1, then the deferred reload. */
    private static String boot(SeedDaemon daemon) throws InterruptedException {
        String status = daemon.boot();
        daemon.afterReady();
        return status;
    }

    private void publicIp(String ip) {
        FakeImds.stubItem(imds, "public-ipv4", ok(ip));
    }

    private String hostInFragment() {
        try {
            return Files.exists(fragment) ? Fragment.forwardingHostIn(Files.readString(fragment)) : null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int reloadCount() throws IOException {
        return Files.exists(reloads) ? Files.readAllLines(reloads).size() : 0;
    }

    private String log() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    private int occurrences(String text) {
        return log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void poll_ipChangesMidRun_rewrittenAndReloadedExactlyOncePerChange() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            assertEquals("TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)", boot(daemon));
            assertEquals("203.0.113.10", hostInFragment());
            assertEquals(1, reloadCount(), "the boot sync put an address in force");

            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofSeconds(60));
                daemon.poll();
            }
            assertEquals(1, reloadCount(), "no reload while nothing changes");

            publicIp("198.51.100.7");
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            assertEquals("198.51.100.7", hostInFragment());
            assertEquals(2, reloadCount());
            daemon.poll();
            daemon.poll();
            assertEquals(2, reloadCount());

            publicIp("192.0.2.44");
            daemon.poll();
            assertEquals("192.0.2.44", hostInFragment());
            assertEquals(3, reloadCount());
        }
        assertTrue(log().contains("<4>public address changed from 203.0.113.10 to 198.51.100.7"), log());
        assertTrue(log().contains("will not rejoin; an Elastic IP keeps the address"), log());
        assertEquals(3, checkRuns.size(), "checks run at start and after each change: " + checkRuns);
        assertEquals(1, FakeImds.tokenRequests(imds), "one token for the whole run");
    }

    @Test
    void boot_change_reloadDeferredUntilAfterReady() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            daemon.boot();
            assertEquals(0, reloadCount(), "no reload before READY=1");
            daemon.afterReady();
            assertEquals(1, reloadCount());
            daemon.afterReady();
            assertEquals(1, reloadCount());
        }
    }

    @Test
    void boot_systemctlReloadWhileHtcondorNotRunning_noReloadAtAllAtBoot() throws Exception {
        List<List<String>> systemctl = new ArrayList<>();
        settings.put(ConfigKey.RELOAD_METHOD, "reload");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon(fakeSystemctl(systemctl, false))) {
            boot(daemon);
        }
        // systemctl is-active answers 3 (inactive), as while condor.service's start waits for us.
        assertEquals(List.of(List.of("systemctl", "is-active", "--quiet", "condor.service"),
                List.of("systemctl", "is-active", "--quiet", "condor.service")), systemctl);
    }

    @Test
    void boot_agentRestartedWhileHtcondorRuns_reloadOnlyAfterReady() throws Exception {
        List<List<String>> systemctl = new ArrayList<>();
        settings.put(ConfigKey.RELOAD_METHOD, "reload");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon(fakeSystemctl(systemctl, true))) {
            daemon.boot();
            assertFalse(systemctl.contains(List.of("systemctl", "reload", "condor.service")), systemctl.toString());
            daemon.afterReady();
            assertEquals(List.of("systemctl", "reload", "condor.service"), systemctl.get(systemctl.size() - 1));
        }
    }

    /** systemctl as it answers for condor.service ({@code is-active}: 0 active, 3 inactive); anything else runs for real. */
    private static ProcessRunner fakeSystemctl(List<List<String>> calls, boolean active) {
        SystemProcessRunner real = new SystemProcessRunner();
        return (command, timeout) -> {
            if (!command.get(0).equals("systemctl")) {
                return real.run(command, timeout);
            }
            calls.add(command);
            int exit = command.get(1).equals("is-active") ? (active ? 0 : 3) : 0;
            return new ProcessResult(exit, "", "", false);
        };
    }

    @Test
    void poll_steadyState_oneMetadataRequestPerPoll() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            int before = FakeImds.itemRequests(imds);
            for (int i = 0; i < 5; i++) {
                daemon.poll();
            }
            assertEquals(5, FakeImds.itemRequests(imds) - before);
        }
    }

    @Test
    void poll_outageInTheMiddle_keepsFragmentLogsOnceAndRecovery() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            String before = Files.readString(fragment);
            FakeImds.stubItem(imds, "public-ipv4", serviceUnavailable());
            daemon.poll();
            daemon.poll();
            daemon.poll();
            assertEquals(before, Files.readString(fragment));
            assertTrue(daemon.summary().startsWith("TCP_FORWARDING_HOST = 203.0.113.10; last poll failed"), daemon.summary());

            publicIp("203.0.113.10");
            daemon.poll();
            assertEquals(before, Files.readString(fragment));
        }
        assertEquals(1, occurrences("cannot read the public address"), log());
        assertEquals(1, occurrences("metadata service answering again after 3 failed polls"), log());
        assertEquals(1, reloadCount());
    }

    @Test
    void poll_fragmentDeleted_restoredWithWarningNoReload() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            Files.delete(fragment);
            daemon.poll();
            assertEquals("203.0.113.10", hostInFragment());
            Files.writeString(fragment, Files.readString(fragment).replace("203.0.113.10", "10.9.9.9"));
            daemon.poll();
            assertEquals("203.0.113.10", hostInFragment());
        }
        assertTrue(log().contains("<4>" + fragment + " had been deleted; restored it"), log());
        assertTrue(log().contains("<4>" + fragment + " had been edited by hand; restored it"), log());
        assertEquals(1, reloadCount(), "drift repair does not reload");
    }

    @Test
    void poll_fragmentUnwritable_errorOnceKeepsPollingAndRecovers() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            Files.delete(fragment);
            Files.createDirectory(fragment);
            daemon.poll();
            daemon.poll();
            Files.delete(fragment);
            daemon.poll();
            assertEquals("203.0.113.10", hostInFragment());
        }
        assertEquals(1, occurrences("is a directory; remove it"), log());
        assertEquals(1, occurrences("is in line again after 2 failed polls"), log());
        assertEquals(0, occurrences("metadata service answering again"), log());
    }

    @Test
    void poll_otherConfigFileBroken_noReloadFailureNamesFile() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            probeResult.set(ConfigProbe.Result.broken(
                    "configuration error at line 1 of /etc/condor/config.d/60-broken", "/etc/condor/config.d/60-broken"));
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals("198.51.100.7", hostInFragment(), "our fragment is fine and stays");
            assertEquals(1, reloadCount(), "no reload on a broken configuration");
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertEquals("not-attempted", state.lastReload.result());
            assertTrue(state.lastReload.detail().contains("60-broken"), state.lastReload.detail());
        }
        assertTrue(log().contains("<3>HTCondor's configuration does not parse: configuration error at line 1 of "
                + "/etc/condor/config.d/60-broken. Not reloading"), log());
    }

    @Test
    void poll_realCondorConfigValWithBrokenFile_noReloadUntilFixedAndChecksKept() throws Exception {
        Path condorConfig = dir.resolve("condor_config");
        Files.writeString(condorConfig, "LOCAL_CONFIG_DIR = " + dir.resolve("config.d") + "\n"
                + "DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD\n");
        settings.put(ConfigKey.CONDOR_CONFIG_VAL, Dist.fakeCondorConfigVal(dir, condorConfig).toString());
        AgentConfig config = new AgentConfigLoader().fromValues(null, settings);
        SystemProcessRunner processes = new SystemProcessRunner();
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = new SeedDaemon(config, clock, processes, s -> new ImdsMetadataSource(s, clock, sleeper),
                c -> new CondorConfigProbe(new CondorConfigReader(processes, c.condorConfigVal(), c.condorTimeout())),
                new SettingsChecks(CheckEnvironment.system()), "test", 1)) {
            boot(daemon);
            assertEquals(1, reloadCount());
            Path broken = dir.resolve("config.d/60-broken");
            Files.writeString(broken, "TCP_FORWARDING_HOST 1.2.3.4\n");
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(1, reloadCount(), "HTCondor's own parser rejects the configuration: no reload");
            assertTrue(log().contains("configuration error at line 1 of " + broken), log());

            Files.delete(broken);
            publicIp("192.0.2.44");
            daemon.poll();
            assertEquals(2, reloadCount());
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertEquals(17, state.checks.size(), state.checks.toString());
            Map<String, Object> forwarding = state.checks.stream()
                    .filter(c -> "forwarding-in-effect".equals(c.get("id"))).findFirst().orElseThrow();
            assertEquals("ok", forwarding.get("severity"), forwarding.toString());
        }
    }

    @Test
    void poll_htcondorRejectsOurFragment_previousRestoredNoReload() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            String before = Files.readString(fragment);
            probeResult.set(ConfigProbe.Result.broken("configuration error at line 9 of " + fragment, fragment.toString()));
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(before, Files.readString(fragment));
            assertEquals(1, reloadCount());
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertEquals("203.0.113.10", state.currentAddress, "the rejected address was never in force");
            assertEquals(1, state.changes().size());
        }
        assertTrue(log().contains("HTCondor rejects the new fragment"), log());
    }

    @Test
    void poll_reloadFails_reportedNotRetriedUntilNextChange() throws Exception {
        Path failing = script("failing-reload", "#!/bin/sh\necho reload >> " + reloads + "\necho 'Job for condor.service failed' >&2\nexit 1\n");
        settings.put(ConfigKey.RELOAD_COMMAND, failing.toString());
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            assertEquals(1, reloadCount());
            daemon.poll();
            daemon.poll();
            assertEquals(1, reloadCount(), "a failed reload is not retried in a loop");
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(2, reloadCount(), "it is tried again at the next change");
            assertEquals("failed", new StateStore(dir.resolve("state")).load().lastReload.result());
        }
        assertTrue(log().contains("<3>reloading HTCondor failed: " + failing + " exited 1: \"Job for condor.service failed\""), log());
    }

    @Test
    void poll_reloadHangs_killedAfterTimeout() throws Exception {
        Path hanging = script("hanging-reload", "#!/bin/sh\nexec sleep 30\n");
        settings.put(ConfigKey.RELOAD_COMMAND, hanging.toString());
        settings.put(ConfigKey.CONDOR_TIMEOUT, "1s");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        assertTrue(log().contains("did not finish within 1 s and was killed"), log());
    }

    @Test
    void boot_metadataUnavailable_keepsPreviousFragmentAndSaysSo() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        FakeImds.stubItem(imds, "public-ipv4", serviceUnavailable());
        String before = Files.readString(fragment);
        try (SeedDaemon daemon = daemon()) {
            String status = boot(daemon);
            assertEquals("metadata service unavailable at boot: kept the previous fragment (TCP_FORWARDING_HOST = 203.0.113.10)",
                    status);
        }
        assertEquals(before, Files.readString(fragment));
        assertTrue(sleeper.total().compareTo(Duration.ofSeconds(5)) <= 0, "bounded by the deadline: " + sleeper.total());
    }

    @Test
    void boot_metadataUnavailableRemovePolicy_removesFragment() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        FakeImds.stubItem(imds, "public-ipv4", serviceUnavailable());
        settings.put(ConfigKey.BOOT_ON_UNAVAILABLE, "remove");
        try (SeedDaemon daemon = daemon()) {
            assertTrue(boot(daemon).contains("removed " + fragment), daemon.summary());
        }
        assertFalse(Files.exists(fragment));
    }

    @Test
    void boot_agentRestarted_noChangeNoReloadHistoryKept() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        assertEquals(1, reloadCount());
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertEquals(1, state.changes().size());
        assertEquals("203.0.113.10", state.currentAddress);
        assertEquals("unchanged", state.bootSync.result());
    }

    @Test
    void boot_corruptStateFile_warnsAndStartsFresh() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/state.json"), "{\"schema_version\": 1, \"agent\": ");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        assertTrue(log().contains("<4>ignoring the state file " + dir.resolve("state/state.json")), log());
        assertEquals("203.0.113.10", new StateStore(dir.resolve("state")).load().currentAddress);
    }

    @Test
    void poll_spotNotice_loggedOnceAndRecorded() throws Exception {
        FakeImds.stubItem(imds, "instance-life-cycle", ok("spot"));
        FakeImds.stubItem(imds, "spot/instance-action", notFound());
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            daemon.poll();
            FakeImds.stubItem(imds, "spot/instance-action", ok("{\"action\": \"terminate\", \"time\": \"2026-11-25T12:02:00Z\"}"));
            daemon.poll();
            daemon.poll();
            assertNotNull(new StateStore(dir.resolve("state")).load().spotInterruption);
        }
        assertEquals(1, occurrences("spot interruption notice for this seed"), log());
    }

    @Test
    void poll_collectorLags_oneExtraReloadThenConverged() throws Exception {
        Path master = dir.resolve(".master_address");
        Path schedd = dir.resolve(".schedd_address");
        Path collector = dir.resolve(".collector_address");
        probeResult.set(ConfigProbe.Result.ok(Map.of("TCP_FORWARDING_HOST", "198.51.100.7",
                "MASTER_ADDRESS_FILE", master.toString(), "SCHEDD_ADDRESS_FILE", schedd.toString(),
                "COLLECTOR_ADDRESS_FILE", collector.toString())));
        for (Path file : List.of(master, schedd, collector)) {
            Files.writeString(file, "<203.0.113.10:9618?addrs=203.0.113.10-9618&alias=seed&noUDP&sock=x>\n$CondorVersion$\n");
        }
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(2, reloadCount());
            for (Path file : List.of(master, schedd)) {
                Files.writeString(file, "<198.51.100.7:9618?addrs=198.51.100.7-9618&sock=y>\n");
            }
            clock.advance(Duration.ofSeconds(120));
            daemon.poll();
            assertEquals(2, reloadCount(), "no extra reload before the shared-port refresh");
            clock.advance(Duration.ofSeconds(200));
            daemon.poll();
            assertEquals(3, reloadCount(), "one more reload converges the collector");
            daemon.poll();
            assertEquals(3, reloadCount(), "only once");
            Files.writeString(collector, "<198.51.100.7:9618?addrs=198.51.100.7-9618&sock=z>\n");
            daemon.poll();
            DaemonState.Advertised advertised = new StateStore(dir.resolve("state")).load().advertised;
            assertTrue(advertised.converged(), advertised.toString());
        }
        assertTrue(log().contains("the collector still advertises 203.0.113.10; reloading once more"), log());
        assertTrue(log().contains("HTCondor's daemons advertise 198.51.100.7"), log());
    }
}
