package org.seedagent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigException;
import org.seedagent.config.ConfigKey;
import org.seedagent.emulator.MetadataEmulator;

/**
 * {@code seed-agent demo}: the real boot job ({@code once}) against the built-in metadata emulator
 * and a scratch HTCondor config directory. Needs neither EC2 nor HTCondor.
 */
final class DemoCommand implements Command {
    static final String DEFAULT_IP = "203.0.113.10";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "try the boot job here: local metadata emulator, scratch config directory";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent demo [--public-ip ADDRESS | --no-public-ip] [--elastic-ip ADDRESS] [--dir DIR]

                Starts the built-in IMDSv2 emulator on 127.0.0.1, runs the real boot job (seed-agent once)
                against it with DIR/config.d as HTCondor's config directory, and prints what it wrote.
                Run it again with another --public-ip to see the fragment change, or with the same one to
                see that nothing is rewritten. The emulator serves ADDRESS as given, unvalidated, so a
                hostile answer can be tried too.

                  --public-ip ADDRESS  what the emulator answers for public-ipv4 (default %s)
                  --no-public-ip       the emulator answers 404, as in a private subnet
                  --elastic-ip ADDRESS the emulated account has Elastic IP ADDRESS and the configuration
                                       names it (eip.allocation-id): the boot job associates it (EC2
                                       emulated, requests SigV4-signed) and writes it into the fragment
                  --dir DIR            scratch directory to use again (it must be yours); default: a new private
                                       one under $TMPDIR, whose --dir the hints below repeat
                """.formatted(DEFAULT_IP);
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        String publicIp = DEFAULT_IP;
        Path dir = null;
        String elasticIp = null;
        Arguments args = new Arguments(name(), arguments);
        while (args.hasNext()) {
            String option = args.option(args.next());
            switch (option) {
                case "--public-ip" -> publicIp = args.value(option);
                case "--no-public-ip" -> publicIp = null;
                case "--elastic-ip" -> elasticIp = args.value(option);
                case "--dir" -> dir = Path.of(args.value(option));
                default -> throw args.unknown(option);
            }
        }
        try {
            if (dir == null) {
                // A fresh directory only this user can enter: a predictable name under a shared /tmp would let
                // another user plant links there for whoever runs the demo (root included) to write through.
                dir = Files.createTempDirectory(
                        Path.of(context.environment().getOrDefault("TMPDIR", "/tmp")), "seed-agent-demo-");
            } else {
                String problem = notOurs(dir.toAbsolutePath());
                if (problem != null) {
                    context.err()
                            .println("seed-agent demo: refusing --dir " + dir + ": " + problem
                                    + "; name a directory of your own, or leave out --dir for a new private one");
                    return ExitCode.CANT_CREATE;
                }
            }
        } catch (IOException e) {
            context.err().println("seed-agent demo: cannot create a scratch directory: " + e.getMessage());
            return ExitCode.CANT_CREATE;
        }
        Path configDir = dir.toAbsolutePath().resolve("config.d");
        Path fragment = configDir.resolve("50-seed-agent.conf");
        try {
            Files.createDirectories(configDir);
            String problem = notOurs(configDir);
            if (problem != null) {
                context.err().println("seed-agent demo: refusing " + configDir + ": " + problem);
                return ExitCode.CANT_CREATE;
            }
        } catch (IOException e) {
            context.err().println("seed-agent demo: cannot create " + configDir + ": " + e.getMessage());
            return ExitCode.CANT_CREATE;
        }
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance(publicIp), context.clock())) {
            Path configFile = dir.toAbsolutePath().resolve("seed-agent.conf");
            String allocation = elasticIp == null ? null : emulator.enableEc2(elasticIp, null, java.util.Set.of());
            AgentConfig config = demoConfig(emulator, fragment, configFile, allocation);
            var out = context.out();
            out.println("Metadata emulator (IMDSv2) on " + emulator.endpoint() + ", public-ipv4 = "
                    + (publicIp == null ? "(none: 404)" : publicIp));
            if (allocation != null) {
                out.println("EC2 emulator on " + emulator.endpoint() + ": Elastic IP " + elasticIp + " = " + allocation
                        + ", not associated yet");
            }
            out.println("Scratch HTCondor config directory: " + configDir);
            out.println("Agent configuration: " + configFile);
            out.println();
            out.println("Running the boot job (seed-agent once):");
            int code = OnceCommand.syncOnce(context, config);
            out.println();
            if (Files.isRegularFile(fragment)) {
                out.println("---- " + fragment + " ----");
                out.print(Files.readString(fragment, StandardCharsets.UTF_8));
                out.println("----");
            } else {
                out.println("(no fragment at " + fragment + ")");
            }
            out.println();
            // Hints that work when pasted (issue 22): the launcher as it was run, the directory, the flags repeated,
            // an address that differs from the one just used, and the hostile value quoted for the shell.
            String launcher = launcher(context);
            String again = launcher + " demo --dir " + shellQuote(dir.toString());
            String same = (publicIp == null
                            ? " --no-public-ip"
                            : publicIp.equals(DEFAULT_IP) ? "" : " --public-ip " + shellQuote(publicIp))
                    + (elasticIp == null ? "" : " --elastic-ip " + shellQuote(elasticIp));
            String other = "198.51.100.7".equals(publicIp) || "198.51.100.7".equals(elasticIp)
                    ? "198.51.100.8"
                    : "198.51.100.7";
            out.println("Next (each line can be pasted as it is):");
            hint(out, again + " --public-ip " + other, "the address changes: the fragment is rewritten");
            hint(out, again + same, "the same answer again: nothing is rewritten");
            hint(
                    out,
                    again + " --public-ip " + shellQuote("1.2.3.4 ALLOW_WRITE=*"),
                    "a hostile answer: rejected, nothing" + " written");
            if (elasticIp == null) {
                hint(out, again + " --elastic-ip " + other, "claim an Elastic IP first (EC2 emulated)");
            }
            hint(out, launcher + " emulator --help", "run the emulator alone and point the agent at it");
            out.println("(exit code of the boot job: " + code + ")");
            return code;
        } catch (IOException e) {
            context.err().println("seed-agent demo: cannot start the metadata emulator: " + e.getMessage());
            return ExitCode.SOFTWARE;
        } catch (ConfigException e) {
            context.err().println("seed-agent demo: " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
    }

    /** One hint: the command, then what it shows as a shell comment, so that the whole line can be pasted. */
    private static void hint(java.io.PrintStream out, String command, String what) {
        out.println("  " + command + "   # " + what);
    }

    /**
     * The launcher as the user ran it (the launcher passes it as {@code seedagent.launcher}), or {@code seed-agent}
     * when that is what the shell finds on PATH.
     */
    static String launcher(CliContext context) {
        String ran = System.getProperty("seedagent.launcher");
        if (ran == null || ran.isBlank() || !ran.contains("/")) {
            return "seed-agent";
        }
        for (String dir : context.environment().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, "seed-agent").equals(Path.of(ran))) {
                return "seed-agent";
            }
        }
        return shellQuote(ran);
    }

    /** {@code word} as a shell reads it back: bare when it is plain, else in single quotes. */
    static String shellQuote(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Why {@code dir} must not be written in, or null: it is a symbolic link, not a directory, or not owned by
     * the user running the demo (another user could then swap what is in it). A directory that does not exist
     * yet is fine: it is created as this user's.
     */
    static String notOurs(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (Files.isSymbolicLink(dir)) {
            return "it is a symbolic link";
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return "it is not a directory";
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int us = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return owner == us ? null : "it belongs to uid " + owner + ", not to you (uid " + us + ")";
    }

    /**
     * Writes the demo's agent configuration next to the scratch directory and reads it back the way
     * {@code --config} does, so the demo shows a working configuration file and runs the real reader.
     */
    private static AgentConfig demoConfig(MetadataEmulator emulator, Path fragment, Path file, String allocation)
            throws ConfigException, IOException {
        String elasticIp = allocation == null
                ? ""
                : ConfigKey.EIP_ALLOCATION_ID.key() + " = " + allocation + "\n" + ConfigKey.EC2_ENDPOINT.key() + " = "
                        + emulator.endpoint() + "\n";
        Files.writeString(
                file,
                "# seed-agent demo: the built-in emulator instead of EC2, a scratch config.d\n"
                        + ConfigKey.METADATA_ENDPOINT.key() + " = " + emulator.endpoint() + "\n"
                        + ConfigKey.METADATA_DEADLINE.key() + " = 5s\n"
                        + ConfigKey.FRAGMENT_PATH.key() + " = " + fragment + "\n" + elasticIp,
                StandardCharsets.UTF_8);
        return new AgentConfigLoader().load(file, true);
    }
}
