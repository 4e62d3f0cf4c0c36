package org.seedagent.daemon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.Knob;

/**
 * The pre-flight: HTCondor's own evaluator over its whole configuration. Any failure, not only a
 * parse error, counts as "does not parse": when the configuration cannot be verified, the daemon
 * must not reload, as a reload on a broken configuration stops the running pool.
 */
final class CondorConfigProbe implements ConfigProbe {
    private final CondorConfigReader reader;

    CondorConfigProbe(CondorConfigReader reader) {
        this.reader = reader;
    }

    @Override
    public Result probe() throws InterruptedException {
        CondorEvaluation evaluation = reader.read(List.of(KNOBS));
        if (evaluation instanceof CondorEvaluation.Failed failed) {
            return Result.broken(failed.reason(), failed.file());
        }
        Map<String, String> knobs = new LinkedHashMap<>();
        for (Knob knob : ((CondorEvaluation.Evaluated) evaluation).view().knobs()) {
            if (knob.isDefined()) {
                knobs.put(knob.name(), knob.value());
            }
        }
        return Result.ok(knobs);
    }
}
