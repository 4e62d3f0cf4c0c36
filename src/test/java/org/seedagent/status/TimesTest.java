package org.seedagent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void relative() {
        assertEquals("just now", Times.relative(NOW.minusMillis(400), NOW));
        assertEquals("20 s ago", Times.relative(NOW.minusSeconds(20), NOW));
        assertEquals("119 s ago", Times.relative(NOW.minusSeconds(119), NOW));
        assertEquals("2 min ago", Times.relative(NOW.minusSeconds(120), NOW));
        assertEquals("59 min ago", Times.relative(NOW.minusSeconds(3599), NOW));
        assertEquals("1 h ago", Times.relative(NOW.minusSeconds(3600), NOW));
        assertEquals("1 h 59 min ago", Times.relative(NOW.minusSeconds(7195), NOW));
        assertEquals("47 h 59 min ago", Times.relative(NOW.minusSeconds(48 * 3600 - 1), NOW));
        assertEquals("2 days ago", Times.relative(NOW.minusSeconds(48 * 3600), NOW));
        assertEquals("in 5 s", Times.relative(NOW.plusSeconds(5), NOW));
    }

    @Test
    void absoluteIsUtc() {
        assertEquals("2025-01-01 12:00:00 UTC", Times.absolute(NOW));
        assertEquals("2025-01-01 12:00:00 UTC (just now)", Times.both(NOW, NOW));
    }

    @Test
    void durations() {
        assertEquals("60 s", Times.duration(Duration.ofSeconds(60)));
        assertEquals("260 s", Times.duration(Duration.ofSeconds(260)));
        assertEquals("5 min", Times.duration(Duration.ofMinutes(5)));
        assertEquals("2 h", Times.duration(Duration.ofHours(2)));
        assertEquals("500 ms", Times.duration(Duration.ofMillis(500)));
    }
}
