package org.seedagent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shell history files, of root and of every user with a home, with lines that set AWS keys: their line
 * numbers and the names they set, never the values.
 */
final class HistoryFindings {
    /** Shell history files, relative to each home directory. */
    private static final List<String> HISTORY_FILES = List.of(
            ".bash_history",
            ".zsh_history",
            ".histfile",
            ".sh_history",
            ".ash_history",
            ".local/share/fish/fish_history");

    private final Path root;

    HistoryFindings(Path root) {
        this.root = root;
    }

    /**
     * A finding for each history file in {@code homes} with lines that set AWS keys, or that cannot be read.
     *
     * @param homes the home directories, as the instance names them
     */
    List<Finding> find(List<String> homes) {
        List<Finding> findings = new ArrayList<>();
        for (String home : homes) {
            for (String name : HISTORY_FILES) {
                String path = home.endsWith("/") ? home + name : home + "/" + name;
                history(path).ifPresent(findings::add);
            }
        }
        return findings;
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
            content = link
                    ? FileChanges.readFollowingLinks(file, ImageSurvey.MAX_FILE)
                    : FileChanges.readRegular(file, ImageSurvey.MAX_FILE);
        } catch (IOException e) {
            return Optional.of(unread.problem("cannot be read: " + Show.reason(e)));
        }
        Scrub scrub = HistoryScrubber.scrub(content, HistoryScrubber.Format.of(path));
        if (!scrub.found()) {
            return Optional.empty();
        }
        Finding finding = Finding.of(
                        Category.SHELL_HISTORY, path, "shell history: " + describe(scrub), Finding.Change.REWRITE)
                .names(scrub.names())
                .lines(scrub.lineNumbers());
        String linkProblem = RootedPath.linkProblem(root, file);
        if (linkProblem != null) {
            return Optional.of(finding.problem(linkProblem));
        }
        if (indexOf(content, (byte) 0) >= 0) {
            return Optional.of(finding.problem(
                    "it holds NUL bytes (not a plain-text history): not rewritten," + " remove those lines yourself"));
        }
        return Optional.of(finding);
    }

    /** {@code line 12 sets AWS_SECRET_ACCESS_KEY; line 13 sets ...}, at most 10 lines. */
    private static String describe(Scrub scrub) {
        List<String> parts = new ArrayList<>();
        for (Scrub.Hit hit : scrub.hits().subList(0, Math.min(10, scrub.hits().size()))) {
            parts.add("line " + hit.line() + " sets " + String.join(", ", hit.names()));
        }
        String more = scrub.hits().size() > 10 ? "; and " + (scrub.hits().size() - 10) + " more lines" : "";
        return String.join("; ", parts) + more;
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
