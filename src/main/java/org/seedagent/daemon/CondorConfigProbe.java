package org.seedagent.daemon;

import java.util.LinkedHashSet;
import java.util.Set;
import org.seedagent.checks.Checks;
import org.seedagent.condor.CondorConfigReader;

/**
 * The pre-flight: HTCondor's own evaluator over its whole configuration, in one launch that also
 * fetches what the settings checks need. Any failure, not only a parse error, counts as "does not
 * parse": when the configuration cannot be verified the daemon must not reload, as a reload on a
 * broken configuration stops the running pool.
 */
final class CondorConfigProbe implements ConfigProbe {
    private static final Set<String> ALL_KNOBS = new LinkedHashSet<>();

    static {
        ALL_KNOBS.addAll(KNOBS);
        ALL_KNOBS.addAll(Checks.KNOBS);
    }

    private final CondorConfigReader reader;

    CondorConfigProbe(CondorConfigReader reader) {
        this.reader = reader;
    }

    @Override
    public Result probe() throws InterruptedException {
        return Result.of(reader.read(ALL_KNOBS));
    }
}
