package org.seedagent.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as the status shows them: absolute in UTC to the second, and relative to "now". */
final class Times {
    private static final DateTimeFormatter ABSOLUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {}

    /** {@code 2025-01-01 10:00:05 UTC}. */
    static String absolute(Instant time) {
        return ABSOLUTE.format(time);
    }

    /** {@code just now}, {@code 20 s ago}, {@code 2 min ago}, {@code 1 h 59 min ago}, {@code 2 days ago}, or {@code in 5 s}. */
    static String relative(Instant time, Instant now) {
        Duration d = Duration.between(time, now);
        boolean future = d.isNegative();
        String span = span(d.abs());
        if (span == null) {
            return "just now";
        }
        return future ? "in " + span : span + " ago";
    }

    /** {@code 20 s}, {@code 2 min}, {@code 1 h 59 min}, {@code 3 days}; null below one second. */
    static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 1) {
            return null;
        }
        if (s < 120) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 48 * 3600) {
            long minutes = s % 3600 / 60;
            return s / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
        }
        return s / 86400 + " days";
    }

    /** {@code 60 s}, {@code 5 min}, {@code 2 h}, {@code 500 ms}: a configured duration, exactly. */
    static String duration(Duration d) {
        return org.seedagent.support.Durations.exact(d);
    }

    /** {@code 2025-01-01 10:00:05 UTC (2 min ago)}. */
    static String both(Instant time, Instant now) {
        return absolute(time) + " (" + relative(time, now) + ")";
    }
}
