package org.seedagent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Logs a run of failures twice, not once per poll: when it starts and when it ends. Pure: the caller
 * logs what this returns.
 */
final class FailureStreak {
    private Instant since;
    private int count;

    /** Records a failure; returns true when it starts a streak (log it then). */
    boolean failed(Instant now) {
        count++;
        if (since == null) {
            since = now;
            return true;
        }
        return false;
    }

    /** Records a success; returns a summary of the streak it ends, if any (log it then). */
    Optional<String> succeeded(Instant now) {
        if (since == null) {
            return Optional.empty();
        }
        String summary = count + " failed poll" + (count == 1 ? "" : "s") + " over "
                + Duration.between(since, now).toSeconds() + " s";
        since = null;
        count = 0;
        return Optional.of(summary);
    }

    boolean active() {
        return since != null;
    }
}
