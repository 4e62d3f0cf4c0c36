package org.seedagent.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.FactsGatherer;
import org.seedagent.checks.FileFacts;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.guard.ImdsGuard;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.state.StateStore;

/**
 * Reads what an image of the instance would contain into {@link Finding}s. Every path is looked up under a
 * root directory (the instance's {@code /}, or a temporary tree in tests); the facts that need processes
 * or the network (HTCondor's configuration, systemd, instance metadata) are gathered by the caller and
 * passed in. Changes nothing, and keeps no secret: key files are never read, credential and history files
 * only to find the lines and names of keys.
 */
public final class ImageSurvey {
    /** The HTCondor knobs the survey reads, with one {@code condor_config_val -dump -v -expand}. */
    public static final List<String> KNOBS = List.of("ANNEX_DEFAULT_ACCESS_KEY_FILE", "ANNEX_DEFAULT_SECRET_KEY_FILE",
            "SEC_PASSWORD_FILE", "SEC_PASSWORD_DIRECTORY", "SEC_TOKEN_SYSTEM_DIRECTORY");

    /** Shell history files, relative to each home directory. */
    static final List<String> HISTORY_FILES = List.of(".bash_history", ".zsh_history", ".histfile", ".sh_history",
            ".ash_history", ".local/share/fish/fish_history");
    static final long MAX_FILE = 64L * 1024 * 1024;
    static final String LEGACY_FILE_NAME = "49ec2-instance.config";
    private static final String ANNEX_HOLDS = "annex key file, ";
    private static final String UNREADABLE_HOLDS = "present, but cannot be read";

    private static final String POOL_PASSWORD_ADVICE = "annex nodes need it, so it stays in the image; anyone who"
            + " can read the image can join the pool with it: share the image only with people you would give the"
            + " password to, or change the pool password (condor_store_cred) if the image was shared more widely";
    private static final String SIGNING_KEY_ADVICE = "anyone who can read the image can issue tokens this pool"
            + " accepts: share the image only with the pool's administrators";
    private static final String TOKEN_ADVICE = "anyone who can read the image can authenticate to the pool with it";

    private final Path root;
    private final String fragmentPath;
    private final String stateDirectory;
    private final boolean guardConfigured;
    /** The Elastic IP seed-agent takes over from another instance ({@code eip.allow-reassociation = true}), or null. */
    private final String reassociates;

    /**
     * @param root the directory that stands for {@code /}, as a real path (no symbolic links in it)
     * @param fragmentPath seed-agent's fragment, as the instance names it ({@code fragment.path})
     * @param stateDirectory seed-agent's state directory, as the instance names it ({@code state.directory})
     * @param guardConfigured {@code imds-guard.enabled} in seed-agent's configuration
     */
    public ImageSurvey(Path root, String fragmentPath, String stateDirectory, boolean guardConfigured) {
        this(root, fragmentPath, stateDirectory, guardConfigured, null);
    }

    /**
     * @param reassociates the Elastic IP seed-agent is configured to take over from whichever instance holds it
     *     ({@code eip.allow-reassociation = true}), or null
     */
    public ImageSurvey(Path root, String fragmentPath, String stateDirectory, boolean guardConfigured,
            String reassociates) {
        this.root = Objects.requireNonNull(root, "root");
        this.fragmentPath = Objects.requireNonNull(fragmentPath, "fragmentPath");
        this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
        this.guardConfigured = guardConfigured;
        this.reassociates = reassociates;
    }

