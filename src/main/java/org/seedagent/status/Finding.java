package org.seedagent.status;

import java.util.Objects;
import org.seedagent.support.JsonNames;

/**
 * One thing the report says needs attention, or could not be read.
 *
 * @param level how bad it is
 * @param part which part of the report it is about: {@code agent}, {@code fragment}, {@code htcondor},
 *     {@code advertised}, {@code poll}, {@code reload}, {@code checks}, {@code instance}, {@code systemd}
 * @param text one line saying what was found
 * @param remedy one line saying what to do, or null (notes)
 * @param checks how many check results it stands for: a cascade folded into one line stands for each of its
 *     checks, so that the verdict line counts what the Checks line counts (issue 22); 1 for any other
 */
record Finding(Level level, String part, String text, String remedy, int checks) {
    /** How bad a finding is. */
    enum Level {
        /** Needs attention: exit 1 (or 3 for the agent itself). */
        FAILURE,
        /** Degraded: exit 2 when there is no failure. */
        WARNING,
        /** Worth knowing, does not change the exit code: mostly a part that could not be read, and why. */
        NOTE;

        String jsonName() {
            return JsonNames.of(this);
        }
    }

    Finding {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(text, "text");
        if (checks < 1) {
            throw new IllegalArgumentException("a finding stands for at least one thing: " + checks);
        }
    }

    Finding(Level level, String part, String text, String remedy) {
        this(level, part, text, remedy, 1);
    }

    /** This finding standing for {@code n} check results (a folded cascade). */
    Finding standingFor(int n) {
        return new Finding(level, part, text, remedy, n);
    }

    static Finding failure(String part, String text, String remedy) {
        return new Finding(Level.FAILURE, part, text, remedy);
    }

    static Finding warning(String part, String text, String remedy) {
        return new Finding(Level.WARNING, part, text, remedy);
    }

    static Finding note(String part, String text) {
        return new Finding(Level.NOTE, part, text, null);
    }
}
