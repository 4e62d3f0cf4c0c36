package org.seedagent.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file atomically: a temp file whose name starts with a dot (HTCondor and most tools
 * skip dot files) in the same directory is written, fsynced, given its mode, renamed over the
 * target, and the directory fsynced. On any failure the temp file is removed and the target is as
 * it was. A symbolic link at the target is replaced by the rename, never written through.
 */
public final class AtomicFile {
    private AtomicFile() {}

    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = directory.resolve(tempPrefix(target)
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // Set explicitly: the umask must not decide who can read the file.
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Makes a rename or removal in {@code directory} durable: without it a power cut can undo it. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Removes temp files a crashed writer of {@code target} left behind. */
    public static void removeStaleTemps(Path target) {
        Path directory = target.toAbsolutePath().getParent();
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(directory, tempPrefix(target) + "*.tmp")) {
            for (Path temp : stale) {
                deleteQuietly(temp);
            }
        } catch (IOException e) {
            // Only clutter, skipped by every reader; the next write tries again.
        }
    }

    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Nothing more can be done; the leading dot keeps readers away from it.
        }
    }
}
