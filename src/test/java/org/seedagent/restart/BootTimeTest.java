package org.seedagent.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The boot time from {@code /proc/stat} ({@code btime}), else from {@code /proc/uptime}; files in a temp dir. */
class BootTimeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void btime_fromProcStat() throws Exception {
        Path stat =
                Files.writeString(dir.resolve("stat"), "cpu  1 2 3 4\nintr 5\nctxt 6\nbtime 1735725570\nprocesses 7\n");

        assertEquals(
                Optional.of(Instant.parse("2025-01-01T09:59:30Z")),
                BootTime.fromProc(stat, dir.resolve("uptime"), CLOCK).get());
    }

    @Test
    void noBtime_fallsBackToUptime() throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  1 2 3 4\n");
        Path uptime = Files.writeString(dir.resolve("uptime"), "7230.50 14000.10\n");

        assertEquals(
                Optional.of(Instant.parse("2025-01-01T09:59:29.500Z")),
                BootTime.fromProc(stat, uptime, CLOCK).get());
    }

    @Test
    void neither_empty() {
        assertEquals(
                Optional.empty(),
                BootTime.fromProc(dir.resolve("none"), dir.resolve("none2"), CLOCK)
                        .get());
    }

    @Test
    void system_onLinux_isInThePast() {
        Optional<Instant> boot = BootTime.system(Clock.systemUTC()).get();

        if (Files.exists(Path.of("/proc/stat"))) {
            assertTrue(boot.orElseThrow().isBefore(Instant.now()));
        }
    }
}
