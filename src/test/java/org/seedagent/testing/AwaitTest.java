package org.seedagent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The helper every test waits with: what it returns, and what it says when the wait fails. */
class AwaitTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void until_holdsOnTheThirdLook_returnsAfterTwoSteps() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        Duration took = Await.that("the third look", Duration.ofSeconds(10))
                .every(Duration.ofMillis(20))
                .until(() -> looks.incrementAndGet() == 3);
        assertEquals(3, looks.get());
        assertTrue(took.compareTo(Duration.ofMillis(40)) >= 0, took.toString());
    }

    @Test
    void until_value_returnsTheAcceptedOne() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        assertEquals(
                4,
                Await.that("four", Duration.ofSeconds(10))
                        .every(Duration.ofMillis(1))
                        .until(looks::incrementAndGet, n -> n == 4));
    }

    @Test
    void timeout_namesWhatWasAwaitedTheLastValueAndTheDetail() {
        AtomicInteger looks = new AtomicInteger();
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Await.that("seven", SHORT)
                        .every(Duration.ofMillis(50))
                        .detail(() -> "the log")
                        .until(looks::incrementAndGet, n -> n == 1_000));
        assertTrue(
                e.getMessage().startsWith("waited 300 ms for seven (last seen: " + looks.get() + "): the log"),
                e.getMessage());
    }

    @Test
    void timeout_ofACondition_saysNoLastValue() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Await.that("never", Duration.ofSeconds(1)).until(() -> false));
        assertEquals("waited 1 s for never", e.getMessage());
    }

    @Test
    void exceptions_notIgnored_endTheWait_ignored_areSaidAsTheLastError() {
        IOException thrown = new IOException("tool failed");
        assertSame(
                thrown,
                assertThrows(
                        IOException.class,
                        () -> Await.that("x", SHORT).until(() -> {
                            throw thrown;
                        })));
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Await.that("x", SHORT).ignoring(IOException.class).until(() -> {
                    throw thrown;
                }));
        assertEquals("waited 300 ms for x (last error: java.io.IOException: tool failed)", e.getMessage());
        assertSame(thrown, e.getCause());
    }

    @Test
    void whileAlive_exitedProcess_failsAtOnceWithItsExitCode_afterOneMoreLook() throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "exit 3").start();
        process.waitFor();
        long start = System.nanoTime();
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Await.that("y", Duration.ofSeconds(60))
                        .whileAlive(process)
                        .until(() -> false));
        assertTrue(e.getMessage().startsWith("gave up on y after "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": the process exited with 3"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "not the whole time-out");
        // What the process left is still looked at.
        assertTrue(Await.that("y", Duration.ofSeconds(60)).whileAlive(process).tryUntil(() -> true));
    }

    /** Aliveness is sampled before each look: what a process left as it exited during a look is looked at again. */
    @Test
    void whileAlive_processExitsDuringALook_theNextLookStillSeesWhatItLeft() throws Exception {
        Process process = new ProcessBuilder("sleep", "0.3").start();
        AtomicInteger looks = new AtomicInteger();

        boolean held = Await.that("x", Duration.ofSeconds(30))
                .whileAlive(process)
                .tryUntil(() -> {
                    if (looks.incrementAndGet() == 1) {
                        process.waitFor(); // it exits while this look runs; what it left shows only at the next look
                        return false;
                    }
                    return true;
                });

        assertTrue(held, "looked again after the process exited during a look");
        assertEquals(2, looks.get());
    }

    @Test
    void tryUntil_saysWhetherItHeld_neverFailsOnATimeOut() throws Exception {
        assertFalse(Await.that("never", SHORT).tryUntil(() -> false));
        assertTrue(Await.that("at once", SHORT).tryUntil(() -> true));
    }

    @Test
    void detailThatThrows_isSaid_notThrown() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Await.that("z", SHORT)
                        .detail(() -> {
                            throw new IOException("gone");
                        })
                        .until(() -> false));
        assertEquals("waited 300 ms for z: (no detail: java.io.IOException: gone)", e.getMessage());
    }
}
