package org.seedagent.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition instead of a fixed sleep (issue 23): looks every {@code step} until it holds, and fails
 * naming what was awaited, with {@code detail}, when {@code timeout} passes first. Returns how long it took.
 */
public final class Await {
    private Await() {
    }

    public static Duration until(String what, Duration timeout, Duration step, Callable<Boolean> condition,
            Callable<String> detail) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.call())) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + ": " + detail.call());
            }
            Thread.sleep(step.toMillis());
        }
    }

    public static Duration until(String what, Duration timeout, Duration step, Callable<Boolean> condition)
            throws Exception {
        return until(what, timeout, step, condition, () -> "it did not happen");
    }
}
