package org.seedagent.checks;

import java.util.Objects;

/**
 * What {@code stat} said about one file, gathered before the checks run. Never its content.
 *
 * @param path the path as HTCondor names it (absolute, under the real root)
 * @param exists whether the file exists
 * @param regularFile whether it is a regular file (symbolic links followed)
 * @param uid the owner's uid, or -1 when unknown
 * @param owner the owner's name, or {@code null} when unknown
 * @param mode the permission bits ({@code 07777}), or -1 when unknown
 * @param problem why the file could not be examined, or {@code null}
 */
public record FileStat(
        String path, boolean exists, boolean regularFile, int uid, String owner, int mode, String problem) {

    public FileStat {
        Objects.requireNonNull(path, "path");
    }

    public static FileStat missing(String path) {
        return new FileStat(path, false, false, -1, null, -1, null);
    }

    public static FileStat unexamined(String path, String problem) {
        return new FileStat(path, false, false, -1, null, -1, Objects.requireNonNull(problem, "problem"));
    }

    public static FileStat of(String path, boolean regularFile, int uid, String owner, int mode) {
        return new FileStat(path, true, regularFile, uid, owner, mode, null);
    }

    /** The mode as {@code 0644}. */
    public String octalMode() {
        return mode < 0 ? "unknown" : String.format("%04o", mode);
    }
}
