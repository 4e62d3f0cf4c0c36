package org.seedagent.image;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.stream.Collectors;
import org.seedagent.support.Text;

/** Untrusted text (paths from /etc/passwd and HTCondor's configuration, error messages) inside one line. */
final class Show {
    private static final int MAX = 200;

    private Show() {}

    /**
     * {@code text} as it is when it is printable ASCII, else quoted with control characters and non-ASCII
     * escaped (so that a hostile name can neither forge lines nor hide), and shortened.
     */
    static String path(String text) {
        if (text == null) {
            return "(nothing)";
        }
        boolean plain = !text.isEmpty() && text.length() <= MAX && text.strip().equals(text);
        for (int i = 0; plain && i < text.length(); i++) {
            char c = text.charAt(i);
            plain = c >= 0x20 && c <= 0x7e;
        }
        return plain ? text : Text.quote(text, MAX);
    }

    /**
     * One of the agent's own messages (whose untrusted parts are quoted where they were made): as it is, however
     * long, when it is one line of printable ASCII (issue 22: it was quoted, escaped and cut like a hostile
     * path); else as {@link #path}.
     */
    static String message(String text) {
        if (text == null || text.isBlank() || text.length() > 2000) {
            return path(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return path(text);
            }
        }
        return text.strip();
    }

    /** Why an I/O operation failed, in a few words, without the paths the exception may repeat. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return path(fs.getReason());
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : path(message);
    }

    /** {@code "line 3"} or {@code "lines 3, 4 and 9"}; at most {@code max} numbers, then how many more. */
    static String lines(List<Integer> lines, int max) {
        if (lines.size() == 1) {
            return "line " + lines.get(0);
        }
        List<String> shown = lines.stream().limit(max).map(String::valueOf).collect(Collectors.toList());
        String more = lines.size() > max ? " and " + (lines.size() - max) + " more" : "";
        if (more.isEmpty()) {
            String last = shown.remove(shown.size() - 1);
            return "lines " + String.join(", ", shown) + " and " + last;
        }
        return "lines " + String.join(", ", shown) + more;
    }
}
