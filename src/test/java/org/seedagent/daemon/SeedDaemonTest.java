package org.seedagent.daemon;

import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.seedagent.checks.Area;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigKey;
import org.seedagent.eip.AddressFact;
import org.seedagent.fragment.Fragment;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.restart.BootIdentity;
import org.seedagent.restart.Outage;
import org.seedagent.restart.Restart;
import org.seedagent.restart.RestartKind;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.SpotInterruption;
import org.seedagent.state.StateStore;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.sync.SyncResult;
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

    private static final String BOOT_ID = "5f0e7a8e-0000-4000-8000-000000000001";
    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<String> checkRuns = new ArrayList<>();
    private final AtomicReference<ConfigProbe.Result> probeResult = new AtomicReference<>();
    /** HTCondor's view is an htcondor annex seed's: ANNEX_COLLECTOR follows the address in our fragment. */
    private boolean hpcAnnex;

    private final java.util.concurrent.atomic.AtomicInteger probeRuns = new java.util.concurrent.atomic.AtomicInteger();
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
        FakeImds.stubItem(imds, "events/maintenance/scheduled", ok("[]"));
        // No instance profile, as IMDS answers for such an instance: whether the address is an Elastic IP is unknown.
        FakeImds.stubItem(
                imds, "iam/security-credentials/", com.github.tomakehurst.wiremock.client.WireMock.notFound());
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
        return daemon(processes, new BootIdentity(BOOT_ID, clock.instant().minusSeconds(30)));
    }

    /** The daemon in a boot of the given identity (the default: one boot for the whole test). */
    private SeedDaemon daemon(ProcessRunner processes, BootIdentity boot) throws Exception {
        CheckSuite checks = (c, condor, metadata) -> {
            checkRuns.add(String.valueOf(hostInFragment()));
            return List.of(new CheckResult("central-manager", Area.CENTRAL_MANAGER, Severity.OK, "runs", null));
        };
        return daemon(processes, boot, checks);
    }

    private SeedDaemon daemon(ProcessRunner processes, BootIdentity boot, CheckSuite checks) throws Exception {
        AgentConfig config = new AgentConfigLoader().fromValues(null, settings);
        // HTCondor's view: the address in our fragment, unless a test says otherwise.
        Function<AgentConfig, ConfigProbe> probes = c -> () -> {
            probeRuns.incrementAndGet();
            if (probeResult.get() != null) {
                return probeResult.get();
            }
            Map<String, String> knobs =
                    new java.util.HashMap<>(Map.of("TCP_FORWARDING_HOST", String.valueOf(hostInFragment())));
            if (hpcAnnex) {
                knobs.put("HPC_ANNEX_ENABLED", "true");
                knobs.put("ANNEX_COLLECTOR", hostInFragment() + ":9618?sock=ap_collector");
            }
            return ConfigProbe.Result.ok(knobs);
        };
        return new SeedDaemon(
                config,
                clock,
                processes,
                s -> new ImdsMetadataSource(s, clock, sleeper),
                probes,
                checks,
                "test",
                4242,
                boot);
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
        assertEquals(
                List.of(
                        List.of("systemctl", "is-active", "--quiet", "condor.service"),
                        List.of("systemctl", "is-active", "--quiet", "condor.service")),
                systemctl);
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
            assertTrue(
                    daemon.summary().startsWith("TCP_FORWARDING_HOST = 203.0.113.10; last poll failed"),
                    daemon.summary());

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
        assertTrue(
                log().contains("<4>" + fragment
                        + " had been edited by hand, or written by an earlier version of seed-agent; restored it"),
                log());
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
                    "configuration error at line 1 of /etc/condor/config.d/60-broken",
                    "/etc/condor/config.d/60-broken"));
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals("198.51.100.7", hostInFragment(), "our fragment is fine and stays");
            assertEquals(1, reloadCount(), "no reload on a broken configuration");
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertEquals(LastReload.Result.NOT_ATTEMPTED, state.lastReload.result());
            assertTrue(state.lastReload.detail().contains("60-broken"), state.lastReload.detail());
        }
        assertTrue(
                log().contains("<3>HTCondor's configuration does not parse: configuration error at line 1 of "
                        + "/etc/condor/config.d/60-broken. Not reloading"),
                log());
    }

    @Test
    void poll_realCondorConfigValWithBrokenFile_noReloadUntilFixedThenPendingReloadAndChecksKept() throws Exception {
        Path condorConfig = dir.resolve("condor_config");
        Files.writeString(
                condorConfig,
                "LOCAL_CONFIG_DIR = " + dir.resolve("config.d") + "\n"
                        + "DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD\n");
        settings.put(
                ConfigKey.CONDOR_CONFIG_VAL,
                Dist.fakeCondorConfigVal(dir, condorConfig).toString());
        AgentConfig config = new AgentConfigLoader().fromValues(null, settings);
        SystemProcessRunner processes = new SystemProcessRunner();
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = new SeedDaemon(
                config,
                clock,
                processes,
                s -> new ImdsMetadataSource(s, clock, sleeper),
                c -> new CondorConfigProbe(new CondorConfigReader(processes, c.condorConfigVal(), c.condorTimeout())),
                new SettingsChecks(CheckEnvironment.system(), processes),
                "test",
                1,
                new BootIdentity(BOOT_ID, clock.instant().minusSeconds(30)))) {
            boot(daemon);
            assertEquals(1, reloadCount());
            Path broken = dir.resolve("config.d/60-broken");
            Files.writeString(broken, "TCP_FORWARDING_HOST 1.2.3.4\n");
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(1, reloadCount(), "HTCondor's own parser rejects the configuration: no reload");
            assertTrue(log().contains("configuration error at line 1 of " + broken), log());

            daemon.poll();
            assertEquals(1, reloadCount(), "still broken: still withheld");

            Files.delete(broken);
            daemon.poll();
            assertEquals(2, reloadCount(), "fixed: the pending reload happens at the next poll, with no new address");
            publicIp("192.0.2.44");
            daemon.poll();
            assertEquals(3, reloadCount());
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertEquals(
                    org.seedagent.checks.Check.values().length,
                    state.checks().size(),
                    state.checks().toString());
            CheckResult forwarding = state.checks().stream()
                    .filter(c -> "forwarding-in-effect".equals(c.id()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Severity.OK, forwarding.severity(), forwarding.toString());
        }
    }

    @Test
    void poll_htcondorRejectsOurFragment_previousRestoredNoReload() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            String before = Files.readString(fragment);
            probeResult.set(
                    ConfigProbe.Result.broken("configuration error at line 9 of " + fragment, fragment.toString()));
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
    void poll_reloadFails_pendingAndRetriedAtEveryPollUntilDone() throws Exception {
        Path failNext = dir.resolve("fail-next");
        Files.writeString(failNext, "");
        Path flaky = script(
                "flaky-reload",
                "#!/bin/sh\necho reload >> " + reloads + "\n" + "if [ -e " + failNext
                        + " ]; then echo 'Job for condor.service failed' >&2; exit 1; fi\n");
        settings.put(ConfigKey.RELOAD_COMMAND, flaky.toString());
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            assertEquals(1, reloadCount());
            DaemonState.PendingReload pending = new StateStore(dir.resolve("state")).load().pendingReload;
            assertNotNull(pending, "a failed reload stays pending");
            assertTrue(pending.because().contains("Job for condor.service failed"), pending.because());
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            assertEquals(3, reloadCount(), "tried again at every poll");
            assertEquals(
                    3, new StateStore(dir.resolve("state")).load().pendingReload.attempts());
            Files.delete(failNext);
            clock.advance(Duration.ofSeconds(60));
            String summary = daemon.poll();
            assertEquals(4, reloadCount());
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertNull(state.pendingReload, "done: no longer pending");
            assertEquals(LastReload.Result.DONE, state.lastReload.result());
            assertTrue(summary.contains("the pending reload of HTCondor is done"), summary);
            daemon.poll();
            assertEquals(4, reloadCount(), "nothing pending: no more reloads");
        }
        assertEquals(
                1,
                occurrences("<3>reloading HTCondor failed: " + flaky + " exited 1: \"Job for condor.service failed\""),
                "the failure is logged once, not at every retry: " + log());
        assertTrue(log().contains("the pending reload is done, 180 s after it was first tried (4 attempt(s)"), log());
    }

    @Test
    void poll_steadyState_noPreflightLaunched() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            int before = probeRuns.get();
            for (int i = 0; i < 5; i++) {
                daemon.poll();
            }
            assertEquals(0, probeRuns.get() - before, "condor_config_val runs only for a change or a pending reload");
        }
    }

    @Test
    void poll_brokenNeighbourFixedWithoutAddressChange_pendingReloadDoneAtNextPoll() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            probeResult.set(ConfigProbe.Result.broken(
                    "configuration error at line 3 of /etc/condor/config.d/60-broken",
                    "/etc/condor/config.d/60-broken"));
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(1, reloadCount(), "withheld");
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            assertEquals(1, reloadCount(), "still withheld while the file is broken");
            DaemonState state = new StateStore(dir.resolve("state")).load();
            assertEquals(3, state.pendingReload.attempts());
            assertTrue(
                    state.pendingReload.because().contains("line 3 of /etc/condor/config.d/60-broken"),
                    state.pendingReload.because());
            assertEquals(clock.instant().minusSeconds(120), state.pendingReload.since());

            probeResult.set(null); // the file was fixed; the address did not change again
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            assertEquals(2, reloadCount(), "the pending reload happens by itself");
            assertNull(new StateStore(dir.resolve("state")).load().pendingReload);
        }
        assertEquals(
                1,
                occurrences("<3>HTCondor's configuration does not parse: configuration error at line 3 of "
                        + "/etc/condor/config.d/60-broken. Not reloading"),
                "withheld is said once: " + log());
        assertTrue(log().contains("The reload stays pending and is tried again at every poll"), log());
        assertTrue(
                log().contains("<6>the pending reload is done, 180 s after it was first withheld (4 attempt(s)"),
                log());
    }

    /** A run of the agent that ends with a reload withheld (a broken neighbour file) and so pending. */
    private void leaveAReloadPending(List<List<String>> systemctl) throws Exception {
        settings.put(ConfigKey.RELOAD_METHOD, "reload");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon(fakeSystemctl(systemctl, true))) {
            boot(daemon);
            probeResult.set(ConfigProbe.Result.broken("configuration error at line 1 of /x/60-broken", "/x/60-broken"));
            publicIp("198.51.100.7");
            daemon.poll();
        }
    }

    @Test
    void boot_pendingReloadFromPreviousRun_resumedAfterReadyWhenHtcondorRuns() throws Exception {
        List<List<String>> systemctl = new ArrayList<>();
        leaveAReloadPending(systemctl);
        assertNotNull(new StateStore(dir.resolve("state")).load().pendingReload);
        probeResult.set(null);
        systemctl.clear();
        try (SeedDaemon daemon = daemon(fakeSystemctl(systemctl, true))) {
            daemon.boot();
            assertFalse(systemctl.contains(List.of("systemctl", "reload", "condor.service")), "not before READY=1");
            daemon.afterReady();
            assertEquals(List.of("systemctl", "reload", "condor.service"), systemctl.get(systemctl.size() - 1));
        }
        assertNull(new StateStore(dir.resolve("state")).load().pendingReload);
    }

    @Test
    void boot_pendingReloadFromPreviousRunHtcondorStopped_droppedNotReloaded() throws Exception {
        List<List<String>> systemctl = new ArrayList<>();
        leaveAReloadPending(systemctl);
        systemctl.clear();
        try (SeedDaemon daemon = daemon(fakeSystemctl(systemctl, false))) {
            boot(daemon);
        }
        assertFalse(systemctl.contains(List.of("systemctl", "reload", "condor.service")), systemctl.toString());
        assertNull(
                new StateStore(dir.resolve("state")).load().pendingReload,
                "HTCondor reads the fragment when it starts");
        assertTrue(log().contains("condor.service is not running and reads the fragment when it starts"), log());
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
            assertEquals(
                    "metadata service unavailable at boot: kept the previous fragment (TCP_FORWARDING_HOST = 203.0.113.10)",
                    status);
        }
        assertEquals(before, Files.readString(fragment));
        assertTrue(
                sleeper.total().compareTo(Duration.ofSeconds(5)) <= 0, "bounded by the deadline: " + sleeper.total());
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
        assertEquals(SyncResult.Action.UNCHANGED, state.bootSync.action());
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

    /**
     * condor_q beside condor_config_val (where AnnexRequests looks for it): logs each call to condor_q.calls and
     * answers {@code answers} in turn (exit status, then standard output), as condor_q answers the agent's query.
     */
    private Path condorQ(String... answers) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        settings.put(
                ConfigKey.CONDOR_CONFIG_VAL, bin.resolve("condor_config_val").toString());
        StringBuilder sh = new StringBuilder("#!/bin/sh\necho \"$*\" >> '" + bin.resolve("condor_q.calls") + "'\n"
                + "n=$(wc -l < '" + bin.resolve("condor_q.calls") + "')\ncase $n in\n");
        for (int i = 0; i < answers.length; i += 2) {
            sh.append((i / 2) + 1)
                    .append(") printf '%s' '")
                    .append(answers[i + 1])
                    .append("'; ")
                    .append(answers[i].equals("0") ? "" : "echo '-- Failed to fetch ads from: <10.0.0.5:9618>' >&2; ")
                    .append("exit ")
                    .append(answers[i])
                    .append(" ;;\n");
        }
        sh.append("esac\nexit 0\n");
        Path q = bin.resolve("condor_q");
        Files.writeString(q, sh);
        q.toFile().setExecutable(true);
        return bin.resolve("condor_q.calls");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void poll_addressChangeOnAnHtcondorAnnexSeed_namesTheStrandedRequestsOnce_fromOneCondorQ() throws Exception {
        hpcAnnex = true;
        Path calls = condorQ("0", "3 annex-one 203.0.113.10:9618?sock=ap_collector\n");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            daemon.poll();
            assertEquals(List.of(), lines(calls), "no condor_q in steady state");
            publicIp("198.51.100.7");
            daemon.poll();
            daemon.poll();
            daemon.poll();
        }
        assertEquals(
                List.of("-allusers -constraint hpc_annex_name =!= undefined && hpc_annex_collector =!="
                        + " \"198.51.100.7:9618?sock=ap_collector\" -af ClusterId hpc_annex_name hpc_annex_collector"),
                lines(calls));
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertEquals(
                List.of(new DaemonState.StrandedAnnex("3", "annex-one", "203.0.113.10:9618?sock=ap_collector")),
                state.strandedAnnexes.requests());
        assertEquals("198.51.100.7", state.strandedAnnexes.changeTo());
        assertEquals(
                1,
                occurrences("the change to 198.51.100.7 stranded 1 htcondor annex request(s), whose nodes cannot"
                        + " reach this seed any more: annex-one (job 3, given 203.0.113.10:9618?sock=ap_collector)"),
                log());
    }

    @Test
    void poll_queueDoesNotAnswerAtOnce_askedAgainAtTheNextPoll() throws Exception {
        hpcAnnex = true;
        Path calls = condorQ("1", "", "0", "");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            daemon.poll();
            assertEquals(1, lines(calls).size());
            daemon.poll();
            daemon.poll();
        }
        assertEquals(2, lines(calls).size(), "asked until it answered, then no more");
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertEquals(List.of(), state.strandedAnnexes.requests());
        assertEquals(null, state.strandedAnnexes.error());
        assertTrue(
                log().contains("no htcondor annex request in the queue was given another collector than"
                        + " 198.51.100.7:9618?sock=ap_collector"),
                log());
    }

    @Test
    void poll_queueNeverAnswers_givesUpAfterTenMinutes_recordsWhy() throws Exception {
        hpcAnnex = true;
        Path calls = condorQ("1", "", "1", "", "1", "", "1", "");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            daemon.poll();
            clock.advance(Duration.ofMinutes(5));
            daemon.poll();
            assertEquals(null, new StateStore(dir.resolve("state")).load().strandedAnnexes, "still asking");
            clock.advance(Duration.ofMinutes(6));
            daemon.poll();
            daemon.poll();
        }
        assertEquals(3, lines(calls).size(), "asked at each poll for ten minutes, then no more");
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertTrue(
                state.strandedAnnexes.error().startsWith("condor_q exited with status 1: \"-- Failed to fetch ads"),
                state.strandedAnnexes.error());
        assertEquals(
                1,
                occurrences("which htcondor annex requests the change to 198.51.100.7 stranded is not known"),
                log());
    }

    @Test
    void poll_addressChangeOnAClassicSeed_asksNoQueue() throws Exception {
        Path calls = condorQ("0", "");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            daemon.poll();
            daemon.poll();
        }
        assertEquals(List.of(), lines(calls));
        assertEquals(null, new StateStore(dir.resolve("state")).load().strandedAnnexes);
    }

    /** From now on the pre-flight finds no condor_config_val, as a real ProcessRunner reports it. */
    /** Boots on 203.0.113.10; then condor_config_val goes missing and the address changes; two polls. */
    private void bootThenChangeWithoutCondorConfigVal(SeedDaemon daemon) throws InterruptedException {
        boot(daemon);
        condorConfigValMissing();
        publicIp("198.51.100.7");
        daemon.poll();
        daemon.poll();
    }

    private void condorConfigValMissing() {
        probeResult.set(ConfigProbe.Result.of(new org.seedagent.condor.CondorEvaluation.Failed(
                org.seedagent.condor.CondorEvaluation.Kind.NOT_INSTALLED,
                "cannot run /usr/bin/condor_config_val: No such file or directory",
                null,
                0)));
    }

    @Test
    void poll_condorConfigValMissing_pendingReloadNamesTheRealCause_notABrokenConfiguration() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            condorConfigValMissing();
            publicIp("198.51.100.7");
            daemon.poll();
            assertTrue(daemon.summary().startsWith("HTCondor's condor_config_val not found at"), daemon.summary());
        }
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertTrue(
                state.pendingReload
                        .because()
                        .startsWith("HTCondor's condor_config_val is not installed at"
                                + " /usr/bin/condor_config_val (cannot run /usr/bin/condor_config_val: No such file or directory; set"
                                + " condor.config-val). Not reloading"),
                state.pendingReload.because());
        assertFalse(log().contains("does not parse"), log());
    }

    /**
     * Issue 22: a machine where HTCondor does not run (the README's "try it" path, or a seed whose HTCondor is
     * stopped): a change that cannot be pre-flighted keeps no reload pending, as nothing runs that a reload would
     * reach; HTCondor reads the fragment when it starts.
     */
    @Test
    void poll_condorConfigValMissing_htcondorNotRunning_nothingKeptPending() throws Exception {
        settings.put(ConfigKey.RELOAD_METHOD, "reload");
        List<List<String>> systemctl = new ArrayList<>();
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon(fakeSystemctl(systemctl, false))) {
            bootThenChangeWithoutCondorConfigVal(daemon);
        }
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertNull(state.pendingReload, "nothing running to reload");
        assertEquals(LastReload.Result.SKIPPED, state.lastReload.result());
        assertEquals("condor.service is not running: it reads the fragment when it starts", state.lastReload.detail());
        assertFalse(systemctl.contains(List.of("systemctl", "reload", "condor.service")), systemctl.toString());
    }

    /**
     * A reload pending on a broken configuration, then HTCondor's unit stops (it may not start on that configuration):
     * nothing is pending any more, and the summary does not say a reload was done (found by review).
     */
    @Test
    void poll_pendingReload_htcondorStops_summaryDoesNotSayDone() throws Exception {
        settings.put(ConfigKey.RELOAD_METHOD, "reload");
        List<List<String>> systemctl = new ArrayList<>();
        boolean[] running = {true};
        SystemProcessRunner real = new SystemProcessRunner();
        ProcessRunner processes = (command, timeout) -> {
            if (!command.get(0).equals("systemctl")) {
                return real.run(command, timeout);
            }
            systemctl.add(command);
            return new ProcessResult(command.get(1).equals("is-active") && !running[0] ? 3 : 0, "", "", false);
        };
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon(processes)) {
            boot(daemon);
            condorConfigValMissing();
            publicIp("198.51.100.7");
            daemon.poll();
            assertNotNull(state().pendingReload, "pending while HTCondor runs");
            running[0] = false;
            int before = systemctl.size();
            daemon.poll();
            assertNull(state().pendingReload);
            assertFalse(
                    systemctl
                            .subList(before, systemctl.size())
                            .contains(List.of("systemctl", "reload", "condor.service")),
                    "no reload of a stopped HTCondor: " + systemctl);
            assertFalse(daemon.summary().contains("is done"), daemon.summary());
            assertTrue(daemon.summary().contains("none was done: condor.service is not running"), daemon.summary());
        }
    }

    @Test
    void poll_reloadMethodNone_nothingIsKeptPending_evenWhenTheConfigurationCannotBeChecked() throws Exception {
        settings.put(ConfigKey.RELOAD_METHOD, "none");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            bootThenChangeWithoutCondorConfigVal(daemon);
        }
        DaemonState state = new StateStore(dir.resolve("state")).load();
        assertNull(state.pendingReload, "reload.method = none: never reloaded, so never pending");
        assertEquals(LastReload.Result.SKIPPED, state.lastReload.result());
        assertEquals(0, reloadCount());
    }

    @Test
    void boot_saysOnceWhichReleaseAndAnnexToolTheSeedHas() throws Exception {
        probeResult.set(ConfigProbe.Result.ok(Map.of(
                "TCP_FORWARDING_HOST", "203.0.113.10", "CONDOR_VERSION", "25.0.13", "HPC_ANNEX_ENABLED", "true")));
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            daemon.poll();
            daemon.poll();
        }
        assertEquals(
                1,
                occurrences("HTCondor 25.0.13; annex nodes come from `htcondor annex` (use feature:HPC_ANNEX)"),
                log());
    }

    @Test
    void poll_spotNotice_loggedOnceAndRecorded() throws Exception {
        FakeImds.stubItem(imds, "instance-life-cycle", ok("spot"));
        FakeImds.stubItem(imds, "spot/instance-action", notFound());
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            daemon.poll();
            FakeImds.stubItem(
                    imds,
                    "spot/instance-action",
                    ok("{\"action\": \"terminate\", \"time\": \"2026-11-25T12:02:00Z\"}"));
            daemon.poll();
            daemon.poll();
            assertNotNull(new StateStore(dir.resolve("state")).load().spotInterruption);
        }
        assertEquals(1, occurrences("spot interruption notice for this seed"), log());
        SpotInterruption stored = new StateStore(dir.resolve("state")).load().spotInterruption;
        assertEquals("terminate", stored.action(), "stored as what and when, not escaped JSON");
        assertEquals("2026-11-25T12:02:00Z", stored.detail());
        assertTrue(
                log().contains("spot interruption notice for this seed: EC2 will terminate this seed at 12:02:00 UTC"),
                log());
    }

    /** Issue 22: a notice not in the documented form is kept quoted (once, not escaped twice) and logged once. */
    @Test
    void poll_spotNoticeMalformed_keptQuotedOnce_loggedOnce() throws Exception {
        FakeImds.stubItem(imds, "instance-life-cycle", ok("spot"));
        FakeImds.stubItem(imds, "spot/instance-action", ok("<html>maintenance</html>"));
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            daemon.poll();
            daemon.poll();
        }
        assertEquals(1, occurrences("spot interruption notice for this seed"), log());
        assertTrue(log().contains("could not be read: \"<html>maintenance</html>\""), log());
        SpotInterruption stored = new StateStore(dir.resolve("state")).load().spotInterruption;
        assertNull(stored.action(), "no action could be read");
        assertEquals("\"<html>maintenance</html>\"", stored.detail(), "quoted once");
    }

    /**
     * A daemon that booted on 203.0.113.10 and has just changed to 198.51.100.7 (one reload for the change),
     * with the daemons' address files, still naming the old address, where HTCondor's knobs say they are.
     */
    private SeedDaemon changedWithAddressFiles(Path master, Path schedd, Path collector) throws Exception {
        probeResult.set(ConfigProbe.Result.ok(Map.of(
                "TCP_FORWARDING_HOST",
                "198.51.100.7",
                "MASTER_ADDRESS_FILE",
                master.toString(),
                "SCHEDD_ADDRESS_FILE",
                schedd.toString(),
                "COLLECTOR_ADDRESS_FILE",
                collector.toString())));
        for (Path file : List.of(master, schedd, collector)) {
            Files.writeString(
                    file, "<203.0.113.10:9618?addrs=203.0.113.10-9618&alias=seed&noUDP&sock=x>\n$CondorVersion$\n");
        }
        publicIp("203.0.113.10");
        SeedDaemon daemon = daemon();
        boot(daemon);
        publicIp("198.51.100.7");
        daemon.poll();
        assertEquals(2, reloadCount());
        return daemon;
    }

    @Test
    void poll_collectorLags_oneExtraReloadThenConverged() throws Exception {
        Path master = dir.resolve(".master_address");
        Path schedd = dir.resolve(".schedd_address");
        Path collector = dir.resolve(".collector_address");
        try (SeedDaemon daemon = changedWithAddressFiles(master, schedd, collector)) {
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

    @Test
    void poll_everyAddressFileSwitchesAtTheSharedPortRefresh_oneMoreReloadForTheCollectorsOwnAd() throws Exception {
        Path master = dir.resolve(".master_address");
        Path schedd = dir.resolve(".schedd_address");
        Path collector = dir.resolve(".collector_address");
        try (SeedDaemon daemon = changedWithAddressFiles(master, schedd, collector)) {
            clock.advance(Duration.ofSeconds(296));
            for (Path file : List.of(master, schedd, collector)) {
                Files.writeString(file, "<198.51.100.7:9618?addrs=198.51.100.7-9618&sock=y>\n");
            }
            daemon.poll();
            assertEquals(3, reloadCount(), "converged through the shared-port refresh: one more reload");
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            daemon.poll();
            assertEquals(3, reloadCount(), "only once");
            DaemonState.Advertised advertised = new StateStore(dir.resolve("state")).load().advertised;
            assertTrue(advertised.converged(), advertised.toString());
            assertEquals(
                    296,
                    advertised.convergedAfterSeconds(),
                    "when the address files switched, after the change's reload");
        }
        assertTrue(
                log().contains("(296 s after the reload, through the shared-port refresh); reloading once more"),
                log());
    }

    @Test
    void poll_addressFilesSwitchWithinSeconds_noExtraReload() throws Exception {
        Path master = dir.resolve(".master_address");
        probeResult.set(ConfigProbe.Result.ok(
                Map.of("TCP_FORWARDING_HOST", "198.51.100.7", "MASTER_ADDRESS_FILE", master.toString())));
        Files.writeString(master, "<203.0.113.10:9618?sock=x>\n");
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            daemon.poll();
            Files.writeString(master, "<198.51.100.7:9618?sock=y>\n");
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            daemon.poll();
            assertEquals(2, reloadCount(), "no shared port (or a restart): converged at once, nothing more to do");
        }
    }

    // --- restarts and scheduled events (issue 16) ---------------------------------------------------

    private DaemonState state() throws IOException {
        return new StateStore(dir.resolve("state")).load();
    }

    /** Runs a daemon through boot and a clean stop (SIGTERM), then moves the clock on by {@code down}. */
    private void runAndStopCleanly(BootIdentity boot, Duration down) throws Exception {
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), boot)) {
            boot(daemon);
            daemon.poll();
            daemon.recordCleanStop();
        }
        clock.advance(down);
    }

    private BootIdentity nextBoot(String id) {
        return new BootIdentity(id, clock.instant());
    }

    @Test
    void boot_firstEver_firstBootRecordedAsNotice() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        List<Restart> restarts = state().restarts();
        assertEquals(1, restarts.size());
        assertEquals(RestartKind.FIRST_BOOT, restarts.get(0).kind());
        assertEquals(BOOT_ID, state().bootId);
        assertTrue(log().contains("<5>first boot: first boot of i-0123456789abcdef0 from its image"), log());
    }

    @Test
    void boot_afterCleanStopAndReboot_exactOutageNoticeAndStatusRecord() throws Exception {
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofSeconds(95));
        assertNotNull(state().cleanStop, "SIGTERM records a clean stop");
        clock.advance(Duration.ofSeconds(25)); // the agent starts 25 s into the new boot
        try (SeedDaemon daemon = daemon(
                new SystemProcessRunner(),
                new BootIdentity(
                        "5f0e7a8e-0000-4000-8000-000000000002", clock.instant().minusSeconds(25)))) {
            boot(daemon);
        }
        DaemonState state = state();
        assertNull(state.cleanStop, "cleared at start");
        Restart restart = state.restarts().get(state.restarts().size() - 1);
        assertEquals(RestartKind.REBOOT, restart.kind());
        assertEquals(Outage.Basis.CLEAN_STOP, restart.outage().basis());
        assertEquals(Duration.ofSeconds(95), restart.outage().atMost());
        assertEquals(Restart.Verdict.HARMLESS, restart.verdict());
        assertTrue(log().contains("<5>the seed restarted (a reboot): a reboot of i-0123456789abcdef0"), log());
    }

    /**
     * A boot whose sync fails after the instance was read (the fragment's directory is gone) still tells the restart
     * by the instance's id: a reboot, not an unknown "restart" (found by review of the daemon's split).
     */
    @Test
    void boot_syncFailsAfterTheInstanceWasRead_restartStillToldByTheInstance() throws Exception {
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofSeconds(95));
        Path elsewhere = dir.resolve("gone/config.d/50-seed-agent.conf");
        settings.put(ConfigKey.FRAGMENT_PATH, elsewhere.toString());
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), nextBoot("5f0e7a8e-0000-4000-8000-000000000002"))) {
            boot(daemon);
        }
        DaemonState state = state();
        assertTrue(state.bootSync.failed(), state.bootSync.toString());
        Restart restart = state.restarts().get(state.restarts().size() - 1);
        assertEquals(RestartKind.REBOOT, restart.kind(), restart.summary());
    }

    @Test
    void boot_afterStopStartWithNewAddress_warningNamesOldAddress() throws Exception {
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofMinutes(10));
        publicIp("198.51.100.7");
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), nextBoot("5f0e7a8e-0000-4000-8000-000000000002"))) {
            boot(daemon);
        }
        Restart restart = state().restarts().get(1);
        assertEquals(RestartKind.STOP_START, restart.kind());
        assertEquals(Restart.Verdict.LOST, restart.verdict());
        assertTrue(restart.addressChanged());
        assertTrue(
                log().contains("<4>the seed restarted (a stop/start): a stop/start of i-0123456789abcdef0 (its public"
                        + " address changed from 203.0.113.10 to 198.51.100.7)"),
                log());
        assertTrue(log().contains("old collector address 203.0.113.10 and will not rejoin"), log());
    }

    @Test
    void poll_afterStopStartWithNewAddress_onAnHtcondorAnnexSeed_restartSentenceNamesTheStrandedAnnexes()
            throws Exception {
        hpcAnnex = true;
        Path calls = condorQ("0", "3 annex-one 203.0.113.10:9618?sock=ap_collector\n");
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofMinutes(10));
        publicIp("198.51.100.7");
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), nextBoot("5f0e7a8e-0000-4000-8000-000000000002"))) {
            boot(daemon);
            daemon.poll();
            daemon.poll();
        }
        assertEquals(1, lines(calls).size(), "one condor_q for the change the stop/start brought");
        Restart restart = state().restarts().get(1);
        assertEquals(RestartKind.STOP_START, restart.kind());
        assertTrue(
                restart.summary().endsWith("; the htcondor annex requests given 203.0.113.10: annex-one (job 3)"),
                restart.summary());
        assertTrue(
                restart.remedy()
                        .startsWith("replace those annexes (`htcondor annex shutdown NAME`, then `htcondor"
                                + " annex create`); find those annex nodes"),
                restart.remedy());
    }

    @Test
    void boot_agentRestartedWithinTheSameBoot_noRestartRecorded() throws Exception {
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofSeconds(5));
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
        }
        assertEquals(1, state().restarts().size(), "only the first boot: " + state().restarts());
    }

    @Test
    void boot_crashThenLongOutage_leaseFromPreflight_workLost() throws Exception {
        probeResult.set(ConfigProbe.Result.ok(
                Map.of("TCP_FORWARDING_HOST", "203.0.113.10", "JOB_DEFAULT_LEASE_DURATION", "600")));
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), new BootIdentity(BOOT_ID, clock.instant()))) {
            boot(daemon);
            daemon.poll(); // then the power goes: no clean stop
        }
        clock.advance(Duration.ofMinutes(30));
        int probesBefore = probeRuns.get();
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), nextBoot("5f0e7a8e-0000-4000-8000-000000000002"))) {
            boot(daemon);
        }
        assertEquals(1, probeRuns.get() - probesBefore, "the lease comes from the boot's one pre-flight");
        Restart restart = state().restarts().get(1);
        assertEquals(Outage.Basis.HEARTBEAT, restart.outage().basis());
        assertEquals(600, restart.leaseSeconds());
        assertEquals(Restart.Verdict.LOST, restart.verdict());
        assertTrue(log().contains("longer than the job lease of 600 s (JOB_DEFAULT_LEASE_DURATION)"), log());
    }

    @Test
    void boot_metadataDown_outageStillComputedFromLocalRecords() throws Exception {
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofSeconds(200));
        FakeImds.stubItem(imds, "public-ipv4", serviceUnavailable());
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), nextBoot("5f0e7a8e-0000-4000-8000-000000000002"))) {
            boot(daemon);
        }
        Restart restart = state().restarts().get(1);
        assertEquals(RestartKind.RESTART, restart.kind());
        assertEquals(Duration.ofSeconds(200), restart.outage().atMost());
    }

    @Test
    void boot_condorConfigValBroken_leaseSaidUnreadable() throws Exception {
        publicIp("203.0.113.10");
        runAndStopCleanly(new BootIdentity(BOOT_ID, clock.instant()), Duration.ofSeconds(60));
        probeResult.set(
                ConfigProbe.Result.broken("cannot run /usr/bin/condor_config_val: No such file or directory", null));
        try (SeedDaemon daemon = daemon(new SystemProcessRunner(), nextBoot("5f0e7a8e-0000-4000-8000-000000000002"))) {
            boot(daemon);
        }
        Restart restart = state().restarts().get(1);
        assertEquals("unreadable", restart.leaseSource());
        assertTrue(
                restart.summary()
                        .contains("the job lease, assumed to be HTCondor's default of 2400 s (it could not be"
                                + " read: cannot run /usr/bin/condor_config_val: No such file or directory)"),
                restart.summary());
    }

    @Test
    void poll_scheduledEvent_loggedOnceReadAtMostEveryFiveMinutes() throws Exception {
        publicIp("203.0.113.10");
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            FakeImds.stubItem(
                    imds,
                    "events/maintenance/scheduled",
                    ok(
                            "[{\"Code\":\"instance-stop\",\"EventId\":"
                                    + "\"instance-event-0abc\",\"NotBefore\":\"5 Jan 2025 02:00:00 GMT\",\"State\":\"active\"}]"));
            for (int i = 0; i < 12; i++) {
                clock.advance(Duration.ofSeconds(60));
                daemon.poll();
            }
            int eventReads = imds.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                            com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                                    "/latest/meta-data/events/maintenance/scheduled")))
                    .size();
            assertEquals(3, eventReads, "at boot, then every 5 minutes over 12 polls a minute apart");
            assertEquals(
                    "instance-stop", state().scheduledEvents.events().get(0).code());
        }
        assertEquals(
                1,
                occurrences("<4>EC2 scheduled an event for this seed: instance-stop (instance-event-0abc, active)"),
                log());
    }

    /** The checks get the events the daemon's own watch has just read, so a boot or a change reads them once. */
    @Test
    void checks_getTheEventsJustRead_notReadTwice() throws Exception {
        publicIp("203.0.113.10");
        FakeImds.stubItem(
                imds,
                "events/maintenance/scheduled",
                ok("[{\"Code\":\"instance-stop\",\"EventId\":"
                        + "\"instance-event-0abc\",\"NotBefore\":\"5 Jan 2025 02:00:00 GMT\",\"State\":\"active\"}]"));
        List<List<ScheduledEvent>> given = new ArrayList<>();
        CheckSuite checks = new CheckSuite() {
            @Override
            public List<CheckResult> run(AgentConfig c, CondorEvaluation condor, InstanceMetadata metadata) {
                throw new AssertionError("the daemon passes the events it read");
            }

            @Override
            public List<CheckResult> run(
                    AgentConfig c,
                    CondorEvaluation condor,
                    InstanceMetadata metadata,
                    AddressFact elasticIp,
                    List<ScheduledEvent> eventsRead) {
                given.add(eventsRead);
                return List.of(new CheckResult("scheduled-events", Area.INSTANCE, Severity.WARNING, "an event", null));
            }
        };
        try (SeedDaemon daemon = daemon(
                new SystemProcessRunner(),
                new BootIdentity(BOOT_ID, clock.instant().minusSeconds(30)),
                checks)) {
            boot(daemon);
            assertEquals(1, given.size(), "checks at boot");
            assertNotNull(given.get(0), "the checks at boot were given the list the watch had read");
            assertEquals("instance-stop", given.get(0).get(0).code(), "the list the watch read at boot");

            publicIp("198.51.100.7"); // a change, 1 min later: the list is still fresh
            clock.advance(Duration.ofSeconds(60));
            daemon.poll();
            assertEquals(2, given.size(), "checks after the change");
            assertEquals(given.get(0), given.get(1));
            assertEquals(1, eventReads(), "read once, by the watch at boot; the checks did not ask");

            // The watch's read fails: the checks get nothing and would read for themselves.
            FakeImds.stubItem(imds, "events/maintenance/scheduled", ok("<html>oops</html>"));
            publicIp("198.51.100.8");
            clock.advance(Duration.ofMinutes(6));
            daemon.poll();
            assertEquals(3, given.size());
            assertNull(given.get(2));
        }
    }

    private int eventReads() {
        return imds.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                                "/latest/meta-data/events/maintenance/scheduled")))
                .size();
    }

    @Test
    void poll_scheduledEventsGarbage_warnedOnceKeepsPolling() throws Exception {
        publicIp("203.0.113.10");
        FakeImds.stubItem(imds, "events/maintenance/scheduled", ok("<html>oops</html>"));
        try (SeedDaemon daemon = daemon()) {
            boot(daemon);
            publicIp("198.51.100.7");
            clock.advance(Duration.ofMinutes(6));
            daemon.poll();
            assertEquals("198.51.100.7", hostInFragment(), "the address poll goes on");
            assertNotNull(state().scheduledEvents.error());
        }
        assertEquals(
                1,
                occurrences("cannot read the scheduled maintenance events: events/maintenance/scheduled: not JSON"),
                log());
    }
}
