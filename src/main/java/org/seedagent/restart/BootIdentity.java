package org.seedagent.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * This boot of the operating system: its id ({@code /proc/sys/kernel/random/boot_id}, new at every
 * boot) and when it started ({@code btime}). Either is null when it cannot be read.
 */
public record BootIdentity(String bootId, Instant bootTime) {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Where Linux keeps this boot's id. */
    public static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** The boot id read from {@code bootIdFile} (null when unreadable or not a UUID), with {@code bootTime}. */
    public static BootIdentity read(Path bootIdFile, Optional<Instant> bootTime) {
        String id = null;
        try {
            String text =
                    Files.readString(bootIdFile, StandardCharsets.US_ASCII).strip();
            id = UUID.matcher(text).matches() ? text : null;
        } catch (IOException e) {
            // unknown: the restart is then judged by the boot time alone
        }
        return new BootIdentity(id, bootTime.orElse(null));
    }
}