    /**
     * Everything found, in no particular order ({@link Plan#of} orders it).
     *
     * @param condor HTCondor's evaluation of {@link #KNOBS}
     * @param service what systemd says about seed-agent's unit
     * @param profile whether an instance profile is attached
     */
    public List<Finding> survey(CondorEvaluation condor, SeedAgentService.Status service, InstanceProfile profile) {
        List<Finding> findings = new ArrayList<>();
        CondorConfigView view = condor instanceof CondorEvaluation.Evaluated e ? e.view() : null;
        service(service, findings);
        seedAgentFiles(findings);
        credentialFiles(view, findings);
        if (condor instanceof CondorEvaluation.Failed failed) {
            findings.add(Finding.of(Category.ANNEX_KEYS, null, "annex key files and the pool password file were not"
                    + " looked for: HTCondor's configuration could not be evaluated", Finding.Change.NONE)
                    .problem(Show.path(failed.reason()))
                    .advice("fix that (seed-agent check says how), then run prepare-image again"));
        }
        shellHistory(findings);
        if (view != null) {
            poolPassword(view, findings);
            tokens(view, findings);
        }
        profile(profile, findings);
        imdsGuard(profile, findings);
        legacyBootConfig(findings);
        if (reassociates != null) {
            findings.add(Finding.of(Category.SEED_AGENT, null, "eip.allow-reassociation = true: every instance launched"
                    + " from this image takes the Elastic IP " + reassociates + " from the instance that holds it (this"
                    + " seed, while it runs) at its first boot", Finding.Change.NONE)
                    .advice("set eip.allow-reassociation = false in the image's seed-agent.conf, unless instances of"
                            + " the image are meant to replace this seed"));
        }
        return List.copyOf(findings);
    }

    // --- seed-agent's own ----------------------------------------------------------------------------

    private void service(SeedAgentService.Status status, List<Finding> findings) {
        String unit = SeedAgentService.UNIT;
        switch (status.state()) {
            case RUNNING -> findings.add(Finding.of(Category.SEED_AGENT, null, unit + " is running: it is stopped"
                    + " first, or it would write its files again (it stays enabled)", Finding.Change.STOP)
                    .names(List.of(unit)));
            case UNKNOWN -> findings.add(Finding.of(Category.SEED_AGENT, null, "could not tell whether " + unit
                    + " is running", Finding.Change.STOP).names(List.of(unit)).problem(Show.path(status.detail()))
                    .advice("make sure seed-agent is not running (systemctl stop " + unit + "), or it writes its"
                            + " files again"));
            case NOT_LOOKED -> findings.add(Finding.of(Category.SEED_AGENT, null, unit + " was not looked at: the"
                    + " root directory is not this system's /", Finding.Change.NONE).names(List.of(unit))
                    .advice("make sure no seed-agent writes into it while the image is made"));
            case NOT_RUNNING -> {
                // Nothing to do.
            }
        }
        if (Boolean.FALSE.equals(status.enabled())) {
            findings.add(Finding.of(Category.SEED_AGENT, null, unit + " is not enabled: an instance made from the"
                    + " image would start HTCondor without seed-agent's fragment", Finding.Change.NONE)
                    .names(List.of(unit)).advice("systemctl enable " + unit));
        }
    }

    private void seedAgentFiles(List<Finding> findings) {
        fileAndTemps(fragmentPath, "the generated HTCondor fragment: this instance's address", findings);
        String state = (stateDirectory.endsWith("/") ? stateDirectory : stateDirectory + "/") + StateStore.FILE_NAME;
        fileAndTemps(state, "the daemon's state: this instance's addresses, changes and check results", findings);
    }

