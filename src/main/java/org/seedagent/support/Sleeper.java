package org.seedagent.support;

import java.time.Duration;

/** Waits. Injected so that back-off and intervals are tested without real sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps for {@code duration}; an interrupt is propagated, never swallowed. */
    void sleep(Duration duration) throws InterruptedException;

    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    };
}
