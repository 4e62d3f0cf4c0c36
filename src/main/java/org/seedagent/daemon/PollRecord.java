package org.seedagent.daemon;

import org.seedagent.state.DaemonState;
import org.seedagent.state.Poll;
import org.seedagent.sync.SyncResult;

/** What a poll (or the boot sync) came to, recorded in the state and, for a failure, in the summary line. */
final class PollRecord {
    private PollRecord() {}

    static void ok(Step step, SyncResult result) {
        DaemonState state = step.state();
        state.lastPoll = Poll.ok(step.now(), result.describe());
        state.lastSuccess = step.now();
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
