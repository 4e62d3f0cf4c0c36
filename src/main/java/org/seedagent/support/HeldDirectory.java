package org.seedagent.support;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A directory a user may change, held open: reached from a trusted directory one component at a time, each
 * opened relative to the one before without following a link ({@code openat} with {@code O_NOFOLLOW}, through
 * the JDK's {@link SecureDirectoryStream}), and every file operation done relative to it ({@code openat},
 * {@code fstatat}, {@code fchownat}, {@code renameat}, {@code unlinkat}). No path is looked up twice: a user who
 * swaps a directory on the way for a link after it was opened changes nothing for root, and one swapped before
 * makes the open fail. What root writes can only land in the directory it opened.
 */
public final class HeldDirectory implements Closeable {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final SecureDirectoryStream<Path> directory;
    private final Path path;

    private HeldDirectory(SecureDirectoryStream<Path> directory, Path path) {
        this.directory = directory;
        this.path = path;
    }

    /**
     * Opens {@code relative} (a path of directory names, no {@code ..}) under {@code trusted}, a directory only root
     * can change (the root of the file system, or a test's stand-in for it), without following any link on the
     * way.
     *
     * @throws IOException when a component is missing ({@link java.nio.file.NoSuchFileException}), is a link, or is
     *     not a directory, the message naming it as the instance does ({@code /home/bob/.aws}); or when this platform
     *     has no secure directory streams (the agent then refuses rather than fall back to paths)
     */
    public static HeldDirectory open(Path trusted, Path relative) throws IOException {
        DirectoryStream<Path> start = Files.newDirectoryStream(trusted);
        if (!(start instanceof SecureDirectoryStream<Path> current)) {
            start.close();
            throw new IOException("this platform cannot open directories relative to each other (no"
                    + " SecureDirectoryStream): refusing to change files under a user's directory by path");
        }
        Path walked = trusted;
        String named = "";
        try {
            for (Path component : relative.toString().isEmpty() ? java.util.List.<Path>of() : relative) {
                String name = component.toString();
                if (name.equals("..") || name.equals(".") || name.isEmpty()) {
                    throw new IOException("not a plain directory name: " + Text.quote(name, 100));
                }
                named = named + "/" + name;
                // Looked at in the directory already held (fstatat, no link followed) before it is opened: a FIFO
                // opened as a directory would block root, and the path is never looked up again by name.
                java.nio.file.attribute.BasicFileAttributes entry;
                try {
                    entry = current.getFileAttributeView(
                                    component, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                            .readAttributes();
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new java.nio.file.NoSuchFileException(named);
                }
                if (entry.isSymbolicLink()) {
                    throw new IOException(named + " is a symbolic link, not followed");
                }
                if (!entry.isDirectory()) {
                    throw new IOException(named + " is not a directory");
                }
                SecureDirectoryStream<Path> next;
                try {
                    next = current.newDirectoryStream(component, NOFOLLOW);
                } catch (NotDirectoryException e) {
                    throw new IOException(named + " is not a directory", e);
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new java.nio.file.NoSuchFileException(named);
                } catch (IOException e) {
                    throw new IOException(named + ": " + e.getMessage(), e);
                }
                current.close();
                current = next;
                walked = walked.resolve(component);
            }
            return new HeldDirectory(current, walked);
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    /** The path the directory had when it was opened (for messages only: it is never looked up again). */
    public Path path() {
        return path;
    }

    /** The attributes of {@code name} in this directory, the entry itself (a link is not followed). */
    public PosixFileAttributes attributes(String name) throws IOException {
        return view(name).readAttributes();
    }

    /**
     * The content of the regular file {@code name} in this directory, at most {@code max} bytes: a link, a FIFO
     * or a device is refused, and so is a larger file.
     */
    public byte[] readRegular(String name, long max) throws IOException {
        return read(name, max, true);
    }

    /**
     * At most the first {@code limit} bytes of the regular file {@code name} in this directory (a link, a FIFO or a
     * device is refused).
     */
    public byte[] readHead(String name, int limit) throws IOException {
        return read(name, limit, false);
    }

    private byte[] read(String name, long max, boolean whole) throws IOException {
        PosixFileAttributes before = attributes(name);
        if (!before.isRegularFile()) {
            throw new IOException(before.isSymbolicLink() ? "a symbolic link, not followed" : "not a regular file");
        }
        try (SeekableByteChannel channel =
                directory.newByteChannel(Path.of(name), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            if (whole && channel.size() > max) {
                throw new IOException("larger than " + max / (1024 * 1024) + " MiB");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, Math.max(0, channel.size())));
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read on
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    /**
     * Replaces the file {@code name} in this directory with {@code bytes}: a dot-named temporary file created here
     * (0600, never through a link), written and fsynced, given the old file's owner, group and mode, renamed over
     * it here, and the directory fsynced. On failure the temporary file is removed and {@code name} is as it was.
     */
    public void rewrite(String name, byte[] bytes) throws IOException {
        PosixFileAttributes old = attributes(name);
        if (!old.isRegularFile()) {
            throw new IOException(old.isSymbolicLink() ? "a symbolic link, not followed" : "not a regular file");
        }
        Path temp = Path.of(
                "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Set<OpenOption> create = new HashSet<>(EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        create.add(LinkOption.NOFOLLOW_LINKS);
        try {
            try (SeekableByteChannel channel = directory.newByteChannel(
                    temp, create, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (channel instanceof FileChannel file) {
                    file.force(true);
                }
            }
            PosixFileAttributeView view = directory.getFileAttributeView(temp, PosixFileAttributeView.class, NOFOLLOW);
            view.setOwner(old.owner());
            view.setGroup(old.group());
            view.setPermissions(old.permissions()); // after the owner: chown may clear mode bits
            directory.move(temp, directory, Path.of(name));
            sync();
        } catch (IOException | RuntimeException e) {
            try {
                directory.deleteFile(temp);
            } catch (IOException ignored) {
                // gone already, or the rename happened; the leading dot keeps tools away from it
            }
            throw e;
        }
    }

    /** Removes the entry {@code name} (a link itself, never its target) from this directory, durably. */
    public void delete(String name) throws IOException {
        directory.deleteFile(Path.of(name));
        sync();
    }

    /** fsync of this very directory (opened relative to itself, not by path). */
    private void sync() throws IOException {
        try (SeekableByteChannel self = directory.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            if (self instanceof FileChannel file) {
                file.force(true);
            }
        }
    }

    private PosixFileAttributeView view(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IOException("not a file name: " + Text.quote(name, 100));
        }
        PosixFileAttributeView view =
                directory.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW);
        if (view == null) {
            throw new IOException("no POSIX attributes here");
        }
        return view;
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }
}
