package org.seedagent.daemon;

/**
 * A reload that was withheld or failed is tried again at every poll, after a fresh pre-flight: only while one is
 * pending, so a steady state launches no condor_config_val.
 */
final class PendingReloadWatch implements Watcher {
    private final Reloads reloads;

    PendingReloadWatch(Reloads reloads) {
        this.reloads = reloads;
    }

    @Override
    public void step(Step step) throws InterruptedException {
        String address = step.state().currentAddress;
        Reloads.Retry retry = reloads.retryPending(
                step.config(), step.state(), () -> step.preflights().run(step.config()), address);
        if (address == null) {
            return;
        }
        if (retry == Reloads.Retry.DONE) {
            step.summary().set("TCP_FORWARDING_HOST = " + address + "; the pending reload of HTCondor is done");
        } else if (retry == Reloads.Retry.DROPPED) {
            step.summary()
                    .set("TCP_FORWARDING_HOST = " + address + "; no reload is pending any more, none was done: "
                            + step.state().lastReload.detail());
        }
    }
}
