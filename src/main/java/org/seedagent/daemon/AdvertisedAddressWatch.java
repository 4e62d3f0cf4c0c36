package org.seedagent.daemon;

/**
 * After a reload for a new address, follows what HTCondor's daemons advertise (their address files) until every one
 * shows it; reloads once more for a collector that lags after the shared-port refresh, and says in the summary how
 * long it took.
 */
final class AdvertisedAddressWatch implements Watcher {
    private final ConvergenceWatch convergence;
    private final Reloads reloads;

    AdvertisedAddressWatch(ConvergenceWatch convergence, Reloads reloads) {
        this.convergence = convergence;
        this.reloads = reloads;
    }

    @Override
    public void step(Step step) throws InterruptedException {
        switch (convergence.follow(
                step.now(),
                step.preflights().knobs(),
                step.state(),
                step.config().advertiseTimeout(),
                step.config().condorUnit())) {
            case RELOAD_FOR_COLLECTOR -> {
                convergence.extraReloadDone();
                reloads.reload(
                        step.config(), step.state(), step.state().advertised.expected());
            }
            case CONVERGED ->
                step.summary().add("advertised after " + step.state().advertised.convergedAfterSeconds() + " s");
            case NOTHING -> {}
        }
    }
}
