package org.seedagent.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.image.Finding;
import org.seedagent.image.ImageCleaner;
import org.seedagent.image.ImageReport;
import org.seedagent.image.ImageSurvey;
import org.seedagent.image.InstanceProfile;
import org.seedagent.image.Plan;
import org.seedagent.image.Policy;
import org.seedagent.image.SeedAgentService;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.metadata.MetadataSource;

/**
 * {@code seed-agent prepare-image}: makes a clean seed image from a running seed, as {@code cloud-init
 * clean} does for cloud-init. Lists what an image would contain that it should not and what it must keep;
 * with confirmation, stops seed-agent's service and removes its instance-specific files; removes
 * credentials only with a flag per category. See {@link #usage()} for the exit codes.
 */
public final class PrepareImageCommand implements Command {
    /** The operator did not confirm: no terminal and no {@code --yes}, or the answer was not yes. */
    static final int NOT_CONFIRMED = 4;
    /** EX_NOPERM: not run as root. */
    static final int NOT_ROOT = 77;
    /** At most this long for {@code iam/info}: off EC2 (a mounted volume) the answer is "could not tell". */
    static final Duration METADATA_DEADLINE = Duration.ofSeconds(10);

    /** The operator's terminal, for the confirmation prompt. */
    interface Terminal {
        /** Whether someone can answer: standard input and output are a terminal. */
        boolean interactive();

        /** One line the operator typed, or {@code null} at the end of input. */
        String readLine() throws IOException;
    }

    /** Who runs the command. */
    @FunctionalInterface
    interface Identity {
        /** The effective uid of this process. */
        int effectiveUid() throws IOException;
    }

    private final Identity identity;
    private final Terminal terminal;
    private final Path liveRoot;

    public PrepareImageCommand() {
        this(PrepareImageCommand::procEffectiveUid, systemTerminal(), Path.of("/"));
    }

