package org.seedagent.daemon;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** When to poll next: the interval with +-10% jitter, so a fleet of seeds does not poll in step. */
final class PollSchedule {
    static final double JITTER = 0.10;

    private PollSchedule() {}

    static Duration nextDelay(Duration interval, RandomGenerator random) {
        long millis = interval.toMillis();
        long spread = Math.round(millis * JITTER);
        long offset = spread == 0 ? 0 : random.nextLong(-spread, spread + 1);
        return Duration.ofMillis(Math.max(1, millis + offset));
    }
}
