package org.seedagent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny tmpfs mounted for one test (root only; CI runs as root): the only honest way to
 * make the kernel say "no space left" or "read-only file system" to a root process.
 */
public final class TinyTmpfs implements AutoCloseable {
    private final Path mountPoint;

    private TinyTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code kib} KiB on a new directory under {@code parent}; skips the test when not root. */
    public static TinyTmpfs mount(Path parent, int kib) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root (CI runs as root)");
        Path point = Files.createTempDirectory(parent, "tmpfs");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", point.toString()) == 0,
                "mount -t tmpfs is not permitted here");
        return new TinyTmpfs(point);
    }

    public Path path() {
        return mountPoint;
    }

    /** Fills the file system until the kernel refuses another byte. */
    public void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            // ENOSPC: full.
        }
    }

    public void remountReadOnly() throws IOException, InterruptedException {
        if (run("mount", "-o", "remount,ro", mountPoint.toString()) != 0) {
            throw new IOException("cannot remount " + mountPoint + " read-only");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", mountPoint.toString());
        Files.deleteIfExists(mountPoint);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
