package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    @Test
    void nextDelay_withinTenPercentAndVaries() {
        SplittableRandom random = new SplittableRandom(42);
        Duration interval = Duration.ofSeconds(60);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long d = PollSchedule.nextDelay(interval, random).toMillis();
            assertTrue(d >= 54_000 && d <= 66_000, "delay " + d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(max - min > 10_000, "jitter spreads polls: " + min + ".." + max);
    }

    @Test
    void nextDelay_tinyInterval_neverZero() {
        assertEquals(
                1,
                PollSchedule.nextDelay(Duration.ofMillis(1), new SplittableRandom(1))
                        .toMillis());
    }
}
