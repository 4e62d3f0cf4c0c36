package org.seedagent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.support.Sleeper;
import org.seedagent.support.SystemProcessRunner;

/**
 * The command line. {@link #run} returns an exit code and writes only to the context's streams, so
 * every sub-command is testable in-process; only {@link #main} calls {@code System.exit}.
 */
public final class Main {
    /** The commands, in the order {@code --help} lists them. */
    static final List<String> COMMAND_NAMES =
            List.of("once", "run", "check", "status", "prepare-image", "imds-guard", "demo", "emulator");

    private final CliContext context;

    public Main(CliContext context) {
        this.context = context;
    }

    /**
     * Creates only the command that runs: creating them all loaded the classes of every command
     * (the checks' environment, prepare-image's terminal...) on the boot path of {@code once}.
     */
    static Command command(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "once" -> new OnceCommand();
            case "run" -> new RunCommand();
            case "check" -> new CheckCommand();
            case "status" -> new StatusCommand();
            case "prepare-image" -> new PrepareImageCommand();
            case "imds-guard" -> new ImdsGuardCommand();
            case "demo" -> new DemoCommand();
            case "emulator" -> new EmulatorCommand();
            default -> null;
        };
    }

    public static void main(String[] args) {
        CliContext context = new CliContext(
                System.out,
                System.err,
                System.getenv(),
                Clock.systemUTC(),
                new SystemProcessRunner(),
                settings -> new ImdsMetadataSource(settings, Clock.systemUTC(), Sleeper.SYSTEM),
                AgentConfigLoader.DEFAULT_FILE,
                false);
        int code;
        try {
            code = new Main(context).run(args);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 130;
        }
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line {@code args}; returns the exit code. */
    public int run(String... args) throws InterruptedException {
        CliContext ctx = context;
        List<String> rest = new ArrayList<>();
        String commandName = null;
        Command command = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--config") || arg.startsWith("--config=")) {
                    String file = arg.equals("--config") ? (i + 1 < args.length ? args[++i] : null) : arg.substring(9);
                    if (file == null || file.isEmpty()) {
                        throw new UsageException("option --config needs a file name");
                    }
                    ctx = ctx.withConfigFile(Path.of(file));
                } else if (arg.equals("--debug")) {
                    LogSettings.get().force(Level.DEBUG);
                } else if (commandName == null && (arg.equals("--help") || arg.equals("-h") || arg.equals("help"))) {
                    return help(ctx, i + 1 < args.length ? args[i + 1] : null);
                } else if (commandName == null && (arg.equals("--version") || arg.equals("-V"))) {
                    ctx.out().println("seed-agent " + version());
                    return ExitCode.OK;
                } else if (commandName == null && !arg.startsWith("-")) {
                    commandName = arg;
                } else if (commandName != null && (arg.equals("--help") || arg.equals("-h"))) {
                    return help(ctx, commandName);
                } else if (commandName == null) {
                    throw new UsageException("unknown option " + arg);
                } else {
                    rest.add(arg);
                }
            }
            if (commandName == null) {
                throw new UsageException("no command given");
            }
            command = command(commandName);
            if (command == null) {
                throw new UsageException("unknown command " + commandName);
            }
            return command.run(ctx, rest);
        } catch (UsageException e) {
            // The command is named but not created yet when an option before it is wrong (--config).
            Command named = command != null ? command : command(commandName);
            ctx.err().println("seed-agent: " + e.getMessage());
            ctx.err()
                    .println("Try 'seed-agent --help'"
                            + (named != null ? " or 'seed-agent " + commandName + " --help'." : "."));
            return named == null ? ExitCode.USAGE : named.usageExitCode();
        }
    }

    private int help(CliContext ctx, String commandName) throws UsageException {
        PrintStream out = ctx.out();
        if (commandName != null && !commandName.startsWith("-")) {
            Command command = command(commandName);
            if (command == null) {
                throw new UsageException("unknown command " + commandName);
            }
            out.print(command.usage());
            return ExitCode.OK;
        }
        out.println("Usage: seed-agent [--config FILE] [--debug] COMMAND [OPTIONS]");
        out.println();
        out.println("Keeps TCP_FORWARDING_HOST of an HTCondor-in-the-Cloud seed equal to the instance's");
        out.println("public IPv4 address, read from the EC2 instance metadata service (IMDSv2).");
        out.println();
        out.println("Commands:");
        for (String name : COMMAND_NAMES) {
            out.printf("  %-13s %s%n", name, command(name).summary());
        }
        out.println();
        out.println("Options:");
        out.println("  --config FILE  agent configuration (default " + AgentConfigLoader.DEFAULT_FILE + ")");
        out.println("  --debug        log at debug level");
        out.println("  --help         this text; 'seed-agent COMMAND --help' for a command's options");
        out.println("  --version      print the version");
        return ExitCode.OK;
    }

    /** The version from the build (version.properties is filtered by Maven). */
    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/org/seedagent/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
