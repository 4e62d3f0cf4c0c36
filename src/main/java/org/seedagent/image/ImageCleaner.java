package org.seedagent.image;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.seedagent.support.HeldDirectory;

/**
 * Applies a {@link Plan}: stops seed-agent's service first, then removes and rewrites files, each under the
 * root directory. Every step is attempted and reported on its own; a failure never stops the others,
 * except that seed-agent's files are not removed when its service could not be stopped (it would write them
 * again). Files in home directories are re-examined right before they are changed.
 */
public final class ImageCleaner {
    private final Path root;
    private final SeedAgentService service;

    /**
     * @param root the directory that stands for {@code /}, as a real path
     * @param service seed-agent's unit, or {@code null} when systemd must not be touched ({@code --root})
     */
    public ImageCleaner(Path root, SeedAgentService service) {
        this.root = Objects.requireNonNull(root, "root");
        this.service = service;
    }

    public List<Outcome> apply(Plan plan) throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        String notStopped = null;
        for (Plan.Step step : plan.steps()) {
            Outcome outcome = switch (step.action()) {
                case STOP -> stop(step);
                case REMOVE ->
                    step.finding().category() == Category.SEED_AGENT && notStopped != null
                            ? failed(
                                    step,
                                    "not removed: " + SeedAgentService.UNIT + " could not be stopped and would"
                                            + " write it again")
                            : remove(step);
                case REWRITE -> rewrite(step);
                default -> new Outcome(step, Outcome.Status.NONE, null);
            };
            if (step.action() == Plan.Action.STOP && outcome.status() == Outcome.Status.FAILED) {
                notStopped = outcome.message();
            }
            outcomes.add(outcome);
        }
        return List.copyOf(outcomes);
    }

    private Outcome stop(Plan.Step step) throws InterruptedException {
        if (service == null) {
            return failed(step, "systemd is not used with --root");
        }
        String error = service.stop();
        return error == null ? new Outcome(step, Outcome.Status.DONE, null) : failed(step, Show.path(error));
    }

    private Outcome remove(Plan.Step step) {
        Path file = RootedPath.under(root, step.finding().path());
        String link = inHome(step) ? RootedPath.linkProblem(root, file) : null;
        if (link != null) {
            return failed(step, link);
        }
        try {
            if (inHome(step)) {
                // A user's directory: removed relative to directories opened once, without following links.
                try (HeldDirectory directory = HeldDirectory.open(root, relativeParent(step))) {
                    directory.delete(file.getFileName().toString());
                }
            } else {
                FileChanges.delete(file);
            }
            return new Outcome(step, Outcome.Status.DONE, null);
        } catch (NoSuchFileException e) {
            return new Outcome(step, Outcome.Status.DONE, "it was already gone");
        } catch (IOException e) {
            return failed(step, Show.reason(e));
        }
    }

    private Outcome rewrite(Plan.Step step) {
        String path = step.finding().path();
        Path file = RootedPath.under(root, path);
        String link = RootedPath.linkProblem(root, file);
        if (link != null) {
            return failed(step, link);
        }
        // The directory is opened once, without following links, and the file read, written and renamed relative
        // to it: a user who swaps a directory on the way for a link meanwhile cannot point root at another file.
        try (HeldDirectory directory = HeldDirectory.open(root, relativeParent(step))) {
            String name = file.getFileName().toString();
            // Read again: a shell may have added lines since the survey.
            byte[] content = directory.readRegular(name, ImageSurvey.MAX_FILE);
            Scrub scrub = step.finding().category() == Category.SHELL_HISTORY
                    ? HistoryScrubber.scrub(content, HistoryScrubber.Format.of(path))
                    : AwsConfigScrubber.scrub(content);
            if (!scrub.found()) {
                return new Outcome(step, Outcome.Status.DONE, "it no longer held keys: left as it was");
            }
            directory.rewrite(name, scrub.cleaned());
            return new Outcome(
                    step,
                    Outcome.Status.DONE,
                    scrub.removedLines() + (scrub.removedLines() == 1 ? " line removed" : " lines removed"));
        } catch (NoSuchFileException e) {
            return new Outcome(step, Outcome.Status.DONE, "it was already gone");
        } catch (IOException e) {
            return failed(step, Show.reason(e));
        }
    }

    /** The directory of the step's file, relative to the root, as the instance names it. */
    private static Path relativeParent(Plan.Step step) {
        Path relative = Path.of(step.finding().path().replaceFirst("^/+", ""));
        Path parent = relative.getParent();
        return parent == null ? Path.of("") : parent;
    }

    private static boolean inHome(Plan.Step step) {
        Category category = step.finding().category();
        return category == Category.AWS_CREDENTIALS || category == Category.SHELL_HISTORY;
    }

    private static Outcome failed(Plan.Step step, String why) {
        return new Outcome(step, Outcome.Status.FAILED, why);
    }
}
