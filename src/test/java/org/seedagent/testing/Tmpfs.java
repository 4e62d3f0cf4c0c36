package org.seedagent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real tmpfs of a few KiB mounted on a given directory (root only; CI runs as root), so the kernel
 * itself says "No space left on device" or "Read-only file system" to a root process, and then stops
 * saying it: {@link #free} and {@link #readWrite} end the fault, to show the agent recovers.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path point;

    private Tmpfs(Path point) {
        this.point = point;
    }

    /** Mounts a tmpfs of {@code kib} KiB on {@code point} (created if needed); skips the test when not root. */
    public static Tmpfs mountAt(Path point, int kib) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root (CI runs as root)");
        Files.createDirectories(point);
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", point.toString()) == 0,
                "mount -t tmpfs is not permitted here");
        return new Tmpfs(point);
    }

    /** As {@link #mountAt}, but null instead of a skipped test when a tmpfs cannot be mounted (not root). */
    public static Tmpfs tryMountAt(Path point, int kib) throws IOException, InterruptedException {
        Files.createDirectories(point);
        if (!"root".equals(System.getProperty("user.name"))
                || run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", point.toString()) != 0) {
            return null;
        }
        return new Tmpfs(point);
    }

    public Path path() {
        return point;
    }

    /** Fills the file system until the kernel refuses another byte. */
    public void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(point.resolve("filler"))) {
            byte[] block = new byte[1024];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            // ENOSPC: full.
        }
    }

    /** Ends {@link #fill}. */
    public void free() throws IOException {
        Files.deleteIfExists(point.resolve("filler"));
    }

    public void readOnly() throws IOException, InterruptedException {
        remount("ro");
    }

    public void readWrite() throws IOException, InterruptedException {
        remount("rw");
    }

    private void remount(String mode) throws IOException, InterruptedException {
        if (run("mount", "-o", "remount," + mode, point.toString()) != 0) {
            throw new IOException("cannot remount " + point + " " + mode);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", point.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
