package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.config.ConfigKey;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.state.DaemonState;
import org.seedagent.state.StateStore;
import org.seedagent.testing.Tmpfs;

/**
 * The files around the agent turned hostile, with the production daemon: config.d missing, read-only or
 * full (a real tmpfs, as root), the fragment replaced by a symbolic link or a directory, stale dot-temp
 * files from a crash, the state file corrupt, truncated or unwritable. For each: the problem is reported
 * once however many polls it lasts, the fragment is never partial, empty or written through a link, the
 * daemon keeps polling, and it recovers (one line) when the problem goes away.
 */
class HostileFilesTest {
    private static final String A = "203.0.113.10";
    private static final String B = "198.51.100.7";
    private static final int POLLS = 3;
    private static final List<String> RESULTS = new ArrayList<>();
    private static final Tally TALLY = new Tally();

    @RegisterExtension
    static final FiguresOnPass FIGURES = new FiguresOnPass(() -> {
        RESULTS.forEach(r -> System.out.println("  " + r));
        return Figures.of("file faults")
                .with("scenarios", RESULTS.size())
                .with("fragment_checks", TALLY.get("fragment_checks"))
                .with("fragments_corrupted", TALLY.get("fragments_corrupted"))
                .with("fragments_lost", TALLY.get("fragments_lost"))
                .with("link_targets_checked", TALLY.get("link_targets_checked"))
                .with("written_through_a_link", TALLY.get("written_through_a_link"));
    });

    @TempDir
    Path dir;

    private static byte[] bytes(String ip) {
        return Rig.render(ip).getBytes(StandardCharsets.UTF_8);
    }

    /** Never a partial, empty or foreign fragment, never a temp file: either nothing or {@code expected}. */
    private static void assertIntact(Rig rig, byte[] expected) throws IOException {
        byte[] now = rig.fragmentBytes();
        if (expected == null) {
            assertNull(now, "no fragment expected");
        } else {
            TALLY.check("fragment_checks", "fragments_lost", now != null);
            TALLY.add("fragments_corrupted", now != null && !java.util.Arrays.equals(expected, now) ? 1 : 0);
            assertArrayEquals(expected, now, "the fragment must be exactly the last good one");
            assertTrue(Rig.isCompleteFragment(now));
        }
        if (Files.isDirectory(rig.configDir)) {
            assertEquals(List.of(), rig.tempFiles(), "no temp file left");
        }
    }

    private static void record(String scenario, int problems, int polls) {
        RESULTS.add(scenario + "\tproblem_lines=" + problems + "\tpolls=" + polls);
    }

    // --- config.d ---------------------------------------------------------------------------------

