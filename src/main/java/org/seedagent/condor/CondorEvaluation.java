package org.seedagent.condor;

import java.util.Objects;

/** The outcome of asking HTCondor for its configuration: a view, or why there is none. */
public sealed interface CondorEvaluation permits CondorEvaluation.Evaluated, CondorEvaluation.Failed {

    /** HTCondor evaluated its configuration. */
    record Evaluated(CondorConfigView view) implements CondorEvaluation {
        public Evaluated {
            Objects.requireNonNull(view, "view");
        }
    }

    /**
     * HTCondor's configuration could not be evaluated.
     *
     * @param kind what went wrong, so that the remedy can fit
     * @param reason one line, e.g. {@code Configuration Error Line 1 while reading config source FILE}
     * @param file the configuration file at fault, when HTCondor named one, else {@code null}
     * @param line the line in {@code file}, or 0
     */
    record Failed(Kind kind, String reason, String file, int line) implements CondorEvaluation {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why the configuration could not be evaluated. */
    enum Kind {
        /** condor_config_val could not be started (not installed, or the configured path is wrong). */
        NOT_INSTALLED,
        /** condor_config_val did not finish within the time-out. */
        TIMED_OUT,
        /** HTCondor rejected its configuration: every daemon and tool would refuse to start. */
        CONFIGURATION_ERROR,
        /** condor_config_val failed otherwise, or printed something that could not be parsed. */
        TOOL_FAILED
    }
}
