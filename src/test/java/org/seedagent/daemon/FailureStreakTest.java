package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureStreakTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void failed_firstOfStreak_reportedOnceOnly() {
        FailureStreak streak = new FailureStreak();
        assertTrue(streak.failed(T0));
        assertFalse(streak.failed(T0.plusSeconds(60)));
        assertFalse(streak.failed(T0.plusSeconds(120)));
        assertTrue(streak.active());
    }

    @Test
    void succeeded_afterStreak_summaryOnceThenNothing() {
        FailureStreak streak = new FailureStreak();
        streak.failed(T0);
        streak.failed(T0.plusSeconds(60));
        streak.failed(T0.plusSeconds(120));
        assertEquals(Optional.of("3 failed polls over 180 s"), streak.succeeded(T0.plusSeconds(180)));
        assertEquals(Optional.empty(), streak.succeeded(T0.plusSeconds(240)));
        assertTrue(streak.failed(T0.plusSeconds(300)), "a new streak is reported again");
    }

    @Test
    void succeeded_noStreak_nothing() {
        assertEquals(Optional.empty(), new FailureStreak().succeeded(T0));
    }
}
