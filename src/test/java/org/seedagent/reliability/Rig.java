package org.seedagent.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigException;
import org.seedagent.config.ConfigKey;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.fragment.Fragment;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.testing.Dist;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.RecordingSleeper;

/**
 * One seed on a scratch directory, for driving the real {@link SeedDaemon} step by step: an HTCondor
 * configuration read by the fake {@code condor_config_val} (HTCondor's parser stand-in, used by the
 * daemon's own pre-flight), a recording reload script, a fake clock and sleeper (back-off costs no
 * time), and the agent's log captured with journald priority prefixes so lines can be counted.
 *
 * <p>The daemon is built with {@link SeedDaemon#create}, i.e. with the production pre-flight and settings
 * checks: nothing in the daemon is replaced but time, the metadata endpoint and HTCondor's tools.
 */
final class Rig implements AutoCloseable {
    final Path dir;
    final Path configDir;
    final Path fragment;
    final Path stateDir;
    final Path condorConfig;
    final Path condorConfigVal;
    final Path reloads;
    final Path reloadScript;
    final FakeClock clock = new FakeClock();
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final Map<ConfigKey, String> settings = new EnumMap<>(ConfigKey.class);
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    Rig(Path dir, URI endpoint) throws IOException {
        Files.createDirectories(dir);
        this.dir = dir;
        configDir = Files.createDirectories(dir.resolve("config.d"));
        fragment = configDir.resolve("50-seed-agent.conf");
        stateDir = dir.resolve("state");
        condorConfig = dir.resolve("condor_config");
        Path password = dir.resolve("pool_password");
        Files.writeString(password, "pool-password-f00dcafe\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(
                condorConfig,
                String.join(
                        "\n",
                        "# A healthy seed as the original recipe builds it, reduced to what the agent and its checks read.",
                        "LOCAL_CONFIG_DIR = " + configDir,
                        "use ROLE: CentralManager",
                        "use ROLE: Submit",
                        "COLLECTOR_HOST = $(TCP_FORWARDING_HOST):9618",
                        "SEC_PASSWORD_FILE = " + password,
                        "SEC_DAEMON_AUTHENTICATION = REQUIRED",
                        "SEC_DAEMON_INTEGRITY = REQUIRED",
                        "SEC_DAEMON_AUTHENTICATION_METHODS = PASSWORD",
                        "ALLOW_DAEMON = condor_pool@*",
                        ""));
        condorConfigVal = Dist.fakeCondorConfigVal(dir, condorConfig);
        reloads = dir.resolve("reloads.log");
        reloadScript = script("record-reload", "#!/bin/sh\necho reload >> " + reloads + "\n");
        LogSettings.get().setOutput(new PrintStream(logs, true, StandardCharsets.UTF_8), true);
        LogSettings.get().setLevel(Level.INFO);
        if (endpoint != null) {
            settings.put(ConfigKey.METADATA_ENDPOINT, endpoint.toString());
        }
        settings.put(ConfigKey.METADATA_DEADLINE, "2s");
        settings.put(ConfigKey.METADATA_REQUEST_TIMEOUT, "500ms");
        settings.put(ConfigKey.FRAGMENT_PATH, fragment.toString());
        settings.put(ConfigKey.STATE_DIRECTORY, stateDir.toString());
        settings.put(ConfigKey.RELOAD_METHOD, "command");
        settings.put(ConfigKey.RELOAD_COMMAND, reloadScript.toString());
        settings.put(ConfigKey.CONDOR_CONFIG_VAL, condorConfigVal.toString());
        settings.put(ConfigKey.CONDOR_TIMEOUT, "10s");
        settings.put(ConfigKey.POLL_INTERVAL, "60s");
    }

    Rig set(ConfigKey key, String value) {
        settings.put(key, value);
        return this;
    }

    AgentConfig config() throws ConfigException {
        return new AgentConfigLoader().fromValues(null, settings);
    }

