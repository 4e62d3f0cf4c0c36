package org.seedagent.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigException;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.metadata.MetadataSource;
import org.seedagent.support.ProcessRunner;

/**
 * What a sub-command may touch: its streams, the environment, time, child processes and the
 * metadata service. Tests build one with fakes; {@code Main.main} builds the real one.
 *
 * @param configFile the agent configuration file ({@code --config}, or the default)
 * @param configRequired whether a missing {@code configFile} is an error (it was named explicitly)
 */
public record CliContext(
        PrintStream out,
        PrintStream err,
        Map<String, String> environment,
        Clock clock,
        ProcessRunner processes,
        Function<MetadataSettings, MetadataSource> metadataSources,
        Path configFile,
        boolean configRequired) {

    public AgentConfig loadConfig() throws ConfigException {
        return new AgentConfigLoader().load(configFile, configRequired);
    }

    /**
     * The agent's configuration, or empty after {@code complaint} was told why it is invalid: the command then
     * exits with {@link ExitCode#CONFIG}.
     */
    Optional<AgentConfig> validConfig(Consumer<String> complaint) {
        try {
            return Optional.of(loadConfig());
        } catch (ConfigException e) {
            complaint.accept(e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code source} telling the user on standard error while the metadata service does not answer. */
    static MetadataSource withProgress(MetadataSource source, CliContext context) {
        if (source instanceof org.seedagent.metadata.ImdsMetadataSource imds) {
            imds.withProgress(line -> context.err().println("seed-agent: " + line));
        }
        return source;
    }

    public CliContext withConfigFile(Path file) {
        return new CliContext(out, err, environment, clock, processes, metadataSources, file, true);
    }

    /** Whether standard output is a terminal that understands colour. */
    public boolean colour() {
        return System.console() != null
                && out == System.out
                && !environment.containsKey("NO_COLOR")
                && !"dumb".equals(environment.get("TERM"));
    }

    /**
     * The width of the terminal standard output is, in columns, or 0 when it is not a terminal (piped: no
     * wrapping). {@code COLUMNS} when set; else what {@code stty size} says of the controlling terminal; else 80.
     */
    public int terminalWidth() throws InterruptedException {
        if (System.console() == null || out != System.out) {
            return 0;
        }
        Integer columns = columns(environment.get("COLUMNS"));
        if (columns != null) {
            return columns;
        }
        try {
            org.seedagent.support.ProcessResult size =
                    processes.run(List.of("sh", "-c", "stty size < /dev/tty"), java.time.Duration.ofSeconds(2));
            String[] words = size.stdout().strip().split("\\s+");
            if (size.exitCode() == 0 && words.length == 2 && columns(words[1]) != null) {
                return columns(words[1]);
            }
        } catch (java.io.IOException e) {
            // no stty: the usual width
        }
        return 80;
    }

    /** A usable width (40 to 1000 columns), or null. */
    static Integer columns(String text) {
        try {
            int columns = Integer.parseInt(text == null ? "" : text.strip());
            return columns >= 40 && columns <= 1000 ? columns : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static MetadataSettings metadataSettings(AgentConfig config) {
        return new MetadataSettings(
                config.metadataEndpoint(), config.tokenTtl(), config.requestTimeout(), config.metadataDeadline());
    }
}
