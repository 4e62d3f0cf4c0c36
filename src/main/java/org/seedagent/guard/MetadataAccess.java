package org.seedagent.guard;

import java.util.Objects;

/**
 * Whether an unprivileged process can reach the instance metadata service, and how that was found
 * out, with what the guard unit recorded.
 *
 * @param outcome what the probe saw
 * @param target {@code host:port} tried, or {@code null} when not tried
 * @param method how it was found out, e.g. "a child process as uid 65534 (setpriv) ..."; or why not
 * @param millis how long the attempt took (0 when not tried)
 * @param detail the error the unprivileged process got, or {@code null}
 * @param guard what the guard's units recorded in /run: when its rule set was applied, and whether its
 *     watch sees the table in the kernel ({@link GuardRecord#NONE} when stopped, disabled, never ran)
 */
public record MetadataAccess(
        Outcome outcome, String target, String method, long millis, String detail, GuardRecord guard) {

    /** What the unprivileged connection attempt did. */
    public enum Outcome {
        /** Rejected at once (refused, reset, unreachable, not permitted): something blocks it. */
        REFUSED,
        /** Connected: an unprivileged process can read instance metadata. */
        CONNECTED,
        /** No answer within the time-out: blocked silently, or the service does not answer at all. */
        TIMED_OUT,
        /** The probe itself failed (setpriv missing, an unexpected error). */
        FAILED,
        /** Not tried: no privilege to start a process as another user ({@code method} says why). */
        NOT_CHECKED
    }

    public MetadataAccess {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(method, "method");
        guard = guard == null ? GuardRecord.NONE : guard;
    }

    public static MetadataAccess notChecked(String why, GuardRecord guard) {
        return new MetadataAccess(Outcome.NOT_CHECKED, null, why, 0, null, guard);
    }

    public MetadataAccess withGuard(GuardRecord record) {
        return new MetadataAccess(outcome, target, method, millis, detail, record);
    }
}
