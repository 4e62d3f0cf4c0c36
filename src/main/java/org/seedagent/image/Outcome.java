package org.seedagent.image;

import java.util.Objects;
import org.seedagent.support.JsonNames;

/**
 * What became of one step of the plan.
 *
 * @param step the finding and what was to be done with it
 * @param status whether it was done
 * @param message why it failed, or a remark on what was done (e.g. {@code 2 lines removed}); else
 *     {@code null}. Never a secret.
 */
public record Outcome(Plan.Step step, Status status, String message) {

    /** Whether a step was carried out. */
    public enum Status {
        /** A change that a dry run would make. */
        PLANNED,
        /** The change was made. */
        DONE,
        /** The change was attempted and failed; {@link #message} says why. */
        FAILED,
        /** A change that was not made because the operator did not confirm. */
        NOT_DONE,
        /** Not a change (kept, left, noted, unresolved). */
        NONE;

        public String jsonName() {
            return JsonNames.of(this);
        }
    }

    public Outcome {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        if (message != null && (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("an outcome's message is one line: " + message);
        }
    }

    /** Every step of {@code plan} with {@code status} for its changes and {@link Status#NONE} for the rest. */
    static java.util.List<Outcome> all(Plan plan, Status status) {
        return plan.steps().stream()
                .map(s -> new Outcome(s, s.action().isChange() ? status : Status.NONE, null))
                .toList();
    }
}
