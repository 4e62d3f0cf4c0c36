package org.seedagent.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What the guard's units left in their runtime directory, for readers without CAP_NET_ADMIN (the daemon,
 * {@code seed-agent status}): when the guard last applied its rule set ({@value ImdsGuard#RULESET_NAME}), and
 * what its watch last saw in the kernel ({@value #TABLE_NAME}). The record alone outlives a flush of the rule
 * set; only the watch's word says the table is there now (issue 21).
 *
 * @param appliedAt when the rule set was applied (the record's time), or null when there is no record
 * @param table what the watch saw
 */
public record GuardRecord(Instant appliedAt, Table table) {
    /** The watch's file, in its unit's runtime directory: "present", "absent" or "off"; gone when the watch stops. */
    public static final String TABLE_NAME = "table";
    /** The watch unit's {@code RuntimeDirectory=}. */
    public static final Path WATCH_DIRECTORY = Path.of("/run/seed-agent-imds-guard-watch");
    /** The watch's unit. */
    public static final String WATCH_UNIT = "seed-agent-imds-guard-watch.service";
    /** No record, nothing watching: the guard is not running. */
    public static final GuardRecord NONE = new GuardRecord(null, Table.UNWATCHED);

    /** What seed-agent-imds-guard-watch saw in the kernel. */
    public enum Table {
        /** The guard's table is in the kernel (seen at the watch's start or after the last table event). */
        PRESENT,
        /** It is gone, and the watch could not load it again (it keeps trying). */
        ABSENT,
        /** No table and no record: the guard removed its table on purpose (imds-guard.enabled = false). */
        OFF,
        /** No word from the watch (not running, or its file unreadable): the record alone proves nothing. */
        UNWATCHED
    }

    public GuardRecord {
        java.util.Objects.requireNonNull(table, "table");
    }

    /** A rule set applied at {@code at}, its table seen in the kernel by the watch. */
    public static GuardRecord confirmed(Instant at) {
        return new GuardRecord(at, Table.PRESENT);
    }

    /** Whether the guard's rules are in force, as far as an unprivileged reader can know. */
    public boolean inForce() {
        return appliedAt != null && table == Table.PRESENT;
    }

    /** Reads the record under {@code root} (the directory standing for {@code /}), never following a link. */
    public static GuardRecord read(Path root) {
        Path directory = root.resolve(ImdsGuard.RUNTIME_DIRECTORY.toString().substring(1));
        Path record = directory.resolve(ImdsGuard.RULESET_NAME);
        Instant applied;
        try {
            applied = Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)
                    ? Files.getLastModifiedTime(record, LinkOption.NOFOLLOW_LINKS)
                            .toInstant()
                    : null;
        } catch (IOException e) {
            applied = null;
        }
        return new GuardRecord(
                applied,
                table(root.resolve(WATCH_DIRECTORY.toString().substring(1)).resolve(TABLE_NAME)));
    }

    private static Table table(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Table.UNWATCHED;
        }
        try {
            return switch (new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip()) {
                case "present" -> Table.PRESENT;
                case "absent" -> Table.ABSENT;
                case "off" -> Table.OFF;
                default -> Table.UNWATCHED;
            };
        } catch (IOException e) {
            return Table.UNWATCHED;
        }
    }

    /** The record's path, as the system names it. */
    public static String path() {
        return ImdsGuard.RUNTIME_DIRECTORY.resolve(ImdsGuard.RULESET_NAME).toString();
    }

    /** The watch's file, as the system names it. */
    public static String tablePath() {
        return WATCH_DIRECTORY.resolve(TABLE_NAME).toString();
    }
}
