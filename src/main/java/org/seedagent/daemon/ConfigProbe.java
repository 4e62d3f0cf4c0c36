package org.seedagent.daemon;

import java.util.Map;

/**
 * HTCondor's whole configuration as HTCondor itself evaluates it (condor_config_val): either it
 * parses, with the knobs the daemon needs, or it does not, with the file and line to blame.
 */
@FunctionalInterface
interface ConfigProbe {
    /** The outcome of one evaluation. */
    record Result(boolean parses, String error, String errorFile, Map<String, String> knobs) {
        public Result {
            knobs = knobs == null ? Map.of() : Map.copyOf(knobs);
        }

        static Result ok(Map<String, String> knobs) {
            return new Result(true, null, null, knobs);
        }

        static Result broken(String error, String errorFile) {
            return new Result(false, error, errorFile, Map.of());
        }
    }

    /** Knobs the daemon reads: the value in force and the daemons' address files. */
    String[] KNOBS = {"TCP_FORWARDING_HOST", "MASTER_ADDRESS_FILE", "SCHEDD_ADDRESS_FILE", "COLLECTOR_ADDRESS_FILE"};

    Result probe() throws InterruptedException;
}
