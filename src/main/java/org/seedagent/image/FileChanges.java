package org.seedagent.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.seedagent.support.AtomicFile;

/**
 * The file operations of the clean-up: read a regular file without following links, delete, and rewrite
 * atomically keeping owner, group and mode (history files belong to their users, not to root).
 */
final class FileChanges {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private FileChanges() {}

    /**
     * The content of {@code file}, which must be a regular file (not a link, FIFO or device) of at most
     * {@code max} bytes.
     */
    static byte[] readRegular(Path file, long max) throws IOException {
        return read(file, max, LinkOption.NOFOLLOW_LINKS);
    }

    /** The content of the regular file {@code file} is or links to, of at most {@code max} bytes. */
    static byte[] readFollowingLinks(Path file, long max) throws IOException {
        return read(file, max);
    }

    private static byte[] read(Path file, long max, LinkOption... links) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, links);
        if (!attributes.isRegularFile()) {
            throw new IOException("not a regular file");
        }
        Set<OpenOption> read = new HashSet<>(List.of(links));
        read.add(StandardOpenOption.READ);
        try (SeekableByteChannel channel = Files.newByteChannel(file, read)) {
            if (channel.size() > max) {
                throw new IOException("larger than " + max / (1024 * 1024) + " MiB");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read on
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    /** Deletes {@code file} (a link itself, never its target) and makes that durable. */
    static void delete(Path file) throws IOException {
        Files.delete(file);
        AtomicFile.syncDirectory(file.getParent());
    }

    /**
     * Replaces {@code file} with {@code bytes} atomically: a dot-named temporary file in the same directory,
     * created 0600, written and fsynced, given the file's owner, group and mode, renamed over it, and the
     * directory fsynced. On failure the temporary file is removed and {@code file} is as it was.
     */
    static void rewrite(Path file, byte[] bytes) throws IOException {
        Map<String, Object> unix = Files.readAttributes(file, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) unix.get("uid");
        int gid = (Integer) unix.get("gid");
        int mode = (Integer) unix.get("mode") & 07777;
        Path directory = file.getParent();
        Path temp = directory.resolve("." + file.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(
                    temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.setAttribute(temp, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(temp, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            // After the owner: chown may clear mode bits.
            Files.setAttribute(temp, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFile.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The leading dot keeps shells and tools away from it.
            }
            throw e;
        }
    }
}
