package org.seedagent.condor;

import java.util.List;
import java.util.Objects;

/**
 * What the AP collector of an {@code htcondor annex} seed said when asked for its schedd ads
 * ({@code condor_status -pool ANNEX_COLLECTOR -schedd -af Name}): {@code htcondor annex create} takes the
 * schedd annex nodes attach to from there, and refuses unless there is exactly one.
 *
 * @param outcome whether it was asked and answered
 * @param collector the address asked (ANNEX_COLLECTOR), or null when not asked
 * @param schedds the names of the schedd ads it holds (when it answered)
 * @param detail why it did not answer, or null
 */
public record ApCollectorAnswer(Outcome outcome, String collector, List<String> schedds, String detail) {
    /** How the question went. */
    public enum Outcome {
        /** Not an htcondor annex seed, or no configuration: nothing to ask. */
        NOT_APPLICABLE,
        /** HTCondor is not running on this host (no condor_master). */
        NOT_RUNNING,
        /** condor_status answered. */
        ANSWERED,
        /** condor_status failed, timed out, or could not be started. */
        FAILED
    }

    public ApCollectorAnswer {
        Objects.requireNonNull(outcome, "outcome");
        schedds = List.copyOf(schedds);
    }

    public static final ApCollectorAnswer NOT_APPLICABLE =
            new ApCollectorAnswer(Outcome.NOT_APPLICABLE, null, List.of(), null);

    public static ApCollectorAnswer notRunning(String collector) {
        return new ApCollectorAnswer(Outcome.NOT_RUNNING, collector, List.of(), null);
    }
}
