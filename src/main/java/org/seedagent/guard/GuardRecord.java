package org.seedagent.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;

/** What the guard unit left in its runtime directory: when it last applied its rule set. */
public final class GuardRecord {
    private GuardRecord() {
    }

    /**
     * When the rule set recorded under {@code root} (the directory standing for {@code /}) was applied,
     * or {@code null} when there is none.
     */
    public static Instant appliedAt(Path root) {
        Path file = root.resolve(ImdsGuard.RUNTIME_DIRECTORY.toString().substring(1)).resolve(ImdsGuard.RULESET_NAME);
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The record's path, as the system names it. */
    public static String path() {
        return ImdsGuard.RUNTIME_DIRECTORY.resolve(ImdsGuard.RULESET_NAME).toString();
    }
}
