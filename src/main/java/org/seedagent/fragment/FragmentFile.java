package org.seedagent.fragment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.seedagent.support.AtomicFile;
import org.seedagent.support.Failures;

/**
 * The fragment on disk. Writes are atomic and change-only: a temp file whose name HTCondor skips
 * (leading dot) in the same directory is written, fsynced, renamed over the target, and the
 * directory fsynced; identical content is not rewritten. A failure removes the temp file and leaves
 * the previous fragment as it was. A symbolic link at the path is replaced, never written through.
 */
public final class FragmentFile {
    private static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    /** A fragment is a few hundred bytes; anything much larger at our path is not ours. */
    private static final int MAX_READ = 64 * 1024;

    /** What {@link #write} did. */
    public enum WriteResult {
        WRITTEN,
        UNCHANGED
    }

    private final Path path;

    public FragmentFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    public Path path() {
        return path;
    }

    /** The current content, or empty when there is no regular file at the path (or a link). */
    public Optional<String> read() throws FragmentWriteException {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() > MAX_READ) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new FragmentWriteException(path, "cannot read the current fragment: " + Failures.reason(e), e);
        }
    }

    /** Writes {@code content} unless the file already holds exactly these bytes. */
    public WriteResult write(String content) throws FragmentWriteException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (holdsExactly(bytes)) {
            return WriteResult.UNCHANGED;
        }
        Path directory = path.getParent();
        if (!Files.isDirectory(directory)) {
            throw new FragmentWriteException(
                    path, "directory " + directory + " does not exist (is HTCondor installed?)", null);
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FragmentWriteException(
                    path, "is a directory; remove it so seed-agent can write its fragment", null);
        }
        AtomicFile.removeStaleTemps(path);
        try {
            AtomicFile.write(path, bytes, MODE_0644);
            return WriteResult.WRITTEN;
        } catch (IOException e) {
            throw new FragmentWriteException(path, "cannot write the fragment: " + Failures.reason(e), e);
        }
    }

    /** Removes the fragment; returns whether there was one. */
    public boolean remove() throws FragmentWriteException {
        try {
            boolean existed = Files.deleteIfExists(path);
            if (existed) {
                AtomicFile.syncDirectory(path.getParent());
            }
            return existed;
        } catch (IOException e) {
            throw new FragmentWriteException(path, "cannot remove the fragment: " + Failures.reason(e), e);
        }
    }

    /** Removes temp files a crashed writer left behind; they are skipped by HTCondor but are clutter. */
    public void removeStaleTemps() {
        AtomicFile.removeStaleTemps(path);
    }

    private boolean holdsExactly(byte[] bytes) throws FragmentWriteException {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.size() != bytes.length) {
                return false;
            }
            return Arrays.equals(Files.readAllBytes(path), bytes)
                    && Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)
                            .equals(MODE_0644);
        } catch (NoSuchFileException e) {
            return false;
        } catch (AccessDeniedException e) {
            throw new FragmentWriteException(path, "permission denied reading the current fragment", e);
        } catch (IOException e) {
            return false;
        }
    }
}
