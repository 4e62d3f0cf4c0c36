package org.seedagent.daemon;

import org.seedagent.metadata.MetadataException;
import org.seedagent.state.DaemonState;
import org.seedagent.state.Poll;
import org.seedagent.sync.SyncResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a poll (or the boot sync) came to, recorded in the state and, for a failure, in the summary line. */
final class PollRecord {
    private static final Logger log = LoggerFactory.getLogger(PollRecord.class);

    private PollRecord() {}

    static void ok(Step step, SyncResult result) {
        DaemonState state = step.state();
        state.lastPoll = Poll.ok(step.now(), result.describe());
        state.lastSuccess = step.now();
    }

    /** The metadata service did not answer this poll: said once per streak, recorded at every poll. */
    static void metadataFailed(Step step, MetadataException e, FailureStreak failures) {
        if (failures.failed(step.now())) {
            log.warn(
                    "cannot read the public address: {}; keeping {} and polling on",
                    e.getMessage(),
                    step.state().currentAddress == null
                            ? "the fragment as it is"
                            : "TCP_FORWARDING_HOST = " + step.state().currentAddress);
        }
        failed(step, e.getMessage());
    }

    static void failed(Step step, String error) {
        DaemonState state = step.state();
        state.lastPoll = Poll.failed(step.now(), error);
        state.lastFailure = state.lastPoll;
        step.summary()
                .set((state.currentAddress == null ? "" : "TCP_FORWARDING_HOST = " + state.currentAddress + "; ")
                        + "last poll failed: " + error);
    }
}
