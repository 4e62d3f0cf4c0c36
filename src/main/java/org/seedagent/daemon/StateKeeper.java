package org.seedagent.daemon;

import java.io.IOException;
import java.time.Instant;
import org.seedagent.config.AgentConfig;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.state.DaemonState;
import org.seedagent.state.ElasticIpRecord;
import org.seedagent.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's state and its file: loaded at boot (the previous run's history kept, this run's facts reset), saved
 * at the end of every step with a heartbeat; a file that cannot be written is said once per streak.
 */
final class StateKeeper {
    private static final Logger log = LoggerFactory.getLogger(StateKeeper.class);
    private final FailureStreak failures = new FailureStreak();
    private DaemonState state = new DaemonState();
    /** Why the state file could not be read at boot; null when it could (or there was none). */
    private String unreadable;

    DaemonState state() {
        return state;
    }

    /** Why the state file could not be read at the last load, or null. */
    String unreadable() {
        return unreadable;
    }

    /** Loads the previous run's state from {@code store}; returns whether there was one. */
    boolean load(StateStore store, String version, long pid, Instant now) {
        boolean restored = false;
        unreadable = null;
        try {
            DaemonState previous = store.load();
            if (previous != null) {
                state = previous;
                restored = true;
            }
        } catch (IOException e) {
            unreadable = e.getMessage();
            log.warn("ignoring the state file {}: {}; starting with an empty history", store.file(), e.getMessage());
        }
        state.version = version;
        state.pid = pid;
        state.startedAt = now;
        state.bootSync = null;
        state.spotInterruption = null;
        return restored;
    }

    /** Saves the state with a heartbeat at {@code now} and the Elastic IP as {@code elasticIps} reports it. */
    void save(StateStore store, Instant now, AgentConfig config, ElasticIpWatch elasticIps) {
        state.heartbeat = now;
        state.elasticIp = new ElasticIpRecord(
                config.elasticIp().target(),
                config.elasticIp().allowReassociation(),
                elasticIps.lastClaim(),
                elasticIps.fact());
        try {
            store.save(state);
            failures.succeeded(now).ifPresent(streak -> log.info("state file {} written again", store.file()));
        } catch (IOException e) {
            if (failures.failed(now)) {
                log.warn(
                        "cannot write the state file {}: {}; seed-agent status will show stale data",
                        store.file(),
                        e.getMessage());
            }
        }
    }
}
