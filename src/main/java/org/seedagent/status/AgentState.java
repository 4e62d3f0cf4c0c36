package org.seedagent.status;

import java.util.Locale;
import org.seedagent.support.JsonNames;

/** What the agent is doing, from its heartbeat, the boot time and systemd's view. Only RUNNING is healthy. */
enum AgentState {
    /** The heartbeat is fresh. */
    RUNNING,
    /** systemd has it starting (or running) but it has not written its state on this boot yet. */
    STARTING,
    /** The heartbeat is older than it may be: the agent hangs or cannot write its state file. */
    STALE,
    /** systemd says it is not running, or it has not run since the system booted. */
    STOPPED,
    /**
     * It ended without a clean stop: systemd says its unit failed, or (without systemd) its heartbeat is stale, it
     * recorded no clean stop, and its process is gone.
     */
    CRASHED,
    /** There is no state file. */
    NEVER_RAN,
    /** The state file cannot be read or is corrupt. */
    UNKNOWN;

    /** {@code running}, {@code never-ran}, ... */
    String jsonName() {
        return JsonNames.of(this);
    }

    /** {@code running}, {@code never ran}, ... */
    String words() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
