package org.seedagent.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.seedagent.checks.Checks;
import org.seedagent.guard.ImdsGuard;
import org.seedagent.state.StateStore;

/**
 * What an image would take of seed-agent itself: its service, its instance-specific files (the fragment,
 * the state file and temporary files left by interrupted writes), whether the metadata guard is on from
 * the first boot, the old boot script's file, and an Elastic IP every instance of the image would take.
 */
final class SeedAgentFindings {
    /** Where {@code systemctl enable} links the guard unit (its [Install] section: multi-user.target). */
    private static final String GUARD_WANTS = "/etc/systemd/system/multi-user.target.wants/" + ImdsGuard.UNIT;

    private final Path root;
    private final String fragmentPath;
    private final String stateDirectory;
    private final boolean guardConfigured;
    /** The Elastic IP seed-agent takes over from another instance ({@code eip.allow-reassociation = true}), or null. */
    private final String reassociates;

    /** The parameters as {@link ImageSurvey}'s. */
    SeedAgentFindings(
            Path root, String fragmentPath, String stateDirectory, boolean guardConfigured, String reassociates) {
        this.root = root;
        this.fragmentPath = fragmentPath;
        this.stateDirectory = stateDirectory;
        this.guardConfigured = guardConfigured;
        this.reassociates = reassociates;
    }

    /** Whether seed-agent's service is running (it is stopped first) and enabled. Pure. */
    static List<Finding> service(SeedAgentService.Status status) {
        List<Finding> findings = new ArrayList<>();
        String unit = SeedAgentService.UNIT;
        switch (status.state()) {
            case RUNNING ->
                findings.add(Finding.of(
                                Category.SEED_AGENT,
                                null,
                                unit + " is running: it is stopped"
                                        + " first, or it would write its files again (it stays enabled)",
                                Finding.Change.STOP)
                        .names(List.of(unit)));
            case UNKNOWN ->
                findings.add(Finding.of(
                                Category.SEED_AGENT,
                                null,
                                "could not tell whether " + unit + " is running",
                                Finding.Change.STOP)
                        .names(List.of(unit))
                        .problem(Show.path(status.detail()))
                        .advice("make sure seed-agent is not running (systemctl stop " + unit + "), or it writes its"
                                + " files again"));
            case NOT_LOOKED ->
                findings.add(Finding.of(
                                Category.SEED_AGENT,
                                null,
                                unit + " was not looked at: the" + " root directory is not this system's /",
                                Finding.Change.NONE)
                        .names(List.of(unit))
                        .advice("make sure no seed-agent writes into it while the image is made"));
            case NOT_RUNNING -> {
                // Nothing to do.
            }
        }
        if (Boolean.FALSE.equals(status.enabled())) {
            findings.add(Finding.of(
                            Category.SEED_AGENT,
                            null,
                            unit + " is not enabled: an instance made from the"
                                    + " image would start HTCondor without seed-agent's fragment",
                            Finding.Change.NONE)
                    .names(List.of(unit))
                    .advice("systemctl enable " + unit));
        }
        return findings;
    }

    /** The fragment and the state file, with the temporary files interrupted writes of them left. */
    List<Finding> files() {
        List<Finding> findings = new ArrayList<>();
        fileAndTemps(fragmentPath, "the generated HTCondor fragment: this instance's address", findings);
        String state = (stateDirectory.endsWith("/") ? stateDirectory : stateDirectory + "/") + StateStore.FILE_NAME;
        fileAndTemps(state, "the daemon's state: this instance's addresses, changes and check results", findings);
        return findings;
    }

    /** {@code path} and the dot-named temporary files an interrupted atomic write of it left behind. */
    private void fileAndTemps(String path, String what, List<Finding> findings) {
        Path file = RootedPath.under(root, path);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Finding finding = Finding.of(Category.SEED_AGENT, path, what, Finding.Change.DELETE);
            findings.add(
                    a.isDirectory()
                            ? finding.problem("it is a directory, not a file seed-agent wrote: not removed")
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
                    findings.add(Finding.of(
                            Category.SEED_AGENT,
                            RootedPath.named(root, temp),
                            "a temporary file left by an interrupted write",
                            Finding.Change.DELETE));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // No directory: no temporary files.
        } catch (IOException e) {
            findings.add(Finding.of(
                            Category.SEED_AGENT,
                            RootedPath.named(root, directory),
                            "could not be searched for temporary files",
                            Finding.Change.NONE)
                    .problem(Show.reason(e)));
        }
    }

    /**
     * Whether an instance made from the image guards instance metadata from its first boot: the unit
     * enabled in the image (its wants link) and the guard not turned off in seed-agent's configuration.
     */
    Finding imdsGuard(InstanceProfile profile) {
        Category category = Category.IMDS_GUARD;
        boolean enabled = Files.isSymbolicLink(RootedPath.under(root, GUARD_WANTS))
                || Files.exists(RootedPath.under(root, GUARD_WANTS), LinkOption.NOFOLLOW_LINKS);
        String exposed = profile.state() == InstanceProfile.State.NONE
                ? "an instance profile attached to an instance made from it would hand its credentials to every local user"
                : "every local user of an instance made from it can read the instance profile's credentials";
        if (enabled && guardConfigured) {
            return Finding.of(
                            category,
                            GUARD_WANTS,
                            ImdsGuard.UNIT + " is enabled: instances made from the image"
                                    + " let only root and imds-guard.allow-users/-groups reach instance metadata from their first boot",
                            Finding.Change.KEEP)
                    .names(List.of(ImdsGuard.UNIT));
        } else if (!enabled) {
            return Finding.of(
                            category,
                            null,
                            ImdsGuard.UNIT + " is not enabled in the image: " + exposed,
                            Finding.Change.NONE)
                    .names(List.of(ImdsGuard.UNIT))
                    .advice("systemctl enable " + ImdsGuard.UNIT + " before making the image");
        } else {
            return Finding.of(
                            category,
                            null,
                            ImdsGuard.UNIT + " is enabled, but imds-guard.enabled = false in"
                                    + " seed-agent's configuration: " + exposed,
                            Finding.Change.NONE)
                    .names(List.of(ImdsGuard.UNIT))
                    .advice("set imds-guard.enabled = true in /etc/seed-agent/seed-agent.conf");
        }
    }

    /** The old condor-annex-ec2 boot script's file next to the fragment, when there is one. */
    Optional<Finding> legacyBootConfig() {
        String legacy = Checks.legacyFile(fragmentPath);
        if (!Files.exists(RootedPath.under(root, legacy), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(
                        Category.LEGACY_BOOT_CONFIG,
                        legacy,
                        "written by the old condor-annex-ec2 boot" + " script, with this instance's addresses",
                        Finding.Change.NONE)
                .advice("disable that script and delete the file; seed-agent's fragment overrides it meanwhile"));
    }

    /** With {@code eip.allow-reassociation = true}: every instance of the image takes the Elastic IP over. */
    Optional<Finding> reassociation() {
        if (reassociates == null) {
            return Optional.empty();
        }
        return Optional.of(Finding.of(
                        Category.SEED_AGENT,
                        null,
                        "eip.allow-reassociation = true: every instance"
                                + " launched from this image takes the Elastic IP " + reassociates
                                + " from the instance that holds it"
                                + " (this seed, while it runs) at its first boot",
                        Finding.Change.NONE)
                .advice("set eip.allow-reassociation = false in the image's seed-agent.conf, unless instances of"
                        + " the image are meant to replace this seed"));
    }
}
