package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.FactsGatherer;

/** The daemon's view of the guard: the units' record under a root directory, no probe. */
class GuardRecordTest {
    @TempDir
    Path root;

    @Test
    void read_recordAndTheWatchsWord_inForceOnlyWithBoth() throws Exception {
        assertEquals(GuardRecord.NONE, GuardRecord.read(root));
        Path record = root.resolve("run/seed-agent-imds-guard/ruleset.nft");
        Files.createDirectories(record.getParent());
        Files.writeString(record, GuardRuleset.render(java.util.List.of(), java.util.List.of()));
        Instant at = Instant.parse("2025-01-01T10:00:00Z");
        Files.setLastModifiedTime(record, FileTime.from(at));

        GuardRecord unwatched = GuardRecord.read(root);
        assertEquals(new GuardRecord(at, GuardRecord.Table.UNWATCHED), unwatched);
        assertFalse(unwatched.inForce(), "a record nobody watches outlives a flush: no proof");

        Path table = Files.createDirectories(root.resolve("run/seed-agent-imds-guard-watch"))
                .resolve("table");
        Files.writeString(table, "present\n");
        assertTrue(GuardRecord.read(root).inForce());
        MetadataAccess unprobed = new FactsGatherer(new CheckEnvironment(
                        root, host -> java.util.List.of(), (address, port, timeout) -> {}, Duration.ofSeconds(1)))
                .metadataAccessUnprobed("the daemon does not" + " switch users");
        assertEquals(MetadataAccess.Outcome.NOT_CHECKED, unprobed.outcome());
        assertEquals("the daemon does not switch users", unprobed.method());
        assertEquals(GuardRecord.confirmed(at), unprobed.guard());

        Files.writeString(table, "absent\n");
        assertEquals(new GuardRecord(at, GuardRecord.Table.ABSENT), GuardRecord.read(root));
        Files.writeString(table, "off\n");
        assertEquals(
                GuardRecord.Table.OFF, GuardRecord.read(root).table(), "no table and no record: off by configuration");
        Files.writeString(table, "pres");
        assertEquals(GuardRecord.Table.UNWATCHED, GuardRecord.read(root).table(), "a word it does not know");
    }

    @Test
    void read_aDirectoryOrALinkInTheWay_noRecordNoWord() throws Exception {
        Path directory = root.resolve("run/seed-agent-imds-guard");
        Files.createDirectories(directory.resolve("ruleset.nft"));
        Path elsewhere = Files.writeString(root.resolve("elsewhere"), "present\n");
        Files.createSymbolicLink(
                Files.createDirectories(root.resolve("run/seed-agent-imds-guard-watch"))
                        .resolve("table"),
                elsewhere);
        GuardRecord read = GuardRecord.read(root);
        assertNull(read.appliedAt());
        assertEquals(GuardRecord.Table.UNWATCHED, read.table(), "a link is not followed");
    }
}