    /**
     * @param identity tells the effective uid
     * @param terminal where the confirmation is asked
     * @param liveRoot the root directory of the running system: only when {@code --root} is this directory is
     *     seed-agent's service looked at and stopped
     */
    PrepareImageCommand(Identity identity, Terminal terminal, Path liveRoot) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.liveRoot = Objects.requireNonNull(liveRoot, "liveRoot");
    }

    @Override
    public String name() {
        return "prepare-image";
    }

    @Override
    public String summary() {
        return "Clean this seed before an image is made of it: seed-agent's files; credentials on request";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent prepare-image [--dry-run] [--yes] [--remove-aws-credentials]
                         [--remove-annex-keys] [--scrub-shell-history] [--root DIR] [--format text|json]

                Prepares this seed for an image, as cloud-init clean does: lists what an image of it would
                contain that it should not, and what it must keep; then, once confirmed, stops
                seed-agent.service (it stays enabled) and removes seed-agent's instance-specific files: its
                state file, its generated fragment and stale temporary files. The next boot writes them
                afresh. Credentials are removed only with their own flag. No secret is ever printed: paths,
                line numbers and names only. Must be run as root.

                Options:
                  --dry-run                 list only, change nothing
                  --yes                     do not ask (for scripts); without it the command asks on the
                                            terminal, and without a terminal changes nothing
                  --remove-aws-credentials  also delete ~/.aws/credentials holding keys and remove the key
                                            lines from ~/.aws/config, of root and of every user with a home
                  --remove-annex-keys       also delete the files named by ANNEX_DEFAULT_ACCESS_KEY_FILE
                                            and ANNEX_DEFAULT_SECRET_KEY_FILE
                  --scrub-shell-history     also remove the lines that set AWS keys from shell history
                                            files (.bash_history, .zsh_history, fish, ...), keeping the
                                            other lines, the owner and the mode
                  --root DIR                the directory that stands for / (a mounted volume); systemd is
                                            not touched unless DIR is /
                  --format text|json        a readable report (default), or JSON (schema_version 1)

                Reported, never removed: the pool password file, signing keys and tokens (annex nodes need
                them; share the image only with people you would give them to), and the instance profile
                an instance made from the image needs too.

                Exit status: 0 the image is clean (with --dry-run: would be); 1 findings need attention
                (credentials found but not removed, or something could not be examined); 2 bad arguments;
                4 not confirmed, nothing changed; 73 a change failed; 77 not run as root, nothing changed;
                78 invalid seed-agent configuration.
                """;
    }

    /** The command line, read. */
    private record Options(boolean dryRun, boolean yes, Policy policy, Path root, boolean json) {}

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        Options options = parse(arguments);
        if (options == null) {
            context.out().print(usage());
            return ExitCode.OK;
        }
        String refusal = refusalToNonRoot();
        if (refusal != null) {
            context.err().println("seed-agent prepare-image: " + refusal);
            return NOT_ROOT;
        }
        Optional<AgentConfig> loaded =
                context.validConfig(why -> context.err().println("seed-agent prepare-image: " + why));
        if (loaded.isEmpty()) {
            return ExitCode.CONFIG;
        }
        AgentConfig config = loaded.get();
        Path root = realDirectory(options.root());
        boolean live = root.equals(realOrSelf(liveRoot));
        String shownRoot = live ? "/" : root.toString();

        // Survey: read everything first, change nothing.
        CondorEvaluation condor = new CondorConfigReader(
                        context.processes(), config.condorConfigVal(), config.condorTimeout())
                .read(ImageSurvey.KNOBS);
        SeedAgentService service = live ? new SeedAgentService(context.processes()) : null;
        SeedAgentService.Status status = live ? service.status() : SeedAgentService.Status.NOT_LOOKED;
        InstanceProfile profile = instanceProfile(context, config);
        List<Finding> findings = new ImageSurvey(
                        root,
                        config.fragmentPath().toString(),
                        config.stateDirectory().toString(),
                        config.imdsGuard().enabled(),
                        config.elasticIp().claims() && config.elasticIp().allowReassociation()
                                ? config.elasticIp().target()
                                : null)
                .survey(condor, status, profile);
        Plan plan = Plan.of(findings, options.policy());
        String listing = ImageReport.listing(shownRoot, plan);
        if (!options.json()) {
            context.out().print(listing);
        }

        ImageReport report;
        if (options.dryRun()) {
            report = ImageReport.dryRun(shownRoot, plan);
        } else if (plan.changes().isEmpty() || options.yes() || confirmed(context, options, listing)) {
            report = ImageReport.applied(shownRoot, new ImageCleaner(root, service).apply(plan));
        } else {
            report = ImageReport.notConfirmed(shownRoot, plan);
        }
        context.out().print(options.json() ? report.json() : report.text());
        context.out().flush();
        return switch (report.result()) {
            case CLEAN -> ExitCode.OK;
            case ATTENTION -> ExitCode.FAILURE;
            case FAILED -> ExitCode.CANT_CREATE;
            case NOT_CONFIRMED -> NOT_CONFIRMED;
        };
    }

    private Options parse(List<String> list) throws UsageException {
        Arguments arguments = new Arguments(name(), list);
        boolean dryRun = false;
        boolean yes = false;
        boolean aws = false;
        boolean annex = false;
        boolean history = false;
        boolean json = false;
        Path root = liveRoot;
        while (arguments.hasNext()) {
            String option = arguments.option(arguments.next());
            switch (option) {
                case "--dry-run", "-n" -> dryRun = true;
                case "--yes", "-y" -> yes = true;
                case "--remove-aws-credentials" -> aws = true;
                case "--remove-annex-keys" -> annex = true;
                case "--scrub-shell-history" -> history = true;
                case "--root" -> {
                    String value = arguments.value(option);
                    if (value.isEmpty()) {
                        throw new UsageException(name() + ": --root needs a directory");
                    }
                    root = Path.of(value).toAbsolutePath();
                }
                case "--format" -> {
                    String format = arguments.value(option);
                    json = switch (format) {
                        case "json" -> true;
                        case "text" -> false;
                        default ->
                            throw new UsageException(
                                    name() + ": unknown format \"" + format + "\"; expected text or json");
                    };
                }
                case "--help", "-h" -> {
                    return null;
                }
                default -> throw arguments.unknown(option);
            }
        }
        return new Options(dryRun, yes, new Policy(aws, annex, history), root, json);
    }

    /** Why the command must not run, or {@code null} when it runs as root. */
    private String refusalToNonRoot() {
        int uid;
        try {
            uid = identity.effectiveUid();
        } catch (IOException e) {
            return "cannot tell whether this runs as root (" + e.getMessage() + "); nothing was changed";
        }
        if (uid == 0) {
            return null;
        }
        return "must be run as root (this runs as uid " + uid + "): it searches every home directory and removes"
                + " files owned by root and by other users. Nothing was changed. Run: sudo seed-agent prepare-image";
    }

    /** The operator's yes, asked on the terminal; {@code false} (with a message saying why) without one. */
    private boolean confirmed(CliContext context, Options options, String listing) throws UsageException {
        if (!terminal.interactive()) {
            context.err()
                    .println("seed-agent prepare-image: not changing anything without confirmation, and there is"
                            + " no terminal to ask on. Run again with --yes to make the changes listed, or with --dry-run to"
                            + " only list them.");
            return false;
        }
        if (options.json()) {
            context.err().print(listing);
        }
        context.err().print("Make the changes listed above? [y/N] ");
        context.err().flush();
        String answer;
        try {
            answer = terminal.readLine();
        } catch (IOException e) {
            answer = null;
        }
        boolean yes =
                answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        if (!yes) {
            context.err().println("seed-agent prepare-image: not confirmed; nothing was changed.");
        }
        return yes;
    }

    private static Path realDirectory(Path root) throws UsageException {
        if (!Files.isDirectory(root)) {
            throw new UsageException("prepare-image: --root " + root + " is not a directory");
        }
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new UsageException("prepare-image: --root " + root + " cannot be resolved: " + e.getMessage());
        }
    }

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    private static InstanceProfile instanceProfile(CliContext context, AgentConfig config) throws InterruptedException {
        MetadataSettings settings = CliContext.metadataSettings(config);
        Duration deadline =
                settings.deadline().compareTo(METADATA_DEADLINE) < 0 ? settings.deadline() : METADATA_DEADLINE;
        MetadataSource source;
        try {
            source = context.metadataSources()
                    .apply(new MetadataSettings(
                            settings.endpoint(), settings.tokenTtl(), settings.requestTimeout(), deadline));
        } catch (RuntimeException e) {
            return InstanceProfile.unknown("cannot set up the metadata client: " + e.getMessage());
        }
        try (source) {
            return InstanceProfile.read(new InstanceMetadata(source));
        }
    }

    /** The effective uid from {@code /proc/self/status} ({@code Uid:} real, effective, saved, file system). */
    static int procEffectiveUid() throws IOException {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    String[] fields = line.substring(4).trim().split("\\s+");
                    return Integer.parseInt(fields[1]);
                }
            }
            throw new IOException("no Uid line in /proc/self/status");
        } catch (NoSuchFileException e) {
            // No /proc: the account name is the best there is.
            if ("root".equals(System.getProperty("user.name"))) {
                return 0;
            }
            throw new IOException("no /proc/self/status, and the user is not root", e);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IOException("unexpected Uid line in /proc/self/status", e);
        }
    }

    private static Terminal systemTerminal() {
        return new Terminal() {
            @Override
            public boolean interactive() {
                return System.console() != null;
            }

            @Override
            public String readLine() {
                Console console = System.console();
                return console == null ? null : console.readLine();
            }
        };
    }
}
