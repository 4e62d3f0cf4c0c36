package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.FactsGatherer;

/** The daemon's view of the guard: the unit's record under a root directory, no probe. */
class GuardRecordTest {
    @TempDir
    Path root;

    @Test
    void appliedAt_recordPresent_itsTime_absent_null() throws Exception {
        assertNull(GuardRecord.appliedAt(root));
        Path record = root.resolve("run/seed-agent-imds-guard/ruleset.nft");
        Files.createDirectories(record.getParent());
        Files.writeString(record, GuardRuleset.render(java.util.List.of(), java.util.List.of()));
        Instant at = Instant.parse("2025-01-01T10:00:00Z");
        Files.setLastModifiedTime(record, FileTime.from(at));

        assertEquals(at, GuardRecord.appliedAt(root));
        MetadataAccess unprobed = new FactsGatherer(new CheckEnvironment(root, host -> java.util.List.of(),
                (address, port, timeout) -> { }, Duration.ofSeconds(1))).metadataAccessUnprobed("the daemon does not"
                        + " switch users");
        assertEquals(MetadataAccess.Outcome.NOT_CHECKED, unprobed.outcome());
        assertEquals("the daemon does not switch users", unprobed.method());
        assertEquals(at, unprobed.guardApplied());
    }

    @Test
    void appliedAt_aDirectoryInTheWay_null() throws Exception {
        Files.createDirectories(root.resolve("run/seed-agent-imds-guard/ruleset.nft"));
        assertNull(GuardRecord.appliedAt(root));
    }
}
