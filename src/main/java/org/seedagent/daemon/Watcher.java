package org.seedagent.daemon;

/**
 * One concern of the daemon, stepped at every poll in the order {@link SeedDaemon} lists its watchers: it looks at
 * what it watches, acts, records what it found in the state, and keeps its own memory between steps. New daemon
 * behaviour is a watcher of its own.
 */
interface Watcher {
    /** One step; never throws for what it watches being unavailable (it says so and tries again next time). */
    void step(Step step) throws InterruptedException;
}
