package org.seedagent.daemon;

import java.util.Optional;
import org.seedagent.metadata.MetadataException;
import org.seedagent.restart.SpotNotice;
import org.seedagent.state.SpotInterruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a spot seed, reads the interruption notice ({@code spot/instance-action}) at every poll: EC2 gives two minutes.
 * A new notice is logged once and recorded as what and when (the state file's JSON escapes it once); one not in the
 * documented form is kept quoted.
 */
final class SpotWatch implements Watcher {
    private static final Logger log = LoggerFactory.getLogger(SpotWatch.class);
    private String lastNotice;

    @Override
    public void step(Step step) throws InterruptedException {
        if (!step.facts().isSpot()) {
            return;
        }
        try {
            Optional<String> notice = step.metadata().raw("spot/instance-action");
            if (notice.isPresent() && !notice.get().equals(lastNotice)) {
                lastNotice = notice.get();
                SpotNotice read = SpotNotice.parse(notice.get());
                log.warn(
                        "spot interruption notice for this seed: {}. The pool loses its central manager when the "
                                + "instance is stopped or terminated",
                        read.describe(step.now()));
                step.state().spotInterruption = read.readable()
                        ? new SpotInterruption(
                                step.now(), read.action(), read.at().toString())
                        : new SpotInterruption(step.now(), null, read.raw());
            }
        } catch (MetadataException e) {
            log.debug("spot/instance-action not read: {}", e.getMessage());
        }
    }
}
