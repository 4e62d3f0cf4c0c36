package org.seedagent.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.RecordingSleeper;

/** The one retry loop (issue 23): deterministic with a fake clock moved by the sleeps. */
class RetryTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final Retry retry = new Retry(BACKOFF, clock, sleeper, new SplittableRandom(7), true);
    private final List<String> waits = new ArrayList<>();

    private void noted(int attempt, String detail, Duration elapsed, Duration wait) {
        waits.add(attempt + " " + detail);
    }

    @Test
    void succeedsOnTheThirdAttempt_waitsTwiceWithinTheBackoffsCeilings() throws Exception {
        Retry.Outcome<String> outcome = retry.run(
                Duration.ofSeconds(10),
                n -> n < 3 ? Retry.again("refused " + n, null) : Retry.done("answer"),
                this::noted);

        assertTrue(outcome.succeeded());
        assertEquals("answer", outcome.value());
        assertEquals(List.of("1 refused 1", "2 refused 2"), waits);
        assertEquals(2, sleeper.sleeps().size());
        for (int i = 0; i < 2; i++) {
            Duration wait = sleeper.sleeps().get(i);
            assertTrue(
                    wait.compareTo(BACKOFF.ceiling(i).dividedBy(2)) >= 0 && wait.compareTo(BACKOFF.ceiling(i)) <= 0,
                    wait + " for retry " + i);
        }
    }

    @Test
    void neverSucceeds_givesUpAtTheDeadline_noWaitPastIt() throws Exception {
        Instant start = clock.instant();
        IOException cause = new IOException("connection refused");

        Retry.Outcome<String> outcome =
                retry.run(Duration.ofSeconds(3), n -> Retry.again("refused", cause), this::noted);

        assertFalse(outcome.succeeded());
        assertEquals("refused", outcome.gaveUp().detail());
        assertEquals(cause, outcome.gaveUp().cause());
        assertEquals(waits.size() + 1, outcome.gaveUp().attempts(), "one attempt after each wait, and the first");
        assertEquals(Duration.ofSeconds(3), Duration.between(start, clock.instant()), "the last wait ends at it");
        assertEquals(Duration.ofSeconds(3), outcome.gaveUp().elapsed());
    }

    @Test
    void atOnce_triesAgainWithoutWaiting() throws Exception {
        Retry.Outcome<String> outcome = retry.run(
                Duration.ofSeconds(10),
                n -> n == 1 ? Retry.atOnce("token rejected", null) : Retry.done("answer"),
                this::noted);

        assertEquals("answer", outcome.value());
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void aFailureForGood_isThrownAtOnce() {
        IOException refused = assertThrows(
                IOException.class,
                () -> retry.run(
                        Duration.ofSeconds(10),
                        n -> {
                            throw new IOException("HTTP 403: not retried");
                        },
                        this::noted));

        assertEquals("HTTP 403: not retried", refused.getMessage());
        assertEquals(List.of(), sleeper.sleeps());
    }

    @Test
    void interrupted_stopsBeforeTheNextAttempt() {
        Thread.currentThread().interrupt();
        assertThrows(
                InterruptedException.class, () -> retry.run(Duration.ofSeconds(10), n -> Retry.done("x"), this::noted));
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is taken, once");
    }

    /** Without a last attempt at the deadline (the EC2 client): a wait that does not fit ends the attempts. */
    @Test
    void noLastAttemptAtTheDeadline_givesUpWhenTheWaitDoesNotFit_noAttemptAtIt() throws Exception {
        Retry strict = new Retry(BACKOFF, clock, sleeper, new SplittableRandom(7), false);
        Instant start = clock.instant();

        Retry.Outcome<String> outcome =
                strict.run(Duration.ofMillis(1500), n -> Retry.again("throttled", null), this::noted);

        assertFalse(outcome.succeeded());
        assertTrue(
                Duration.between(start, clock.instant()).compareTo(Duration.ofMillis(1500)) < 0,
                "gave up before the deadline: " + Duration.between(start, clock.instant()));
        assertEquals(sleeper.sleeps().size() + 1, outcome.gaveUp().attempts());
    }
}
