package org.seedagent.realcondor;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.seedagent.support.ProcessResult;
import org.seedagent.testing.Dist;

/**
 * The real seed-agent through its launcher, inside the pool's namespace: {@code seed-agent emulator} as the
 * instance metadata service (on the namespace's own 127.0.0.1, so its port is free by construction), and
 * {@code seed-agent run} with a config file naming temp paths, the real condor_config_val, and the pool's
 * {@code systemctl} stand-in first on its PATH. Its standard error (journald-style lines, {@code <N>}
 * prefixes, as under systemd) goes to {@link #log()}. {@link #close()} stops both by PID.
 */
public final class SeedAgent implements AutoCloseable {
    /** The emulator's port inside the namespace. */
    static final int METADATA_PORT = 8169;

    /** The agent's settings that differ between scenarios; a null reload method: the agent's default. */
    public record Settings(String reloadMethod, Duration pollInterval) {
        public static Settings defaults() {
            return new Settings(null, Duration.ofSeconds(1));
        }

        public static Settings reload() {
            return new Settings("reload", Duration.ofSeconds(1));
        }

        public static Settings restart() {
            return new Settings("restart", Duration.ofSeconds(1));
        }
    }

    private final NetNamespace namespace;
    private final SeedPool pool;
    private final Path dir;
    private final Path config;
    private final Process emulator;
    private Process agent;

    private SeedAgent(NetNamespace namespace, SeedPool pool, Path dir, Path config, Process emulator) {
        this.namespace = namespace;
        this.pool = pool;
        this.dir = dir;
        this.config = config;
        this.emulator = emulator;
    }

