package org.seedagent.status;

/**
 * The overall verdict of {@code seed-agent status} and its exit code. When several apply, the
 * first of NOT_RUNNING, NEEDS_ATTENTION, DEGRADED wins.
 */
public enum Health {
    /** Exit 0: the agent runs and everything checked is as it should be. */
    HEALTHY(0, "healthy"),
    /** Exit 1: a failure needs attention (forwarding not in effect, a failed check, a failed reload, ...). */
    NEEDS_ATTENTION(1, "needs-attention"),
    /** Exit 2: warnings only (the daemons are still catching up, a poll failed, a check warns, ...). */
    DEGRADED(2, "degraded"),
    /** Exit 3: the agent is not running, never ran, is stale, or its state file cannot be read. */
    NOT_RUNNING(3, "not-running");

    private final int exitCode;
    private final String jsonName;

    Health(int exitCode, String jsonName) {
        this.exitCode = exitCode;
        this.jsonName = jsonName;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The name in JSON and in the first line of the text: {@code healthy}, {@code needs-attention}, ... */
    public String jsonName() {
        return jsonName;
    }
}
