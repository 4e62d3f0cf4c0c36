package org.seedagent.daemon;

import java.util.Map;
import java.util.function.Function;
import org.seedagent.config.AgentConfig;

/**
 * HTCondor's configuration as the daemon's pre-flights read it ({@code condor_config_val}, one process each): run
 * before a reload, reused by the settings checks of the same step so HTCondor is asked once, the last one kept for
 * the restart assessment's job lease, and the knobs of the last one that parsed for the watchers that follow the
 * daemons' addresses.
 */
final class Preflights {
    private final Function<AgentConfig, ConfigProbe> probes;
    /** The pre-flight of the current step, not yet used by the checks. */
    private ConfigProbe.Result unusedByChecks;
    /** The last pre-flight, whatever used it. */
    private ConfigProbe.Result last;

    private Map<String, String> knobs = Map.of();

    Preflights(Function<AgentConfig, ConfigProbe> probes) {
        this.probes = probes;
    }

    /** A new step in which nothing was read yet. */
    void forgetStep() {
        unusedByChecks = null;
    }

    /** Runs a pre-flight for a reload; its knobs are kept when the configuration parses. */
    ConfigProbe.Result run(AgentConfig config) throws InterruptedException {
        ConfigProbe.Result result = probes.apply(config).probe();
        unusedByChecks = result;
        last = result;
        if (result.parses()) {
            knobs = result.knobs();
        }
        return result;
    }

    /** This step's pre-flight for the settings checks, or a new one when the step ran none. */
    ConfigProbe.Result forChecks(AgentConfig config) throws InterruptedException {
        ConfigProbe.Result result =
                unusedByChecks != null ? unusedByChecks : probes.apply(config).probe();
        unusedByChecks = null;
        last = result;
        if (result.parses()) {
            knobs = result.knobs(); // the watchers following the daemons' files need them from the start too
        }
        return result;
    }

    /** The last pre-flight, or a new one (not kept) when there was none (the metadata service did not answer). */
    ConfigProbe.Result lastOrNew(AgentConfig config) throws InterruptedException {
        return last != null ? last : probes.apply(config).probe();
    }

    /** HTCondor's knobs as the last pre-flight that parsed read them; empty before any. */
    Map<String, String> knobs() {
        return knobs;
    }
}
