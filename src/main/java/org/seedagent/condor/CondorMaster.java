package org.seedagent.condor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Whether HTCondor is running on this host: a {@code condor_master} process exists. Read from
 * {@code <root>/proc/<pid>/comm}, so tests point {@code root} at a directory tree.
 */
public final class CondorMaster {
    static final String NAME = "condor_master";

    private CondorMaster() {}

    /** The lowest pid of a {@code condor_master} process under {@code root}'s {@code /proc}, or empty. */
    public static OptionalLong pid(Path root) {
        Path proc = root.resolve("proc");
        long found = Long.MAX_VALUE;
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path entry : entries) {
                String comm;
                try {
                    comm = Files.readString(entry.resolve("comm"), StandardCharsets.UTF_8)
                            .strip();
                } catch (IOException e) {
                    continue; // the process exited meanwhile, or is not ours to read
                }
                if (comm.equals(NAME)) {
                    found = Math.min(found, Long.parseLong(entry.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return found == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.length() <= 10 && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
