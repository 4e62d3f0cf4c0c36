package org.seedagent.cli;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.seedagent.config.AgentConfig;
import org.seedagent.daemon.DaemonRunner;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.daemon.Signals;
import org.seedagent.logging.LogSettings;
import org.seedagent.systemd.Notifier;
import org.seedagent.systemd.SystemdNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code seed-agent run}: the systemd service. Boot sync, READY=1, then watch and reload. */
final class RunCommand implements Command {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "the daemon (systemd service): sync at boot, then watch for changes and reload HTCondor";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent run [--config FILE]

                The systemd service (seed-agent.service, Type=notify). Writes the fragment before HTCondor
                starts and only then reports READY=1; if the metadata service does not answer within
                metadata.deadline it applies boot.on-unavailable and reports READY=1 anyway, so HTCondor is
                never held back. Then polls every poll.interval, rewrites the fragment when the address
                changes (or the file was deleted or edited), checks that HTCondor still parses its whole
                configuration, reloads HTCondor (reload.method), and follows the address the daemons
                advertise. State for `seed-agent status` goes to state.directory/state.json.

                Signals: SIGTERM/SIGINT stop (exit 0); SIGHUP re-reads the configuration and uses it if valid.
                Exit codes: 0 stopped, 78 configuration error at start.
                """;
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        Arguments.none(name(), arguments);
        Optional<AgentConfig> loaded = context.validConfig(why -> log.error("{}", why));
        if (loaded.isEmpty()) {
            return ExitCode.CONFIG;
        }
        AgentConfig config = loaded.get();
        LogSettings.get().setLevel(config.logLevel());
        log.info(
                "seed-agent {} starting (configuration: {})",
                Main.version(),
                config.source() == null ? "built-in defaults" : config.source());
        Notifier notifier = SystemdNotifier.fromEnvironment(context.environment());
        SeedDaemon daemon = SeedDaemon.create(
                config,
                context.clock(),
                context.processes(),
                context.metadataSources(),
                Main.version(),
                ProcessHandle.current().pid());
        DaemonRunner runner = new DaemonRunner(daemon, notifier, context.clock(), new SplittableRandom(), () -> {
            AgentConfig reloaded = context.loadConfig();
            LogSettings.get().setLevel(reloaded.logLevel());
            return reloaded;
        });
        Signals.install(runner);
        return runner.run();
    }
}
