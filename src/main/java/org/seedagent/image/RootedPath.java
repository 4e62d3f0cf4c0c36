package org.seedagent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths as the instance names them, mapped under the directory that stands for {@code /}. */
final class RootedPath {
    private RootedPath() {}

    /** {@code path} (absolute, as the instance names it) under {@code root}. */
    static Path under(Path root, String path) {
        return root.resolve(path.replaceFirst("^/+", "")).normalize();
    }

    /** {@code file} (under {@code root}) as the instance names it; a path outside {@code root} as it is. */
    static String named(Path root, Path file) {
        if (!file.startsWith(root)) {
            return file.toString();
        }
        return "/" + root.relativize(file).toString();
    }

    /**
     * Why a file in a home directory must not be changed, or {@code null}: a symbolic link at the file
     * itself or anywhere in the directories leading to it. A user who controls a home directory could
     * otherwise point root's delete or rename elsewhere.
     *
     * @param root the real path of the root directory (no symbolic links in it)
     */
    static String linkProblem(Path root, Path file) {
        try {
            if (Files.isSymbolicLink(file)) {
                return "it is a symbolic link (to "
                        + Show.path(Files.readSymbolicLink(file).toString())
                        + "), not followed: deal with the file it points to yourself";
            }
            Path parent = file.getParent();
            Path real = parent.toRealPath();
            if (!real.equals(parent)) {
                return "a symbolic link is in its path (" + Show.path(named(root, parent)) + " is "
                        + Show.path(named(root, real)) + "), not followed: deal with it yourself";
            }
            return null;
        } catch (IOException e) {
            return "cannot be examined: " + Show.reason(e);
        }
    }
}