    /** The production daemon (real pre-flight and checks) on this rig's configuration. */
    SeedDaemon daemon() throws ConfigException {
        // systemctl as on a seed (both units enabled): this host runs no systemd, and the restart-readiness
        // checks would otherwise report it in every scenario's count of problem lines.
        return SeedDaemon.create(
                config(),
                clock,
                org.seedagent.testing.FakeSystemctl.seed(),
                s -> new ImdsMetadataSource(s, clock, sleeper),
                "reliability-test",
                4242);
    }

    /** Polls {@code n} times, a poll interval apart on the fake clock; returns the last summary. */
    String poll(SeedDaemon daemon, int n) throws InterruptedException {
        String summary = null;
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(60));
            summary = daemon.poll();
        }
        return summary;
    }

    Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    // --- what is on disk ------------------------------------------------------------------------

    byte[] fragmentBytes() throws IOException {
        return Files.exists(fragment, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(fragment, LinkOption.NOFOLLOW_LINKS)
                ? Files.readAllBytes(fragment)
                : null;
    }

    String fragmentHost() throws IOException {
        byte[] bytes = fragmentBytes();
        return bytes == null ? null : Fragment.forwardingHostIn(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code bytes} are exactly a complete fragment this agent renders (with or without the
     * instance id), for a valid dotted quad: never a partial, empty or foreign file.
     */
    static boolean isCompleteFragment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return false;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String host = Fragment.forwardingHostIn(text);
        if (host == null || !Ipv4Address.isValid(host)) {
            return false;
        }
        for (Fragment.AddressKind kind : Fragment.AddressKind.values()) {
            for (String id : new String[] {null, "i-0123456789abcdef0"}) {
                if (new Fragment(Ipv4Address.parse(host), kind, id).text().equals(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String render(String ip) {
        return new Fragment(Ipv4Address.parse(ip), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0").text();
    }

    int reloadCount() throws IOException {
        return Files.exists(reloads) ? Files.readAllLines(reloads).size() : 0;
    }

    /** Dot-temp files (ours: {@code .NAME.*.tmp}) in the fragment's and the state's directory. */
    List<Path> tempFiles() throws IOException {
        List<Path> temps = new ArrayList<>();
        for (Path d : List.of(configDir, stateDir)) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                files.filter(p -> p.getFileName().toString().matches("\\..+\\.[0-9a-f]+\\.tmp"))
                        .forEach(temps::add);
            }
        }
        return temps;
    }

    /** What HTCondor's parser (the fake condor_config_val) says TCP_FORWARDING_HOST is; fails on a parse error. */
    String condorSays() throws IOException, InterruptedException {
        ProcessResult result = new SystemProcessRunner()
                .run(List.of(condorConfigVal.toString(), "TCP_FORWARDING_HOST"), Duration.ofSeconds(30));
        if (result.exitCode() != 0) {
            throw new AssertionError("HTCondor's parser rejects the configuration: " + result.stderr());
        }
        return result.stdout().strip();
    }

    // --- the log ----------------------------------------------------------------------------------

    String log() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    /** A position in the log, for {@link #linesSince}. */
    int mark() {
        return log().length();
    }

    List<String> linesSince(int mark) {
        return log().substring(mark).lines().toList();
    }

    /** Lines at warning or error priority (journald prefixes {@code <3>}, {@code <4>}) since {@code mark}. */
    List<String> problemsSince(int mark) {
        return linesSince(mark).stream()
                .filter(l -> l.startsWith("<3>") || l.startsWith("<4>"))
                .toList();
    }

    long count(String text) {
        return log().lines().filter(l -> l.contains(text)).count();
    }

    @Override
    public void close() {
        LogSettings.get().setOutput(System.err, false);
    }

    /** As DaemonRunner does: the boot sync, READY=1, then any reload the boot sync deferred. */
    static String bootAndReady(SeedDaemon daemon) throws InterruptedException {
        String status = daemon.boot();
        daemon.afterReady();
        return status;
    }
}
