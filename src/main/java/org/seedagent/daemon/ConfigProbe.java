package org.seedagent.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.Knob;
import org.seedagent.condor.KnobLocation;

/**
 * HTCondor's whole configuration as HTCondor itself evaluates it (condor_config_val): either it
 * parses, with the knobs the daemon and the checks need, or it does not, with the file to blame.
 */
@FunctionalInterface
interface ConfigProbe {
    /**
     * The outcome of one evaluation.
     *
     * @param evaluation what condor_config_val said, for the settings checks
     * @param knobs the defined knobs by name (empty when it does not parse)
     */
    record Result(
            boolean parses, String error, String errorFile, Map<String, String> knobs, CondorEvaluation evaluation) {
        public Result {
            knobs = Map.copyOf(knobs);
        }

        static Result of(CondorEvaluation evaluation) {
            if (evaluation instanceof CondorEvaluation.Failed failed) {
                return new Result(false, failed.reason(), failed.file(), Map.of(), evaluation);
            }
            Map<String, String> knobs = new java.util.LinkedHashMap<>();
            for (Knob knob : ((CondorEvaluation.Evaluated) evaluation).view().knobs()) {
                if (knob.isDefined()) {
                    knobs.put(knob.name(), knob.value());
                }
            }
            return new Result(true, null, null, knobs, evaluation);
        }

        /** A configuration that parses with exactly {@code knobs} defined (in a file). */
        static Result ok(Map<String, String> knobs) {
            List<Knob> defined = new ArrayList<>();
            knobs.forEach((name, value) -> defined.add(
                    new Knob(name, value, new KnobLocation("/etc/condor/condor_config", 1, null), value, null)));
            return of(new CondorEvaluation.Evaluated(CondorConfigView.of("seed", defined)));
        }

        /** A configuration that does not parse. */
        static Result broken(String error, String errorFile) {
            return of(new CondorEvaluation.Failed(CondorEvaluation.Kind.CONFIGURATION_ERROR, error, errorFile, 1));
        }
    }

    /** Knobs the daemon itself reads: the value in force and the daemons' address files. */
    List<String> KNOBS = List.of(
            "TCP_FORWARDING_HOST",
            "MASTER_ADDRESS_FILE",
            "SCHEDD_ADDRESS_FILE",
            "COLLECTOR_ADDRESS_FILE",
            "SCHEDD_DAEMON_AD_FILE");

    Result probe() throws InterruptedException;
}
