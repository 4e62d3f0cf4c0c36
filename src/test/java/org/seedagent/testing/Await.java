package org.seedagent.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.seedagent.support.Durations;

/**
 * The one way tests wait for something instead of a fixed sleep (issue 23): looks at once, then every
 * {@link #every step} (100 ms unless told), until what it looks at holds, and fails naming what was awaited, the
 * last value seen, the last error ignored and the {@link #detail detail} when the time-out passes first. For
 * example:
 *
 * <pre>{@code
 * Await.that("the log to say ready", Duration.ofSeconds(60)).whileAlive(agent)
 *         .detail(() -> Files.readString(log)).until(() -> Files.readString(log).contains("ready:"));
 * }</pre>
 *
 * <p>Clean-up that must go on after a time-out (a grace before SIGKILL) uses {@link #tryUntil} instead, which says
 * whether it held.
 */
public final class Await {
    /** What is looked at; may throw {@code E} (which fails the wait unless {@link #ignoring ignored}). */
    @FunctionalInterface
    public interface Probe<T, E extends Exception> {
        T get() throws E, InterruptedException;
    }

    private static final Object NOTHING = new Object();

    private final String what;
    private final Duration timeout;
    private Duration step = Duration.ofMillis(100);
    private Process process;
    private final List<Class<? extends Exception>> ignored = new ArrayList<>();
    private Callable<String> detail = () -> "";

    private Await(String what, Duration timeout) {
        this.what = Objects.requireNonNull(what);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** A wait for {@code what} (said on failure: "waited 60 s for {@code what}") of at most {@code timeout}. */
    public static Await that(String what, Duration timeout) {
        return new Await(what, timeout);
    }

    /**
     * Looks every {@code step} (a step under 1 ms sleeps 1 ms: {@link Thread#sleep(long, int)} rounds up on Java 17);
     * {@link Duration#ZERO} for a probe that blocks by itself (a receive with a time-out).
     */
    public Await every(Duration step) {
        this.step = Objects.requireNonNull(step);
        return this;
    }

    /** Fails at once, naming its exit code, when {@code process} has exited and what it left does not hold. */
    public Await whileAlive(Process process) {
        this.process = Objects.requireNonNull(process);
        return this;
    }

    /** Exceptions of these types from the probe mean "not yet" (a tool failing while daemons restart). */
    @SafeVarargs
    public final Await ignoring(Class<? extends Exception>... types) {
        ignored.addAll(List.of(types));
        return this;
    }

    /** Said after the failure message (a log, a screen), read when the wait fails. */
    public Await detail(Callable<String> detail) {
        this.detail = Objects.requireNonNull(detail);
        return this;
    }

    /** Until {@code condition} is true; returns how long it took. */
    public <E extends Exception> Duration until(Probe<Boolean, E> condition) throws E, InterruptedException {
        long start = System.nanoTime();
        look(condition, Boolean.TRUE::equals, start, true);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Until {@code probe}'s value is {@code accepted}; returns that value (the last one seen is said on failure). */
    public <T, E extends Exception> T until(Probe<T, E> probe, Predicate<? super T> accepted)
            throws E, InterruptedException {
        return look(probe, accepted, System.nanoTime(), true);
    }

    /** Whether {@code condition} became true within the time-out; never fails on a time-out. */
    public <E extends Exception> boolean tryUntil(Probe<Boolean, E> condition) throws E, InterruptedException {
        return Boolean.TRUE.equals(look(condition, Boolean.TRUE::equals, System.nanoTime(), false));
    }

    private <T, E extends Exception> T look(
            Probe<T, E> probe, Predicate<? super T> accepted, long start, boolean failOnTimeout)
            throws E, InterruptedException {
        long deadline = start + timeout.toNanos();
        Object last = NOTHING;
        Exception error = null;
        while (true) {
            // Alive before the look: what a process left when it exited is looked at once more, not missed.
            boolean alive = process == null || process.isAlive();
            try {
                T value = probe.get();
                if (accepted.test(value)) {
                    return value;
                }
                last = value;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (ignored.stream().noneMatch(type -> type.isInstance(e))) {
                    throw e;
                }
                error = e;
            }
            long now = System.nanoTime();
            if (!alive) {
                throw failure(
                        "gave up on " + what + " after " + Durations.tenths(Duration.ofNanos(now - start))
                                + ": the process exited with " + process.exitValue(),
                        last,
                        error);
            }
            if (now - deadline >= 0) {
                if (!failOnTimeout) {
                    return null;
                }
                throw failure("waited " + Durations.exact(timeout) + " for " + what, last, error);
            }
            long nanos = Math.min(step.toNanos(), deadline - now);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    private AssertionError failure(String message, Object last, Exception error) {
        StringBuilder text = new StringBuilder(message);
        if (last != NOTHING && !(last instanceof Boolean)) {
            text.append(" (last seen: ").append(last).append(')');
        }
        if (error != null) {
            text.append(" (last error: ").append(error).append(')');
        }
        String more;
        try {
            more = detail.call();
        } catch (Exception e) {
            more = "(no detail: " + e + ")";
        }
        if (more != null && !more.isEmpty()) {
            text.append(": ").append(more);
        }
        return new AssertionError(text.toString(), error);
    }
}
