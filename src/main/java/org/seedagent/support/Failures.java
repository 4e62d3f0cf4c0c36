package org.seedagent.support;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * A failure in words a person reads, without Java's class names (issue 22): "connection refused",
 * "no such file: /etc/x", "permission denied: /root/.aws/credentials". Untrusted parts (paths, messages) are
 * returned as they are: the caller escapes them for where they go.
 */
public final class Failures {
    private Failures() {}

    public static String plain(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            return message != null && message.contains(" within ") ? message : "no answer in time";
        }
        if (e instanceof java.net.NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host" + (message == null ? "" : " " + message);
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file" + file(f);
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied" + file(f);
        }
        if (e instanceof NotDirectoryException f) {
            return "not a directory" + file(f);
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT).charAt(0)
                    + f.getReason().substring(1)
                    + file(f);
        }
        if (message != null) {
            return message;
        }
        return e.getClass()
                .getSimpleName()
                .replace("Exception", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT);
    }

    /**
     * Why an I/O operation failed, without the file (the caller names it): "permission denied", the system's reason
     * ("No such file or directory", "Is a directory"), or what a process that could not start says after its
     * {@code error=N}.
     */
    public static String reason(java.io.IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return plain(e);
        }
        // ProcessBuilder: Cannot run program "x": error=2, No such file or directory
        int error = message.indexOf("error=");
        int comma = error < 0 ? -1 : message.indexOf(", ", error);
        return comma < 0 ? message : message.substring(comma + 2);
    }

    private static String file(FileSystemException f) {
        return f.getFile() == null ? "" : ": " + f.getFile();
    }
}
