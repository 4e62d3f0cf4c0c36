package org.seedagent.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.checks.Area;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.condor.FakeCondor;
import org.seedagent.config.ReloadMethod;
import org.seedagent.fragment.Fragment;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.state.BootSyncOutcome;
import org.seedagent.state.DaemonState;
import org.seedagent.state.InstanceRecord;
import org.seedagent.state.LastReload;
import org.seedagent.state.Poll;
import org.seedagent.state.StateStore;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.sync.SyncResult;

/**
 * A seed's files under a temporary directory standing for {@code /}: HTCondor's configuration (read by
 * the fake {@code condor_config_val}, run as a real child process), seed-agent's fragment and state file,
 * the daemons' address files, and the agent's own configuration. {@link #healthy} makes a seed that has
 * been running for two hours; tests then break one thing. {@link #display} turns the temporary paths
 * back into the real ones, so output can be compared with golden files.
 */
public final class SeedTree {
    public static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    public static final Instant BOOT = Instant.parse("2025-01-01T09:59:30Z");
    public static final Instant STARTED = Instant.parse("2025-01-01T10:00:00Z");
    public static final Instant CHANGED = Instant.parse("2025-01-01T10:00:05Z");
    public static final String ADDRESS = "203.0.113.10";
    public static final String OLD_ADDRESS = "198.51.100.23";
    public static final String INSTANCE_ID = "i-0123456789abcdef0";

    public final Path root;
    public final Path fragment;
    public final Path stateDirectory;
    public final Path agentConfig;
    public final Path condorConfig;
    public final Path configDir;
    public final Path masterAddress;
    public final Path scheddAddress;
    public final Path collectorAddress;
    public final Path condorConfigVal;
    public final DaemonState state = new DaemonState();
    private final Map<String, String> agentSettings = new LinkedHashMap<>();

    public SeedTree(Path root) throws IOException {
        this.root = root;
        configDir = root.resolve("etc/condor/config.d");
        fragment = configDir.resolve("50-seed-agent.conf");
        condorConfig = root.resolve("etc/condor/condor_config");
        stateDirectory = root.resolve("var/lib/seed-agent");
        agentConfig = root.resolve("etc/seed-agent/seed-agent.conf");
        masterAddress = root.resolve("var/log/condor/.master_address");
        collectorAddress = root.resolve("var/log/condor/.collector_address");
        scheddAddress = root.resolve("var/lib/condor/spool/.schedd_address");
        for (Path dir : List.of(
                configDir,
                stateDirectory,
                agentConfig.getParent(),
                masterAddress.getParent(),
                scheddAddress.getParent())) {
            Files.createDirectories(dir);
        }
        // The original seed recipe, with its paths under root.
        Files.writeString(condorConfig, """
                RELEASE_DIR = /usr
                LOCAL_DIR = %1$s/var/lib/condor
                LOCAL_CONFIG_DIR = %1$s/etc/condor/config.d
                LOG = %1$s/var/log/condor
                DAEMON_LIST = MASTER COLLECTOR SCHEDD STARTD NEGOTIATOR
                CONDOR_HOST = $(FULL_HOSTNAME)
                MASTER_ADDRESS_FILE = $(LOG)/.master_address
                COLLECTOR_ADDRESS_FILE = $(LOG)/.collector_address
                SCHEDD_ADDRESS_FILE = $(SPOOL)/.schedd_address
                TCP_FORWARDING_HOST = $(EC2PublicIP)
                COLLECTOR_HOST = $(TCP_FORWARDING_HOST):9618
                """.formatted(root));
        condorConfigVal = FakeCondor.install(
                root.resolve("usr/bin"), Path.of("/"), Map.of("CONDOR_CONFIG", condorConfig.toString()));
        setting("condor.config-val", condorConfigVal.toString());
        setting("fragment.path", fragment.toString());
        setting("state.directory", stateDirectory.toString());
        setting("condor.timeout", "20s");
    }

    /** A seed whose agent started at 10:00 on this boot, synced at once, and polls every minute; now is 12:00. */
    public static SeedTree healthy(Path root) throws IOException {
        SeedTree seed = new SeedTree(root);
        seed.writeFragment(ADDRESS);
        seed.advertise(ADDRESS, ADDRESS, ADDRESS);
        DaemonState s = seed.state;
        s.version = "1.0.0";
        s.pid = 4242;
        s.startedAt = STARTED;
        s.heartbeat = NOW.minusSeconds(20);
        s.bootSync = new BootSyncOutcome(
                CHANGED,
                SyncResult.Action.WRITTEN,
                "wrote " + seed.display(seed.fragment.toString()) + ": TCP_FORWARDING_HOST = " + ADDRESS);
        s.currentAddress = ADDRESS;
        s.addressKind = AddressKind.PUBLIC;
        s.addressSince = CHANGED;
        s.fragmentPath = seed.fragment.toString();
        s.fragmentSha256 = sha256(seed.fragmentText(ADDRESS));
        s.lastPoll = Poll.ok(NOW.minusSeconds(20), "unchanged: TCP_FORWARDING_HOST = " + ADDRESS);
        s.lastSuccess = NOW.minusSeconds(20);
        s.lastReload =
                new LastReload(CHANGED, LastReload.Result.DONE, ReloadMethod.RELOAD, "systemctl reload condor.service");
        s.advertised = new DaemonState.Advertised(
                CHANGED.plusSeconds(300),
                ADDRESS,
                Map.of("master", ADDRESS, "schedd", ADDRESS, "collector", ADDRESS),
                true,
                300L);
        s.setChecks(List.of(
                check("central-manager", "central-manager", "ok", "DAEMON_LIST runs COLLECTOR and NEGOTIATOR", null),
                check("submit-node", "submit-node", "ok", "DAEMON_LIST runs SCHEDD", null),
                check(
                        "forwarding-in-effect",
                        "networking",
                        "ok",
                        "TCP_FORWARDING_HOST = " + ADDRESS + ", the public IP, from seed-agent's fragment",
                        null),
                check("password-file", "security", "ok", "the pool password file is root's, mode 0600", null),
                check(
                        "job-lease",
                        "submit-node",
                        "info",
                        "JOB_DEFAULT_LEASE_DURATION is 2400 s",
                        "running jobs survive a schedd restart shorter than this")));
        s.checksAt = CHANGED.plusSeconds(2);
        s.instance = new InstanceRecord(INSTANCE_ID, "m6i.large", "us-east-1", "on-demand", "172.31.16.20");
        s.recordChange(new DaemonState.Change(Instant.parse("2024-12-30T08:00:00Z"), null, OLD_ADDRESS));
        s.recordChange(new DaemonState.Change(CHANGED, OLD_ADDRESS, ADDRESS));
        seed.saveState();
        return seed;
    }

