package org.seedagent.support;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential back-off with "equal jitter": before retry {@code n} (0 for the first) the wait is
 * between half and all of {@code min(cap, base * 2^n)}.
 *
 * <p>The one back-off of the agent's clients: the metadata client's and the EC2 client's retries wait by it.
 *
 * <p>Equal rather than full jitter (anywhere from zero to the ceiling): an agent talks to the metadata
 * service of its own instance, so there is no crowd of clients to spread out, while IMDS throttles per
 * instance by dropping packets; a guaranteed half of the ceiling keeps quick retries from piling onto a
 * throttled service. The random half still keeps this agent out of step with other IMDS clients on the host.
 *
 * @param base ceiling of the first wait
 * @param cap largest ceiling; waits stop growing there
 */
public record Backoff(Duration base, Duration cap) {
    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base must be positive: " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap " + cap + " is below base " + base);
        }
    }

    /** The longest wait before retry {@code retry}: {@code min(cap, base * 2^retry)}. */
    public Duration ceiling(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + retry);
        }
        Duration ceiling = base;
        // Stop doubling at the cap: a long outage reaches retry counts whose 2^n would overflow.
        for (int i = 0; i < retry && ceiling.compareTo(cap) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        return ceiling.compareTo(cap) < 0 ? ceiling : cap;
    }

    /** The wait before retry {@code retry}, in {@code [ceiling/2, ceiling]}; draws once from {@code random}. */
    public Duration delay(int retry, RandomGenerator random) {
        long ceiling = ceiling(retry).toNanos();
        long half = ceiling / 2;
        return Duration.ofNanos(ceiling - half + random.nextLong(half + 1));
    }
}
