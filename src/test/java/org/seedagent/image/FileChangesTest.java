package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChangesTest {
    @TempDir
    Path dir;

    @Test
    void rewrite_keepsOwnerGroupAndMode_leavesNoTempFile() throws Exception {
        assumeTrue(isRoot(), "chown needs root (CI runs as root)");
        Path file = dir.resolve(".bash_history");
        Files.writeString(file, "ls\nexport AWS_SECRET_ACCESS_KEY=x\n");
        Files.setAttribute(file, "unix:uid", 1234);
        Files.setAttribute(file, "unix:gid", 5678);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        FileChanges.rewrite(file, "ls\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("ls\n", Files.readString(file));
        assertEquals(1234, Files.getAttribute(file, "unix:uid"));
        assertEquals(5678, Files.getAttribute(file, "unix:gid"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(file), list());
    }

    @Test
    void delete_aLink_removesTheLinkNotItsTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        FileChanges.delete(link);

        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(target));
    }

    @Test
    void readRegular_refusesLinksAndFifos() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThrows(IOException.class, () -> FileChanges.readRegular(link, 100));
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), FileChanges.readFollowingLinks(link, 100));
        Path fifo = dir.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        assertThrows(IOException.class, () -> FileChanges.readRegular(fifo, 100));
    }

    @Test
    void readRegular_tooLarge_refused() throws Exception {
        Path big = Files.write(dir.resolve("big"), new byte[101]);
        IOException e = assertThrows(IOException.class, () -> FileChanges.readRegular(big, 100));
        assertTrue(e.getMessage().startsWith("larger than"), e.getMessage());
    }

    private List<Path> list() throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    private boolean isRoot() throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:uid") == 0;
    }
}
