package org.seedagent.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffPropertyTest {
    @Property
    void delay_anyRetryAndDraw_betweenHalfCeilingAndCeilingNeverAboveCap(
            @ForAll @LongRange(min = 1, max = 10_000) long baseMillis,
            @ForAll @LongRange(min = 0, max = 100_000) long extraCapMillis,
            @ForAll @IntRange(min = 0, max = 200) int retry,
            @ForAll long seed) {
        Duration cap = Duration.ofMillis(baseMillis + extraCapMillis);
        Backoff backoff = new Backoff(Duration.ofMillis(baseMillis), cap);

        Duration ceiling = backoff.ceiling(retry);
        Duration delay = backoff.delay(retry, new SplittableRandom(seed));

        assertTrue(ceiling.compareTo(cap) <= 0, "ceiling " + ceiling + " above cap " + cap);
        assertTrue(delay.compareTo(ceiling) <= 0, "delay " + delay + " above ceiling " + ceiling);
        assertTrue(delay.multipliedBy(2).compareTo(ceiling) >= 0, "delay " + delay + " below half of " + ceiling);
    }

    @Property
    void ceiling_nextRetry_neverShorter(
            @ForAll @LongRange(min = 1, max = 10_000) long baseMillis,
            @ForAll @IntRange(min = 0, max = 200) int retry) {
        Backoff backoff = new Backoff(Duration.ofMillis(baseMillis), Duration.ofSeconds(30));

        assertTrue(backoff.ceiling(retry + 1).compareTo(backoff.ceiling(retry)) >= 0);
    }
}
