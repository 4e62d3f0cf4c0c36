package org.seedagent.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When the system booted: {@code status --wait} waits for a sync after it. Injected so tests choose it. */
@FunctionalInterface
public interface BootTime {
    /** The boot time, or empty when it cannot be told. */
    Optional<Instant> get();

    /** Linux: {@code btime} in {@code /proc/stat}, else "now minus {@code /proc/uptime}". */
    static BootTime system(Clock clock) {
        return fromProc(Path.of("/proc/stat"), Path.of("/proc/uptime"), clock);
    }

    /** Reads {@code btime} from {@code stat} (seconds since the epoch), else {@code now - uptime}. */
    static BootTime fromProc(Path stat, Path uptime, Clock clock) {
        return () -> {
            try {
                for (String line : Files.readAllLines(stat, StandardCharsets.UTF_8)) {
                    if (line.startsWith("btime ")) {
                        return Optional.of(Instant.ofEpochSecond(
                                Long.parseLong(line.substring(6).strip())));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall back to the uptime
            }
            try {
                String first =
                        Files.readString(uptime, StandardCharsets.UTF_8).strip().split("\\s+")[0];
                long millis = Math.round(Double.parseDouble(first) * 1000);
                return Optional.of(clock.instant().minus(Duration.ofMillis(millis)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        };
    }
}
