package org.seedagent.status;

import org.seedagent.support.JsonNames;

/**
 * The overall verdict of {@code seed-agent status} and its exit code. When several apply, the
 * first of NOT_RUNNING, NEEDS_ATTENTION, DEGRADED wins.
 */
public enum Health {
    /** Exit 0: the agent runs and everything checked is as it should be. */
    HEALTHY(0),
    /** Exit 1: a failure needs attention (forwarding not in effect, a failed check, a failed reload, ...). */
    NEEDS_ATTENTION(1),
    /** Exit 2: warnings only (the daemons are still catching up, a poll failed, a check warns, ...). */
    DEGRADED(2),
    /** Exit 3: the agent is not running, never ran, is stale, or its state file cannot be read. */
    NOT_RUNNING(3);

    private final int exitCode;

    Health(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The name in JSON and in the first line of the text: {@code healthy}, {@code needs-attention}, ... */
    public String jsonName() {
        return JsonNames.of(this);
    }
}
