package org.seedagent.support;

import java.time.Duration;
import java.util.Locale;

/** Durations in words, the one home of how the agent writes them (issue 23: five formatters, each its own). */
public final class Durations {
    private Durations() {}

    /** Exact, in the largest unit that says it whole: {@code 1500 ms}, {@code 90 s}, {@code 5 min}, {@code 2 h}. */
    public static String exact(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        if (s < 120 || s % 60 != 0) {
            return s + " s";
        }
        return s % 3600 == 0 ? s / 3600 + " h" : s / 60 + " min";
    }

    /** As the configuration file writes it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 6h}. */
    public static String setting(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        if (d.toSeconds() < 60 || d.toSeconds() % 60 != 0) {
            return d.toSeconds() + "s";
        }
        return d.toMinutes() < 60 || d.toMinutes() % 60 != 0 ? d.toMinutes() + "m" : d.toHours() + "h";
    }

    /** A countdown a person reads: {@code 58 s}, {@code 1 min 58 s}, {@code 2 min}. */
    public static String minutesAndSeconds(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }

    /** To a tenth of a second: {@code 3.0 s}. */
    public static String tenths(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