    @Test
    void boot_configDirMissing_reportedOncePollsOnWrittenWhenItAppears() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            Files.delete(rig.configDir);
            try (SeedDaemon daemon = rig.daemon()) {
                String status = Rig.bootAndReady(daemon);
                assertTrue(status.startsWith("boot sync failed: "), status);
                rig.poll(daemon, POLLS);
                assertFalse(Files.exists(rig.configDir), "the agent does not invent HTCondor's directory");
                List<String> problems = rig.problemsSince(0);
                assertEquals(1, problems.size(), "reported once: " + problems);
                assertTrue(
                        problems.get(0)
                                .contains("directory " + rig.configDir + " does not exist (is HTCondor installed?)"),
                        problems.get(0));

                Files.createDirectories(rig.configDir);
                int mark = rig.mark();
                rig.poll(daemon, 1);
                assertIntact(rig, bytes(A));
                assertEquals(1, rig.reloadCount(), "the address came into force: one reload");
                assertEquals(
                        1,
                        rig.linesSince(mark).stream()
                                .filter(l -> l.contains("is in line again"))
                                .count(),
                        rig.log());
                assertEquals(A, rig.condorSays());
                record("config.d missing at boot, then created", problems.size(), POLLS + 2);
            }
        }
    }

    @Test
    void poll_configDirReadOnly_previousFragmentKeptReportedOnceRecovers() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint());
                Tmpfs tmpfs = Tmpfs.mountAt(rig.configDir, 256)) {
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                assertIntact(rig, bytes(A));
                tmpfs.readOnly();
                imds.setPublicIpv4(B);
                int problems = faultyPolls(rig, daemon, bytes(A), "Read-only file system");
                tmpfs.readWrite();
                recovers(rig, daemon, B);
                record("config.d read-only (tmpfs remounted ro) during an address change", problems, POLLS + 1);
            }
        }
    }

    @Test
    void poll_configDirFull_previousFragmentKeptReportedOnceRecovers() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint());
                Tmpfs tmpfs = Tmpfs.mountAt(rig.configDir, 64)) {
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                assertIntact(rig, bytes(A));
                tmpfs.fill();
                imds.setPublicIpv4(B);
                int problems = faultyPolls(rig, daemon, bytes(A), "No space left on device");
                tmpfs.free();
                recovers(rig, daemon, B);
                record("config.d full (tmpfs) during an address change", problems, POLLS + 1);
            }
        }
    }

    /** Polls through a write fault; the old fragment stays; one error line names {@code reason}. */
    private static int faultyPolls(Rig rig, SeedDaemon daemon, byte[] kept, String reason) throws Exception {
        int mark = rig.mark();
        int reloads = rig.reloadCount();
        for (int i = 0; i < POLLS; i++) {
            String summary = rig.poll(daemon, 1);
            assertTrue(summary.contains("last poll failed") && summary.contains(reason), summary);
            assertIntact(rig, kept);
        }
        List<String> problems = rig.problemsSince(mark);
        assertEquals(1, problems.size(), "reported once, not once per poll: " + problems);
        assertTrue(problems.get(0).startsWith("<3>") && problems.get(0).contains(reason), problems.get(0));
        assertEquals(reloads, rig.reloadCount(), "nothing new in force: no reload");
        return problems.size();
    }

    /** The fault is gone: the next poll writes {@code ip}, reloads once, says so once. */
    private static void recovers(Rig rig, SeedDaemon daemon, String ip) throws Exception {
        int mark = rig.mark();
        int reloads = rig.reloadCount();
        rig.poll(daemon, 1);
        assertIntact(rig, bytes(ip));
        assertEquals(reloads + 1, rig.reloadCount());
        rig.poll(daemon, 2);
        assertEquals(reloads + 1, rig.reloadCount());
        assertEquals(
                1,
                rig.linesSince(mark).stream()
                        .filter(l -> l.contains("is in line again"))
                        .count(),
                rig.log());
        assertEquals(ip, rig.condorSays());
    }

    // --- the fragment's path ------------------------------------------------------------------------

    static Stream<Arguments> links() {
        return Stream.of(
                Arguments.of("to a file elsewhere"),
                Arguments.of("to a directory"),
                Arguments.of("dangling"),
                Arguments.of("to another config file in config.d"));
    }

    @ParameterizedTest(name = "symlink {0}")
    @MethodSource("links")
    void poll_fragmentReplacedBySymlink_linkReplacedTargetNeverWritten(String kind) throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                Path target = switch (kind) {
                    case "to a file elsewhere" -> Files.writeString(dir.resolve("precious"), "precious\n");
                    case "to a directory" -> Files.createDirectories(dir.resolve("some-dir"));
                    case "dangling" -> dir.resolve("does-not-exist");
                    default -> Files.writeString(rig.configDir.resolve("60-local"), "DAEMON_LIST = $(DAEMON_LIST)\n");
                };
                String before = Files.isRegularFile(target) ? Files.readString(target) : null;
                Files.delete(rig.fragment);
                Files.createSymbolicLink(rig.fragment, target);

                imds.setPublicIpv4(B);
                rig.poll(daemon, 1);
                assertFalse(Files.isSymbolicLink(rig.fragment), "the link itself was replaced");
                assertTrue(Files.isRegularFile(rig.fragment, LinkOption.NOFOLLOW_LINKS));
                assertIntact(rig, bytes(B));
                if (before != null) {
                    TALLY.check(
                            "link_targets_checked", "written_through_a_link", before.equals(Files.readString(target)));
                    assertEquals(before, Files.readString(target), "never written through the link");
                } else if (kind.equals("dangling")) {
                    TALLY.check(
                            "link_targets_checked",
                            "written_through_a_link",
                            !Files.exists(target, LinkOption.NOFOLLOW_LINKS));
                    assertFalse(
                            Files.exists(target, LinkOption.NOFOLLOW_LINKS), "nothing created at the link's target");
                } else {
                    try (Stream<Path> inside = Files.list(target)) {
                        long written = inside.count();
                        TALLY.check("link_targets_checked", "written_through_a_link", written == 0);
                        assertEquals(0, written, "nothing written into the linked directory");
                    }
                }
                assertEquals(2, rig.reloadCount());
                assertEquals(B, rig.condorSays());
                record("fragment replaced by a symlink " + kind, 0, 1);
            }
        }
    }

    @Test
    void poll_fragmentPathIsDirectory_reportedOncePollsOnRecovers() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                Files.delete(rig.fragment);
                Files.createDirectories(rig.fragment.resolve("inside"));
                int mark = rig.mark();
                for (int i = 0; i < POLLS; i++) {
                    String summary = rig.poll(daemon, 1);
                    assertTrue(summary.contains("is a directory"), summary);
                    assertTrue(Files.isDirectory(rig.fragment.resolve("inside")), "the directory is left alone");
                    assertEquals(List.of(), rig.tempFiles());
                }
                List<String> problems = rig.problemsSince(mark);
                assertEquals(1, problems.size(), "reported once: " + problems);
                assertTrue(
                        problems.get(0).contains("is a directory; remove it so seed-agent can write its fragment"),
                        problems.get(0));

                Files.delete(rig.fragment.resolve("inside"));
                Files.delete(rig.fragment);
                int recovery = rig.mark();
                rig.poll(daemon, 2);
                assertIntact(rig, bytes(A));
                assertEquals(
                        1,
                        rig.linesSince(recovery).stream()
                                .filter(l -> l.contains("is in line again"))
                                .count(),
                        rig.log());
                assertEquals(1, rig.reloadCount(), "the address in force never changed");
                record("fragment path is a directory", problems.size(), POLLS + 2);
            }
        }
    }

    @Test
    void boot_staleDotTempsFromACrash_removedAndNeverRead() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            Files.writeString(rig.fragment, Rig.render(A));
            Path fragmentTemp = rig.configDir.resolve(".50-seed-agent.conf.5eedc0de.tmp");
            Files.writeString(fragmentTemp, "# Managed by seed-agent\nTCP_FORWARDING_HOST = 10.");
            Path stateTemp = Files.createDirectories(rig.stateDir).resolve(".state.json.5eedc0de.tmp");
            Files.writeString(stateTemp, "{\"schema_version\": 1, \"agent\": {");
            Path foreign = rig.configDir.resolve(".50-seed-agent.conf.rpmsave");
            Files.writeString(foreign, "not ours\n");
            assertEquals(A, rig.condorSays(), "HTCondor skips dot files: the half-written temp is never read");

            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                assertFalse(Files.exists(fragmentTemp), "stale fragment temp removed at boot");
                assertFalse(Files.exists(stateTemp), "stale state temp removed at boot");
                assertTrue(Files.exists(foreign), "files that are not the agent's temps are left alone");
                assertIntact(rig, bytes(A));
                // The settings checks' summary depends on this host (imds-guard: the guard unit's record in /run).
                assertEquals(
                        List.of(),
                        rig.problemsSince(0).stream()
                                .filter(l -> !l.contains("settings checks"))
                                .toList());
                record("stale dot-temps (fragment and state) left by a crash", 0, 1);
            }
        }
    }

    // --- the state file -------------------------------------------------------------------------------

    static Stream<Arguments> corruptStates() {
        String valid = "{\"schema_version\": 1, \"agent\": {\"version\": \"0.1\", \"pid\": 7, \"started_at\": "
                + "\"2025-01-01T00:00:00Z\"}, \"address\": {\"current\": \"192.0.2.1\", \"since\": \"2025-01-01T00:00:00Z\"}}";
        return Stream.of(
                Arguments.of("garbage", "this is not json".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("truncated", valid.substring(0, valid.length() / 2).getBytes(StandardCharsets.UTF_8)),
                Arguments.of("empty", new byte[0]),
                Arguments.of("NUL bytes (a crash on a file system without data journaling)", new byte[512]),
                Arguments.of("invalid UTF-8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}),
                Arguments.of(
                        "wrong types",
                        "{\"schema_version\": 1, \"agent\": [1, 2], \"changes\": \"x\"}"
                                .getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        "bad time",
                        "{\"schema_version\": 1, \"last_success\": \"yesterday\"}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("future schema", "{\"schema_version\": 2}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("JSON array", "[]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of(
                        "deeply nested",
                        ("{\"schema_version\": 1, \"checks\": " + "[".repeat(100_000))
                                .getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptStates")
    void boot_stateFileCorrupt_warnsOnceStartsFreshFragmentRight(String kind, byte[] content) throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            Files.writeString(rig.fragment, Rig.render(A));
            Files.createDirectories(rig.stateDir);
            Files.write(rig.stateDir.resolve("state.json"), content);
            try (SeedDaemon daemon = rig.daemon()) {
                assertEquals("TCP_FORWARDING_HOST = " + A + " (public IPv4)", Rig.bootAndReady(daemon));
                rig.poll(daemon, POLLS);
                List<String> problems = rig.problemsSince(0).stream()
                        .filter(l -> !l.contains("settings checks"))
                        .toList();
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(
                        problems.get(0).startsWith("<4>ignoring the state file " + rig.stateDir.resolve("state.json")),
                        problems.get(0));
                assertIntact(rig, bytes(A));
                DaemonState state = new StateStore(rig.stateDir).load();
                assertEquals(A, state.currentAddress, "a fresh, valid state file replaced it");
                assertEquals(0, rig.reloadCount(), "the fragment already held the address: nothing to reload");
                record("state file " + kind, problems.size(), POLLS + 1);
            }
        }
    }

    @Test
    void boot_stateFileIsADirectory_warnsOnceKeepsPolling() throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint())) {
            Files.createDirectories(rig.stateDir.resolve("state.json"));
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                imds.setPublicIpv4(B);
                rig.poll(daemon, POLLS);
                assertIntact(rig, bytes(B));
                assertEquals(2, rig.reloadCount(), "the fragment is managed as usual");
                List<String> problems = rig.problemsSince(0).stream()
                        .filter(l -> !l.contains("settings checks") && !l.contains("public address changed"))
                        .toList();
                assertEquals(2, problems.size(), "read at boot, write from then on, each once: " + problems);
                assertTrue(problems.get(0).startsWith("<4>ignoring the state file"), problems.get(0));
                assertTrue(problems.get(1).startsWith("<4>cannot write the state file"), problems.get(1));
                record("state file path is a directory", problems.size(), POLLS + 1);
            }
        }
    }

    static Stream<Arguments> unwritableStates() {
        return Stream.of(Arguments.of("full"), Arguments.of("read-only"));
    }

    @ParameterizedTest(name = "state directory on a {0} tmpfs")
    @MethodSource("unwritableStates")
    void poll_stateDirectoryUnwritable_warnedOnceFragmentStillManagedRecovers(String kind) throws Exception {
        try (RawImds imds = RawImds.start(A);
                Rig rig = new Rig(dir, imds.endpoint());
                Tmpfs tmpfs = Tmpfs.mountAt(dir.resolve("state-fs"), 64)) {
            rig.set(ConfigKey.STATE_DIRECTORY, tmpfs.path().toString());
            try (SeedDaemon daemon = rig.daemon()) {
                Rig.bootAndReady(daemon);
                byte[] saved = Files.readAllBytes(tmpfs.path().resolve("state.json"));
                if (kind.equals("full")) {
                    tmpfs.fill();
                } else {
                    tmpfs.readOnly();
                }
                int mark = rig.mark();
                imds.setPublicIpv4(B);
                rig.poll(daemon, POLLS);
                assertIntact(rig, bytes(B));
                assertEquals(2, rig.reloadCount(), "the address change is applied as usual");
                List<String> problems = rig.problemsSince(mark).stream()
                        .filter(l -> l.contains("state file"))
                        .toList();
                assertEquals(1, problems.size(), "warned once: " + problems);
                assertArrayEquals(
                        saved,
                        Files.readAllBytes(tmpfs.path().resolve("state.json")),
                        "the last complete state file stays, never a partial one");
                try (Stream<Path> files = Files.list(tmpfs.path())) {
                    assertEquals(
                            0,
                            files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                                    .count());
                }

                if (kind.equals("full")) {
                    tmpfs.free();
                } else {
                    tmpfs.readWrite();
                }
                int recovery = rig.mark();
                rig.poll(daemon, 2);
                assertEquals(
                        1,
                        rig.linesSince(recovery).stream()
                                .filter(l -> l.contains("written again"))
                                .count(),
                        rig.log());
                assertEquals(B, new StateStore(tmpfs.path()).load().currentAddress);
                record("state directory on a " + kind + " tmpfs", problems.size(), POLLS + 3);
            }
        }
    }
}