    /** Writes the agent's configuration and starts the metadata emulator answering {@code publicIp}. */
    public static SeedAgent prepare(NetNamespace namespace, SeedPool pool, Path dir, Settings settings, String publicIp)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("seed-agent.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "metadata.endpoint = http://127.0.0.1:" + METADATA_PORT,
                        "metadata.deadline = 10s",
                        "fragment.path = " + pool.fragment(),
                        "state.directory = " + dir.resolve("state"),
                        "poll.interval = " + settings.pollInterval().toMillis() + "ms",
                        settings.reloadMethod() == null
                                ? "# reload.method: the default"
                                : "reload.method = " + settings.reloadMethod(),
                        "condor.unit = condor.service",
                        "condor.config-val = " + RealHtcondor.program("condor_config_val"),
                        "condor.timeout = 60s",
                        "advertise.timeout = 10m",
                        ""));
        Process emulator = namespace
                .builder(List.of(
                        Dist.launcher().toString(),
                        "emulator",
                        "--port",
                        Integer.toString(METADATA_PORT),
                        "--public-ip",
                        publicIp))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("emulator.log").toFile())
                .start();
        SeedAgent agent = new SeedAgent(namespace, pool, dir, config, emulator);
        try {
            pool.await(
                    "the metadata emulator answers",
                    Duration.ofSeconds(60),
                    () -> emulator.isAlive()
                            && agent.curl(
                                            "-X",
                                            "PUT",
                                            "-H",
                                            "X-aws-ec2-metadata-token-ttl-seconds: 60",
                                            "http://127.0.0.1:" + METADATA_PORT + "/latest/api/token")
                                    .succeeded());
        } catch (AssertionError e) {
            agent.close();
            throw new AssertionError(
                    e.getMessage() + "\n--- emulator.log:\n" + SeedPool.tail(dir.resolve("emulator.log"), 20), e);
        }
        return agent;
    }

    public Path configFile() {
        return config;
    }

    public Path stateFile() {
        return dir.resolve("state/state.json");
    }

    /** {@code seed-agent run}, inside the namespace, as its unit would run it. */
    public void start() throws IOException {
        ProcessBuilder builder = namespace
                .builder(List.of(Dist.launcher().toString(), "--config", config.toString(), "run"))
                .redirectOutput(dir.resolve("agent.stdout").toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("agent.log").toFile()));
        builder.environment().putAll(environment());
        // As under systemd: journald-style priority prefixes on every line.
        builder.environment().put("JOURNAL_STREAM", "8:12345");
        agent = builder.start();
    }

    public long pid() {
        return agent.pid();
    }

    public boolean alive() {
        return agent != null && agent.isAlive();
    }

    /** What the agent's tools see: CONDOR_CONFIG, and the systemctl stand-in first on PATH. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(pool.environment());
        env.put("PATH", pool.systemctlDirectory() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** Makes the emulator answer {@code address} for public-ipv4 from now on. */
    public void setPublicIp(String address) throws IOException, InterruptedException {
        ProcessResult put = curl(
                "-X",
                "PUT",
                "--data",
                address,
                "http://127.0.0.1:" + METADATA_PORT + "/emulator/meta-data/public-ipv4");
        if (!put.succeeded()) {
            throw new IOException("curl PUT public-ipv4 " + address + ": " + put.stderr() + put.stdout());
        }
    }

    private ProcessResult curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-f", "--max-time", "5"));
        command.addAll(List.of(args));
        return namespace.run(Map.of(), command);
    }

    /** state.json as the agent last wrote it, or an empty map before the first write. */
    public Map<String, Object> state() throws IOException {
        if (!Files.exists(stateFile())) {
            return Map.of();
        }
        return JSON.std.mapFrom(Files.readString(stateFile(), StandardCharsets.UTF_8));
    }

    /** Waits until the boot sync is recorded in state.json; returns the time it took. */
    public Duration awaitBootSync(Duration timeout) throws IOException, InterruptedException {
        try {
            return pool.await("seed-agent's boot sync", timeout, () -> {
                if (!alive()) {
                    throw new IllegalStateException("seed-agent exited " + agent.exitValue());
                }
                return state().get("boot_sync") != null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n--- agent.log:\n" + SeedPool.tail(dir.resolve("agent.log"), 40), e);
        }
    }

    /** {@code seed-agent status --format json}, run as an administrator would, inside the namespace. */
    public Command status() throws IOException, InterruptedException {
        return command("status", "--format", "json");
    }

    /** {@code seed-agent status --long --format json}: also asks the queue for stranded annex requests. */
    public Command statusLong() throws IOException, InterruptedException {
        return command("status", "--long", "--format", "json");
    }

    /** {@code seed-agent status --long} as text, as an administrator reads it. */
    public ProcessResult statusLongText() throws IOException, InterruptedException {
        return namespace.run(
                environment(), List.of(Dist.launcher().toString(), "--config", config.toString(), "status", "--long"));
    }

    /** {@code seed-agent check --format json} with the agent's config, inside the namespace. */
    public Command check() throws IOException, InterruptedException {
        return command("check", "--format", "json");
    }

    /** A finished run of the real program: exit code and its JSON document. */
    public record Command(int exitCode, Map<String, Object> json, String stdout, String stderr) {}

    private Command command(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Dist.launcher().toString(), "--config", config.toString()));
        command.addAll(List.of(args));
        ProcessResult result = namespace.run(environment(), command);
        Map<String, Object> json;
        try {
            json = JSON.std.mapFrom(result.stdout());
        } catch (IOException e) {
            throw new AssertionError(
                    "seed-agent " + String.join(" ", args) + " exited " + result.exitCode() + " without JSON: "
                            + result.stdout() + result.stderr(),
                    e);
        }
        return new Command(result.exitCode(), json, result.stdout(), result.stderr());
    }

    /** The agent's log so far (standard error of seed-agent run). */
    public String log() throws IOException {
        Path log = dir.resolve("agent.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the log has a line containing {@code text}; returns that line. */
    public String awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        String[] found = new String[1];
        try {
            pool.await("seed-agent logs \"" + text + "\"", timeout, () -> {
                found[0] =
                        log().lines().filter(l -> l.contains(text)).findFirst().orElse(null);
                return found[0] != null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "\n--- agent.log:\n" + SeedPool.tail(dir.resolve("agent.log"), 40), e);
        }
        return found[0];
    }

    /** What to attach to a failure. */
    public String diagnostics() {
        return "\n--- agent.log:\n" + SeedPool.tail(dir.resolve("agent.log"), 40);
    }

    /** Stops the agent (SIGTERM, as systemd does, then SIGKILL after a bounded wait) and the emulator. */
    @Override
    public void close() {
        for (Process process : new Process[] {agent, emulator}) {
            if (process == null) {
                continue;
            }
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
