package org.seedagent.fragment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.testing.Await;
import org.seedagent.testing.Tmpfs;

class FragmentFileTest {
    @TempDir
    Path dir;

    private static final String CONTENT_A = "# Managed by seed-agent\nTCP_FORWARDING_HOST = 203.0.113.10\n";
    private static final String CONTENT_B = "# Managed by seed-agent\nTCP_FORWARDING_HOST = 198.51.100.7\n";

    @Test
    void write_newFile_writtenWithMode0644() throws IOException {
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        assertEquals(FragmentFile.WriteResult.WRITTEN, file.write(CONTENT_A));
        assertEquals(CONTENT_A, Files.readString(file.path()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    }

    @Test
    void write_identicalContent_noWriteAndMtimeUnchanged() throws IOException {
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        file.write(CONTENT_A);
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file.path(), old);
        Object inode = Files.readAttributes(file.path(), "unix:ino").get("ino");

        assertEquals(FragmentFile.WriteResult.UNCHANGED, file.write(CONTENT_A));
        assertEquals(old, Files.getLastModifiedTime(file.path()));
        assertEquals(inode, Files.readAttributes(file.path(), "unix:ino").get("ino"));
    }

    @Test
    void write_changedContent_replacedByRenameNotInPlace() throws IOException {
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        file.write(CONTENT_A);
        Object inodeBefore = Files.readAttributes(file.path(), "unix:ino").get("ino");
        Path hardLink = dir.resolve("old-link");
        Files.createLink(hardLink, file.path());

        assertEquals(FragmentFile.WriteResult.WRITTEN, file.write(CONTENT_B));
        assertEquals(CONTENT_B, Files.readString(file.path()));
        // The old inode still holds the old bytes: the new content arrived by rename, never by truncation.
        assertEquals(CONTENT_A, Files.readString(hardLink));
        assertFalse(
                inodeBefore.equals(Files.readAttributes(file.path(), "unix:ino").get("ino")));
    }

    @Test
    void write_sameContentWrongMode_rewrittenWith0644() throws IOException {
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        file.write(CONTENT_A);
        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-------"));
        assertEquals(FragmentFile.WriteResult.WRITTEN, file.write(CONTENT_A));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
    }

    @Test
    void write_success_leavesNoTempFile() throws IOException {
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        file.write(CONTENT_A);
        file.write(CONTENT_B);
        assertEquals(List.of("50-seed-agent.conf"), names(dir));
    }

    @Test
    void write_staleTempFromCrash_removedAndNeverRead() throws IOException {
        Path stale = dir.resolve(".50-seed-agent.conf.deadbeef.tmp");
        Files.writeString(stale, "TCP_FORWARDING_HOST = 10.");
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        file.write(CONTENT_A);
        assertEquals(List.of("50-seed-agent.conf"), names(dir));
    }

    @Test
    void write_tempFileIsDotNamedInSameDirectory() throws IOException, InterruptedException {
        Path target = dir.resolve("50-seed-agent.conf");
        FragmentFile file = new FragmentFile(target);
        List<String> created = new ArrayList<>();
        try (WatchService watcher = dir.getFileSystem().newWatchService()) {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            file.write(CONTENT_A);
            Await.that("inotify to report 50-seed-agent.conf created", Duration.ofSeconds(30))
                    .every(Duration.ZERO)
                    .detail(() -> "it reported " + created)
                    .until(() -> {
                        WatchKey key = watcher.poll(500, TimeUnit.MILLISECONDS);
                        if (key != null) {
                            key.pollEvents()
                                    .forEach(
                                            event -> created.add(event.context().toString()));
                            key.reset();
                        }
                        return created.contains("50-seed-agent.conf");
                    });
        }
        assertTrue(created.size() >= 2, "inotify saw " + created);
        String temp = created.get(0);
        assertTrue(
                temp.matches("\\.50-seed-agent\\.conf\\.[0-9a-f]+\\.tmp"),
                "temp file " + temp + " must start with a dot (HTCondor skips it) and live in the same directory");
        assertEquals(List.of("50-seed-agent.conf"), names(dir));
    }

    @Test
    void write_directoryMissing_failsAndCreatesNothing() {
        FragmentFile file = new FragmentFile(dir.resolve("no-such-dir/50-seed-agent.conf"));
        FragmentWriteException e = assertThrows(FragmentWriteException.class, () -> file.write(CONTENT_A));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("no-such-dir")));
    }

    @Test
    void write_targetIsDirectory_failsAndLeavesNoTemp() throws IOException {
        Path target = dir.resolve("50-seed-agent.conf");
        Files.createDirectory(target);
        FragmentFile file = new FragmentFile(target);
        FragmentWriteException e = assertThrows(FragmentWriteException.class, () -> file.write(CONTENT_A));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertEquals(List.of("50-seed-agent.conf"), names(dir));
    }

    @Test
    void write_diskFull_previousFragmentIntactAndNoTemp() throws IOException, InterruptedException {
        try (Tmpfs tmpfs = Tmpfs.mountAt(dir.resolve("tmpfs"), 64)) {
            FragmentFile file = new FragmentFile(tmpfs.path().resolve("50-seed-agent.conf"));
            file.write(CONTENT_A);
            tmpfs.fill();

            FragmentWriteException e = assertThrows(FragmentWriteException.class, () -> file.write(CONTENT_B));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertEquals(CONTENT_A, Files.readString(file.path()));
            assertEquals(List.of("50-seed-agent.conf", "filler"), names(tmpfs.path()));
        }
    }

    @Test
    void write_readOnlyFileSystem_previousFragmentIntactAndNoTemp() throws IOException, InterruptedException {
        try (Tmpfs tmpfs = Tmpfs.mountAt(dir.resolve("tmpfs"), 64)) {
            FragmentFile file = new FragmentFile(tmpfs.path().resolve("50-seed-agent.conf"));
            file.write(CONTENT_A);
            tmpfs.readOnly();

            FragmentWriteException e = assertThrows(FragmentWriteException.class, () -> file.write(CONTENT_B));
            assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
            assertEquals(CONTENT_A, Files.readString(file.path()));
            assertEquals(List.of("50-seed-agent.conf"), names(tmpfs.path()));
        }
    }

    @Test
    void write_symlinkAtPath_linkReplacedTargetUntouched() throws IOException {
        Path elsewhere = dir.resolve("elsewhere");
        Files.writeString(elsewhere, "precious\n");
        Path target = dir.resolve("50-seed-agent.conf");
        Files.createSymbolicLink(target, elsewhere);
        FragmentFile file = new FragmentFile(target);

        assertEquals(FragmentFile.WriteResult.WRITTEN, file.write(CONTENT_A));
        assertEquals("precious\n", Files.readString(elsewhere));
        assertFalse(Files.isSymbolicLink(target));
        assertTrue(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals(CONTENT_A, Files.readString(target));
    }

    @Test
    void read_symlink_notFollowed() throws IOException {
        Path elsewhere = dir.resolve("elsewhere");
        Files.writeString(elsewhere, CONTENT_A);
        Path target = dir.resolve("50-seed-agent.conf");
        Files.createSymbolicLink(target, elsewhere);
        assertTrue(new FragmentFile(target).read().isEmpty());
    }

    @Test
    void remove_existing_removedAndReported() throws IOException {
        FragmentFile file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        file.write(CONTENT_A);
        assertTrue(file.remove());
        assertFalse(Files.exists(file.path()));
        assertFalse(file.remove());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
