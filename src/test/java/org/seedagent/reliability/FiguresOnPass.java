package org.seedagent.reliability;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records a test class's {@link Figures} after all its tests, only when every one of them passed and at least
 * one ran (issue 23: figures were recorded in {@code @AfterAll} even when tests had failed, so docs/RELIABILITY.md
 * could quote a run that proved nothing). Register it as a static field with {@code @RegisterExtension}; the
 * figures are made when recorded, from the counts the tests observed.
 */
public final class FiguresOnPass implements TestWatcher, AfterAllCallback {
    private final Supplier<Figures> figures;
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger notPassed = new AtomicInteger();

    public FiguresOnPass(Supplier<Figures> figures) {
        this.figures = figures;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        passed.incrementAndGet();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        notPassed.incrementAndGet();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        notPassed.incrementAndGet();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (notPassed.get() == 0 && passed.get() > 0) {
            figures.get().record();
        } else {
            System.out.println("RELIABILITY-NOT-RECORDED\t" + context.getDisplayName() + "\tpassed=" + passed.get()
                    + "\tnot_passed=" + notPassed.get());
        }
    }

    /** Whether the figures would be recorded now (for this extension's own test). */
    boolean wouldRecord() {
        return notPassed.get() == 0 && passed.get() > 0;
    }
}
