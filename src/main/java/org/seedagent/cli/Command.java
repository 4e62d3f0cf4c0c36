package org.seedagent.cli;

import java.util.List;

/** One sub-command. Returns its exit code; writes only to the context's streams. */
interface Command {
    /** The name typed after {@code seed-agent}. */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /** Its own help text: usage line and options. */
    String usage();

    int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException;

    /** The exit code of a usage error; {@code status} uses 64 because its 2 means "degraded". */
    default int usageExitCode() {
        return ExitCode.USAGE;
    }
}
