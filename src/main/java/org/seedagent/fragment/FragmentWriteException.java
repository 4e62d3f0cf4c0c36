package org.seedagent.fragment;

import java.io.IOException;
import java.nio.file.Path;

/** The fragment could not be written or removed; the previous file, if any, is untouched. */
public final class FragmentWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public FragmentWriteException(Path path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
