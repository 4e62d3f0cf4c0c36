package org.seedagent.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.seedagent.config.AgentConfig;
import org.seedagent.restart.BootTime;
import org.seedagent.status.Status;
import org.seedagent.status.StatusReport;
import org.seedagent.support.Sleeper;

/**
 * {@code seed-agent status [--format text|json] [--long] [--wait [--timeout SECONDS]]}: the administrator's
 * one-screen view of the seed. Exit 0 healthy, 1 needs attention, 2 degraded (warnings only), 3 the agent
 * is not running (or never ran, or its state cannot be read), 64 bad arguments, 78 invalid configuration.
 * Bad arguments exit 64 (EX_USAGE), not 2 as for the other commands, because 2 means "degraded" here.
 */
public final class StatusCommand implements Command {
    /** EX_USAGE: the command line was wrong. Not {@link ExitCode#USAGE} (2), which is "degraded" for status. */
    static final int USAGE = ExitCode.STATUS_USAGE;
    /** Default of {@code --timeout}. */
    static final int DEFAULT_TIMEOUT_SECONDS = 120;

    static final int MAX_TIMEOUT_SECONDS = 3600;

    private final BootTime bootTime;
    private final Sleeper sleeper;
    private final Path root;

    public StatusCommand() {
        this(null, Sleeper.SYSTEM, Path.of("/"));
    }

    /**
     * For tests: the boot time ({@code null}: the system's, from /proc), the sleeper of {@code --wait}, and the
     * directory standing for {@code /} where the IMDS guard's record is read.
     */
    StatusCommand(BootTime bootTime, Sleeper sleeper, Path root) {
        this.bootTime = bootTime;
        this.sleeper = sleeper;
        this.root = root;
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show whether the agent runs and HTCondor uses and advertises the right address";
    }

    @Override
    public int usageExitCode() {
        return USAGE;
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent status [--format text|json] [--long] [--wait [--timeout SECONDS]]

                One screen on this seed: is seed-agent running (its heartbeat, and systemd's view), the public
                IPv4 and since when, whether the fragment is as the agent wrote it, HTCondor's live
                TCP_FORWARDING_HOST (condor_config_val) and whether it is in effect, the address HTCondor's
                daemons advertise (their address files) and whether it has caught up, the last metadata poll
                and reload, the settings checks' failures and warnings with what to do, the instance, and
                the last address changes. Needs no root: parts it cannot read are named, with the reason.

                Options:
                  --format text|json  the report (default), or JSON (schema_version 1; always complete)
                  --long, -l          every check with its details and the whole history
                  --wait              first wait until the agent has synced on this boot (for image-build
                                      and provisioning scripts), then report; a failed boot sync counts
                                      once a later poll succeeds
                  --timeout SECONDS   how long --wait waits, 1 to 3600 (default 120)

                Exit status:
                  0   healthy
                  1   a failure needs attention (forwarding not in effect, a failed check, the last
                      reload failed, the fragment missing or changed, daemons advertising an old address)
                  2   degraded: warnings only (e.g. daemons still catching up, a failed metadata poll);
                      scripts for which any running state is fine should ignore 2 (treat it like 0)
                  3   the agent is not running, never ran, is stale, or its state file cannot be read;
                      with --wait: it did not sync on this boot within the timeout
                  64  bad arguments (not 2, which means degraded here)
                  78  invalid seed-agent configuration
                """;
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws InterruptedException {
        boolean json = false;
        boolean full = false;
        boolean wait = false;
        Integer timeout = null;
        Arguments args = new Arguments(name(), arguments);
        try {
            while (args.hasNext()) {
                String option = args.option(args.next());
                switch (option) {
                    case "--format" -> {
                        String format = args.value(option);
                        json = switch (format) {
                            case "json" -> true;
                            case "text" -> false;
                            default ->
                                throw new UsageException(
                                        "status: unknown format \"" + format + "\"; expected text or json");
                        };
                    }
                    case "--long", "-l" -> full = true;
                    case "--wait" -> wait = true;
                    case "--timeout" -> timeout = args.intValue(option, 1, MAX_TIMEOUT_SECONDS);
                    case "--help", "-h" -> {
                        context.out().print(usage());
                        return ExitCode.OK;
                    }
                    default -> throw args.unknown(option);
                }
            }
            if (timeout != null && !wait) {
                throw new UsageException("status: --timeout only applies to --wait");
            }
        } catch (UsageException e) {
            context.err().println("seed-agent: " + e.getMessage());
            context.err().println("Try 'seed-agent status --help'.");
            return USAGE;
        }

        Optional<AgentConfig> loaded = context.validConfig(why -> context.err().println("seed-agent status: " + why));
        if (loaded.isEmpty()) {
            return ExitCode.CONFIG;
        }
        AgentConfig config = loaded.get();
        Status status = new Status(
                context.processes(),
                context.clock(),
                bootTime != null ? bootTime : BootTime.system(context.clock()),
                sleeper,
                root);
        Status.WaitOutcome waited = null;
        if (wait) {
            int seconds = timeout != null ? timeout : DEFAULT_TIMEOUT_SECONDS;
            waited = status.awaitBootSync(config, Duration.ofSeconds(seconds));
            if (!waited.synced()) {
                context.err()
                        .println("seed-agent status: the agent did not sync on this boot within " + seconds + " s: "
                                + waited.reason());
            }
        }
        StatusReport report = status.report(config, full);
        context.out().print(json ? report.json() : report.text(context.colour(), full, context.terminalWidth()));
        context.out().flush();
        if (waited != null && !waited.synced()) {
            return 3;
        }
        return report.exitCode();
    }
}
