package org.seedagent.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** Always draws the smallest value, so a delay is at its lower bound. */
    private static final RandomGenerator LOWEST = new Extreme(false);
    /** Always draws the largest value, so a delay is at its upper bound. */
    private static final RandomGenerator HIGHEST = new Extreme(true);

    @ParameterizedTest(name = "retry {0}: {1} ms to {2} ms")
    @CsvSource({
        "0, 50, 100",
        "1, 100, 200",
        "2, 200, 400",
        "5, 1600, 3200",
        "6, 2500, 5000",
        "7, 2500, 5000",
        "1000, 2500, 5000",
        "2147483647, 2500, 5000",
    })
    void delay_retry_withinHalfAndAllOfCappedCeiling(int retry, long lowestMillis, long highestMillis) {
        assertEquals(Duration.ofMillis(lowestMillis), BACKOFF.delay(retry, LOWEST));
        assertEquals(Duration.ofMillis(highestMillis), BACKOFF.delay(retry, HIGHEST));
    }

    @Test
    void ceiling_doublesUntilCap() {
        assertEquals(Duration.ofMillis(100), BACKOFF.ceiling(0));
        assertEquals(Duration.ofMillis(3200), BACKOFF.ceiling(5));
        assertEquals(Duration.ofSeconds(5), BACKOFF.ceiling(6));
    }

    @Test
    void delay_oddCeiling_staysWithinBounds() {
        Backoff odd = new Backoff(Duration.ofNanos(3), Duration.ofNanos(3));

        assertEquals(Duration.ofNanos(2), odd.delay(0, LOWEST));
        assertEquals(Duration.ofNanos(3), odd.delay(0, HIGHEST));
    }

    @Test
    void delay_negativeRetry_rejected() {
        assertThrows(IllegalArgumentException.class, () -> BACKOFF.delay(-1, LOWEST));
    }

    @Test
    void new_nonPositiveBase_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)));
    }

    @Test
    void new_capBelowBase_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private record Extreme(boolean highest) implements RandomGenerator {
        @Override
        public long nextLong(long bound) {
            return highest ? bound - 1 : 0;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("Backoff draws only bounded values");
        }
    }
}