    public static CheckResult check(String id, String area, String severity, String finding, String remedy) {
        return new CheckResult(id, Area.fromJsonName(area), Severity.fromJsonName(severity), finding, remedy);
    }

    /** {@code results} and one more. */
    public static List<CheckResult> plus(List<CheckResult> results, CheckResult one) {
        List<CheckResult> all = new ArrayList<>(results);
        all.add(one);
        return all;
    }

    public String fragmentText(String address) {
        return new Fragment(Ipv4Address.parse(address), Fragment.AddressKind.PUBLIC, INSTANCE_ID).text();
    }

    public void writeFragment(String address) throws IOException {
        Files.writeString(fragment, fragmentText(address), StandardCharsets.UTF_8);
    }

    /** Writes the address files of the master, schedd and collector (null: no file). */
    public void advertise(String master, String schedd, String collector) throws IOException {
        addressFile(masterAddress, master, "master_1644_8a31");
        addressFile(scheddAddress, schedd, "schedd_1680_2b7c");
        addressFile(collectorAddress, collector, "collector_1650_77e0");
    }

    private static void addressFile(Path file, String host, String sock) throws IOException {
        if (host == null) {
            Files.deleteIfExists(file);
            return;
        }
        Files.writeString(
                file,
                "<" + host + ":9618?addrs=" + host + "-9618&alias=seed.example&noUDP&sock=" + sock
                        + ">\n$CondorVersion: 24.0.23 2025-01-01 $\n$CondorPlatform: X86_64-Rocky_9 $\n");
    }

    /** A file read by HTCondor after the fragment that sets {@code TCP_FORWARDING_HOST} itself. */
    public void overrideForwarding(String address) throws IOException {
        Files.writeString(
                configDir.resolve("99-local"), "# Added by hand long ago\nTCP_FORWARDING_HOST = " + address + "\n");
    }

    public void saveState() throws IOException {
        new StateStore(stateDirectory).save(state);
    }

    public Path stateFile() {
        return new StateStore(stateDirectory).file();
    }

    /** Sets {@code key = value} in the agent's configuration file. */
    public void setting(String key, String value) throws IOException {
        agentSettings.put(key, value);
        StringBuilder text = new StringBuilder();
        agentSettings.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(agentConfig, text, StandardCharsets.UTF_8);
    }

    /** {@code text} with the temporary root removed: the paths as they are on a real seed. */
    public String display(String text) {
        return text.replace(root.toString(), "");
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs child processes for real (the fake condor_config_val), except {@code systemctl}, which answers
     * like {@code systemctl show} with {@link #systemctl}; records every command.
     */
    public static final class Processes implements ProcessRunner {
        /** What {@code systemctl} does: answer, or throw as when it is not installed. */
        public interface Systemctl {
            ProcessResult answer(List<String> command) throws IOException;
        }

        public final List<List<String>> commands = new ArrayList<>();
        public Systemctl systemctl = command -> running();
        private final ProcessRunner real = new SystemProcessRunner();

        @Override
        public ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException {
            commands.add(List.copyOf(command));
            if (command.get(0).equals("systemctl")) {
                return systemctl.answer(command);
            }
            return real.run(command, timeout);
        }

        public long launches(String program) {
            return commands.stream().filter(c -> c.get(0).endsWith(program)).count();
        }

        /** {@code systemctl show} of the running unit (systemd prints properties in its own order). */
        public static ProcessResult running() {
            return show(
                    "active",
                    "running",
                    4242,
                    "Wed 2025-01-01 10:00:00 UTC",
                    "TCP_FORWARDING_HOST = " + ADDRESS + " (public IPv4)");
        }

        public static ProcessResult show(String active, String sub, long pid, String since, String statusText) {
            // As systemctl show prints the properties asked for: Result too (exit-code after a failed exit).
            return new ProcessResult(
                    0,
                    "Result=" + ("failed".equals(active) ? "exit-code" : "success") + "\nMainPID="
                            + pid + "\nStatusText=" + statusText + "\nLoadState=loaded\n" + "ActiveState=" + active
                            + "\nSubState=" + sub + "\nActiveEnterTimestamp=" + since + "\n",
                    "",
                    false);
        }

        /** A host without systemd as PID 1 (a container): what systemctl really prints there. */
        public static ProcessResult notBootedWithSystemd() {
            return new ProcessResult(
                    1,
                    "",
                    "System has not been booted with systemd as init system (PID 1). Can't operate.\n"
                            + "Failed to connect to bus: Host is down\n",
                    false);
        }

        /** No systemctl at all: what ProcessBuilder throws. */
        public static ProcessResult absent() throws IOException {
            throw new IOException("Cannot run program \"systemctl\": error=2, No such file or directory");
        }
    }
}