    /** {@code path} and the dot-named temporary files an interrupted atomic write of it left behind. */
    private void fileAndTemps(String path, String what, List<Finding> findings) {
        Path file = RootedPath.under(root, path);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Finding finding = Finding.of(Category.SEED_AGENT, path, what, Finding.Change.DELETE);
            findings.add(a.isDirectory() ? finding.problem("it is a directory, not a file seed-agent wrote: not removed")
                    : finding);
        } catch (NoSuchFileException | NotDirectoryException e) {
            // Not there: nothing to clean.
        } catch (IOException e) {
            findings.add(Finding.of(Category.SEED_AGENT, path, what, Finding.Change.DELETE)
                    .problem("cannot be examined: " + Show.reason(e)));
        }
        Path directory = file.getParent();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, "." + file.getFileName() + ".*.tmp")) {
            List<Path> sorted = new ArrayList<>();
            temps.forEach(sorted::add);
            sorted.sort(null);
            for (Path temp : sorted) {
                if (!Files.isDirectory(temp, LinkOption.NOFOLLOW_LINKS)) {
                    findings.add(Finding.of(Category.SEED_AGENT, RootedPath.named(root, temp),
                            "a temporary file left by an interrupted write", Finding.Change.DELETE));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // No directory: no temporary files.
        } catch (IOException e) {
            findings.add(Finding.of(Category.SEED_AGENT, RootedPath.named(root, directory),
                    "could not be searched for temporary files", Finding.Change.NONE).problem(Show.reason(e)));
        }
    }

    /** Where {@code systemctl enable} links the guard unit (its [Install] section: multi-user.target). */
    static final String GUARD_WANTS = "/etc/systemd/system/multi-user.target.wants/" + ImdsGuard.UNIT;

    /**
     * Whether an instance made from the image guards instance metadata from its first boot: the unit
     * enabled in the image (its wants link) and the guard not turned off in seed-agent's configuration.
     */
    private void imdsGuard(InstanceProfile profile, List<Finding> findings) {
        Category category = Category.IMDS_GUARD;
        boolean enabled = Files.isSymbolicLink(RootedPath.under(root, GUARD_WANTS))
                || Files.exists(RootedPath.under(root, GUARD_WANTS), LinkOption.NOFOLLOW_LINKS);
        String exposed = profile.state() == InstanceProfile.State.NONE
                ? "an instance profile attached to an instance made from it would hand its credentials to every local user"
                : "every local user of an instance made from it can read the instance profile's credentials";
        if (enabled && guardConfigured) {
            findings.add(Finding.of(category, GUARD_WANTS, ImdsGuard.UNIT + " is enabled: instances made from the image"
                    + " let only root and imds-guard.allow-users/-groups reach instance metadata from their first boot",
                    Finding.Change.KEEP).names(List.of(ImdsGuard.UNIT)));
        } else if (!enabled) {
            findings.add(Finding.of(category, null, ImdsGuard.UNIT + " is not enabled in the image: " + exposed,
                    Finding.Change.NONE).names(List.of(ImdsGuard.UNIT))
                    .advice("systemctl enable " + ImdsGuard.UNIT + " before making the image"));
        } else {
            findings.add(Finding.of(category, null, ImdsGuard.UNIT + " is enabled, but imds-guard.enabled = false in"
                    + " seed-agent's configuration: " + exposed, Finding.Change.NONE).names(List.of(ImdsGuard.UNIT))
                    .advice("set imds-guard.enabled = true in /etc/seed-agent/seed-agent.conf"));
        }
    }

    private void legacyBootConfig(List<Finding> findings) {
        int slash = fragmentPath.lastIndexOf('/');
        String legacy = fragmentPath.substring(0, slash + 1) + LEGACY_FILE_NAME;
        if (Files.exists(RootedPath.under(root, legacy), LinkOption.NOFOLLOW_LINKS)) {
            findings.add(Finding.of(Category.LEGACY_BOOT_CONFIG, legacy, "written by the old condor-annex-ec2 boot"
                    + " script, with this instance's addresses", Finding.Change.NONE)
                    .advice("disable that script and delete the file; seed-agent's fragment overrides it meanwhile"));
        }
    }

    // --- credentials ---------------------------------------------------------------------------------

    /** AWS credential files and annex key files, as {@link FactsGatherer} finds them for the checks. */
    private void credentialFiles(CondorConfigView view, List<Finding> findings) {
        FileFacts facts = offlineGatherer().files(view, fragmentPath);
        Map<String, List<String>> annex = new LinkedHashMap<>();
        for (FileFacts.CredentialFile file : facts.credentialFiles()) {
            if (file.holds().startsWith(ANNEX_HOLDS)) {
                annex.computeIfAbsent(file.path(), p -> new ArrayList<>()).add(file.holds().substring(ANNEX_HOLDS.length()));
            } else {
                findings.add(awsFile(file));
            }
        }
        annex.forEach((path, knobs) -> findings.add(Finding.of(Category.ANNEX_KEYS, path,
                "condor_annex key file (" + String.join(", ", knobs) + ")", Finding.Change.DELETE).names(knobs)
                .advice("condor_annex on an instance made from the image then needs credentials of its own:"
                        + " an instance profile, or new key files")));
        for (String unsearchable : facts.unsearchable()) {
            int paren = unsearchable.indexOf(" (");
            String path = paren > 0 ? unsearchable.substring(0, paren) : null;
            String why = paren > 0 && unsearchable.endsWith(")")
                    ? unsearchable.substring(paren + 2, unsearchable.length() - 1) : unsearchable;
            findings.add(Finding.of(Category.AWS_CREDENTIALS, path, "could not be examined", Finding.Change.NONE)
                    .problem(Show.path(why)));
        }
    }

    private Finding awsFile(FileFacts.CredentialFile file) {
        String path = file.path();
        Path onDisk = RootedPath.under(root, path);
        if (file.holds().startsWith(UNREADABLE_HOLDS)) {
            return Finding.of(Category.AWS_CREDENTIALS, path, "may hold AWS keys", Finding.Change.DELETE)
                    .problem(Show.path(file.holds()));
        }
        boolean config = path.endsWith("/.aws/config");
        Finding.Change change = config ? Finding.Change.REWRITE : Finding.Change.DELETE;
        String kind = config ? "AWS config file" : "AWS credentials file";
        Finding finding = Finding.of(Category.AWS_CREDENTIALS, path, kind + " holding " + file.holds(), change)
                .names(Arrays.asList(file.holds().split(", ")));
        String link = RootedPath.linkProblem(root, onDisk);
        if (link != null) {
            return finding.problem(link);
        }
        Scrub scrub;
        try {
            scrub = AwsConfigScrubber.scrub(FileChanges.readRegular(onDisk, MAX_FILE));
        } catch (IOException e) {
            return finding.problem("cannot be read: " + Show.reason(e));
        }
        if (scrub.found()) {
            finding = Finding.of(Category.AWS_CREDENTIALS, path, kind + " holding " + String.join(", ", scrub.names())
                    + " (" + Show.lines(scrub.lineNumbers(), 10) + ")" + (config ? "; its other settings stay" : ""),
                    change).names(scrub.names()).lines(scrub.lineNumbers());
        }
        return finding.advice("an instance profile is the safer way to give the seed AWS credentials");
    }

    /** The checks' file gatherer under {@link #root}, which never resolves names or connects. */
    private FactsGatherer offlineGatherer() {
        return new FactsGatherer(new CheckEnvironment(root, host -> List.of(), (address, port, timeout) -> {
            throw new IOException("no connections while preparing an image");
        }, Duration.ofSeconds(1)));
    }

    private void shellHistory(List<Finding> findings) {
        for (String home : offlineGatherer().homes()) {
            for (String name : HISTORY_FILES) {
                String path = home.endsWith("/") ? home + name : home + "/" + name;
                history(path).ifPresent(findings::add);
            }
        }
    }

    private Optional<Finding> history(String path) {
        Path file = RootedPath.under(root, path);
        Finding unread = Finding.of(Category.SHELL_HISTORY, path, "shell history", Finding.Change.REWRITE);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(unread.problem("cannot be examined: " + Show.reason(e)));
        }
        // A link to /dev/null is the usual way to keep no history. A link to a file is read, never rewritten.
        boolean link = attributes.isSymbolicLink();
        if (link ? !Files.isRegularFile(file) : !attributes.isRegularFile()) {
            return Optional.empty();
        }
        byte[] content;
        try {
            content = link ? FileChanges.readFollowingLinks(file, MAX_FILE) : FileChanges.readRegular(file, MAX_FILE);
        } catch (IOException e) {
            return Optional.of(unread.problem("cannot be read: " + Show.reason(e)));
        }
        Scrub scrub = HistoryScrubber.scrub(content, HistoryScrubber.Format.of(path));
        if (!scrub.found()) {
            return Optional.empty();
        }
        Finding finding = Finding.of(Category.SHELL_HISTORY, path, "shell history: " + describe(scrub),
                Finding.Change.REWRITE).names(scrub.names()).lines(scrub.lineNumbers());
        String linkProblem = RootedPath.linkProblem(root, file);
        if (linkProblem != null) {
            return Optional.of(finding.problem(linkProblem));
        }
        if (indexOf(content, (byte) 0) >= 0) {
            return Optional.of(finding.problem("it holds NUL bytes (not a plain-text history): not rewritten,"
                    + " remove those lines yourself"));
        }
        return Optional.of(finding);
    }

    /** {@code line 12 sets AWS_SECRET_ACCESS_KEY; line 13 sets ...}, at most 10 lines. */
    static String describe(Scrub scrub) {
        List<String> parts = new ArrayList<>();
        for (Scrub.Hit hit : scrub.hits().subList(0, Math.min(10, scrub.hits().size()))) {
            parts.add("line " + hit.line() + " sets " + String.join(", ", hit.names()));
        }
        String more = scrub.hits().size() > 10 ? "; and " + (scrub.hits().size() - 10) + " more lines" : "";
        return String.join("; ", parts) + more;
    }

    // --- what the image keeps ------------------------------------------------------------------------

    private void poolPassword(CondorConfigView view, List<Finding> findings) {
        String password = view.value("SEC_PASSWORD_FILE").map(String::strip).filter(p -> p.startsWith("/")).orElse(null);
        if (password != null) {
            if (Files.exists(RootedPath.under(root, password))) {
                findings.add(Finding.of(Category.POOL_PASSWORD, password, "the pool password (SEC_PASSWORD_FILE)",
                        Finding.Change.KEEP).names(List.of("SEC_PASSWORD_FILE")).advice(POOL_PASSWORD_ADVICE));
            } else {
                findings.add(Finding.of(Category.POOL_PASSWORD, password, "SEC_PASSWORD_FILE names this file, which"
                        + " does not exist: annex nodes cannot authenticate", Finding.Change.NONE)
                        .names(List.of("SEC_PASSWORD_FILE")).advice("see seed-agent check (password-file)"));
            }
        }
        listDirectory(view, "SEC_PASSWORD_DIRECTORY", password, Category.POOL_PASSWORD,
                "a pool signing key (SEC_PASSWORD_DIRECTORY)", SIGNING_KEY_ADVICE, findings);
    }

    private void tokens(CondorConfigView view, List<Finding> findings) {
        listDirectory(view, "SEC_TOKEN_SYSTEM_DIRECTORY", null, Category.HTCONDOR_TOKENS,
                "a token of this host's HTCondor daemons (SEC_TOKEN_SYSTEM_DIRECTORY)", TOKEN_ADVICE, findings);
    }

    /** One KEEP finding per regular file in the directory named by {@code knob}, except {@code skip}. */
    private void listDirectory(CondorConfigView view, String knob, String skip, Category category, String what,
            String advice, List<Finding> findings) {
        Optional<String> named = view.value(knob).map(String::strip).filter(p -> p.startsWith("/"));
        if (named.isEmpty()) {
            return;
        }
        Path directory = RootedPath.under(root, named.get());
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(files::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return;
        } catch (IOException e) {
            findings.add(Finding.of(category, named.get(), "could not be listed (" + knob + ")", Finding.Change.NONE)
                    .names(List.of(knob)).advice(Show.reason(e)));
            return;
        }
        files.sort(null);
        Path skipped = skip == null ? null : RootedPath.under(root, skip);
        for (Path file : files) {
            if (Files.isRegularFile(file) && !file.equals(skipped)) {
                findings.add(Finding.of(category, RootedPath.named(root, file), what, Finding.Change.KEEP)
                        .names(List.of(knob)).advice(advice));
            }
        }
    }

    private void profile(InstanceProfile profile, List<Finding> findings) {
        Category category = Category.INSTANCE_PROFILE;
        switch (profile.state()) {
            case ATTACHED -> {
                String arn = profile.arn();
                Finding finding = arn != null
                        ? Finding.of(category, null, "instance profile " + arn + " is attached", Finding.Change.KEEP)
                                .names(List.of(arn))
                        : Finding.of(category, null, "an instance profile is attached (" + Show.path(profile.detail())
                                + ")", Finding.Change.KEEP);
                findings.add(finding.advice("launch instances from the image with the same instance profile"
                        + " (aws ec2 run-instances --iam-instance-profile Arn=" + (arn != null ? arn : "ARN")
                        + "): without it condor_annex on them has no AWS credentials"));
            }
            case NONE -> findings.add(Finding.of(category, null, "no instance profile is attached (iam/info: not found)",
                    Finding.Change.NONE));
            case UNKNOWN -> findings.add(Finding.of(category, null, "could not tell whether an instance profile is"
                    + " attached: " + Show.message(profile.detail()), Finding.Change.NONE)
                    .advice("if the seed uses one, launch instances from the image with the same instance profile"));
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
