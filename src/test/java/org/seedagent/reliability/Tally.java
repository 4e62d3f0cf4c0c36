package org.seedagent.reliability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what a reliability test observed (fragments compared, fragments found corrupted, reloads seen onto a
 * rejected configuration), so that its figures are counts, not literals (issue 23). A count of bad outcomes is
 * taken before the assertion that fails on it; with {@link FiguresOnPass} the figures are recorded only when every
 * test passed.
 */
final class Tally {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Adds {@code n} to {@code key}. */
    void add(String key, long n) {
        counts.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
    }

    /** Counts one {@code key}. */
    void count(String key) {
        add(key, 1);
    }

    /** Counts one {@code checked}, and one {@code bad} too when {@code ok} is false. */
    void check(String checked, String bad, boolean ok) {
        count(checked);
        add(bad, ok ? 0 : 1);
    }

    long get(String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }
}
