package org.seedagent.state;

import java.time.Instant;
import org.seedagent.config.ReloadMethod;

/**
 * The last time the agent told HTCondor (or decided not to), and how.
 *
 * @param method the configured reload.method at the time; null in a record that did not say
 */
public record LastReload(Instant time, Result result, ReloadMethod method, String detail) {

    public enum Result {
        /** HTCondor was told. */
        DONE,
        /** No reload was needed or wanted (reload.method = none, or HTCondor was not running). */
        SKIPPED,
        /** The reload ran and failed. */
        FAILED,
        /** Withheld: HTCondor's configuration did not parse. */
        NOT_ATTEMPTED
    }

    /** Whether HTCondor did not get the change: the reload failed or was withheld. */
    public boolean missed() {
        return result == Result.FAILED || result == Result.NOT_ATTEMPTED;
    }

    /** Whether HTCondor did not get the change and will not without help: missed, or reload.method = none. */
    public boolean neverTold() {
        return missed() || (result == Result.SKIPPED && method == ReloadMethod.NONE);
    }
}
