package org.seedagent.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The agent's one way to retry (its metadata client and its EC2 client use it): attempts until one succeeds, one
 * fails for good, or the deadline passes. Between attempts it waits by a capped, jittered {@link Backoff}, and no
 * wait lasts past the deadline; an attempt classified {@link #atOnce} is made again without waiting (a token or
 * credentials to read again; the caller bounds how often). Time is the injected clock and sleeper, so tests are deterministic.
 */
public final class Retry {
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final boolean lastAttemptAtTheDeadline;

    /**
     * {@code lastAttemptAtTheDeadline}: a wait the deadline cuts short ends in one more attempt at it (the metadata
     * client: its answer is worth the last try); false: it gives up instead, so no attempt starts at or past the
     * deadline (the EC2 client, whose attempt can take several request time-outs).
     */
    public Retry(
            Backoff backoff, Clock clock, Sleeper sleeper, RandomGenerator random, boolean lastAttemptAtTheDeadline) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.lastAttemptAtTheDeadline = lastAttemptAtTheDeadline;
    }

    /** What one attempt came to: its value, or a failure to retry (after the back-off, or at once). */
    public sealed interface Step<T> {}

    /** The attempt succeeded with {@code value}. */
    public record Done<T>(T value) implements Step<T> {}

    /** The attempt failed in a way worth another try; {@code detail} says how, in words. */
    public record Failed<T>(String detail, Exception cause, boolean atOnce) implements Step<T> {}

    public static <T> Step<T> done(T value) {
        return new Done<>(value);
    }

    /** Try again after the back-off. */
    public static <T> Step<T> again(String detail, Exception cause) {
        return new Failed<>(detail, cause, false);
    }

    /** Try again without waiting (it does not count towards the back-off). */
    public static <T> Step<T> atOnce(String detail, Exception cause) {
        return new Failed<>(detail, cause, true);
    }

    /** One attempt, numbered from 1; a failure for good is thrown as {@code E}. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        Step<T> run(int attempt) throws E, InterruptedException;
    }

    /** Told before each wait: how the attempt failed, how long since the first, how long the wait. */
    @FunctionalInterface
    public interface Waiting {
        void before(int attempt, String detail, Duration elapsed, Duration wait);
    }

    /**
     * The last failure when the deadline passed: what it was, how many attempts were made, over how long. The
     * caller turns it into its own exception.
     */
    public record GaveUp(String detail, Exception cause, int attempts, Duration elapsed) {}

    /** What came of the attempts: the value, or why they stopped. */
    public record Outcome<T>(T value, GaveUp gaveUp) {
        public boolean succeeded() {
            return gaveUp == null;
        }
    }

    /**
     * Attempts until one is {@link Done}, one throws (a failure for good), or {@code budget} has passed since the
     * first: no attempt starts and no wait lasts past it.
     */
    public <T, E extends Exception> Outcome<T> run(Duration budget, Attempt<T, E> attempt, Waiting waiting)
            throws E, InterruptedException {
        Instant start = clock.instant();
        int retries = 0;
        for (int n = 1; ; n++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted between attempts");
            }
            Step<T> step = attempt.run(n);
            if (step instanceof Done<T> done) {
                return new Outcome<>(done.value(), null);
            }
            Failed<T> failed = (Failed<T>) step;
            if (failed.atOnce()) {
                continue; // a token or credentials read again: not a retry the deadline counts against
            }
            Duration elapsed = Duration.between(start, clock.instant());
            Duration left = budget.minus(elapsed);
            Duration wait = backoff.delay(retries++, random);
            if (left.isNegative() || left.isZero() || (!lastAttemptAtTheDeadline && wait.compareTo(left) >= 0)) {
                return new Outcome<>(null, new GaveUp(failed.detail(), failed.cause(), n, elapsed));
            }
            if (wait.compareTo(left) > 0) {
                wait = left;
            }
            waiting.before(n, failed.detail(), elapsed, wait);
            sleeper.sleep(wait);
        }
    }
}
