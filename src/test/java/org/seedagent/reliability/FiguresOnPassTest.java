package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 23: a class's figures are recorded only when every test of it passed, and at least one ran. */
class FiguresOnPassTest {
    @Test
    void recordsOnlyWhenAllPassed() {
        FiguresOnPass none = new FiguresOnPass(() -> Figures.of("x"));
        assertFalse(none.wouldRecord(), "no test ran: nothing measured");

        FiguresOnPass passed = new FiguresOnPass(() -> Figures.of("x"));
        passed.testSuccessful(null);
        passed.testSuccessful(null);
        assertTrue(passed.wouldRecord());

        FiguresOnPass failed = new FiguresOnPass(() -> Figures.of("x"));
        failed.testSuccessful(null);
        failed.testFailed(null, new AssertionError("a fragment was corrupted"));
        failed.testSuccessful(null);
        assertFalse(failed.wouldRecord(), "one failure: the figures prove nothing");

        FiguresOnPass aborted = new FiguresOnPass(() -> Figures.of("x"));
        aborted.testSuccessful(null);
        aborted.testAborted(null, new RuntimeException("assumption failed"));
        assertFalse(aborted.wouldRecord());
    }
}
