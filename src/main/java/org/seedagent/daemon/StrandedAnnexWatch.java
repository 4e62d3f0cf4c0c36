package org.seedagent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.seedagent.condor.AnnexRequests;
import org.seedagent.condor.CondorValues;
import org.seedagent.restart.Restart;
import org.seedagent.state.DaemonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a change of address on an {@code htcondor annex} seed, names the annexes it stranded: the requests
 * {@code htcondor annex create} recorded in the queue with another collector than the new ANNEX_COLLECTOR.
 * One {@code condor_q} (as root, through the schedd's private super port, so it works while the daemons still
 * advertise the old address), at the polls after the change until the queue answers, for at most
 * {@link #PATIENCE} (a restarting schedd may not answer at once: 22 s measured on 24.0.23); never in steady
 * state. When the change came with a stop/start, that restart's sentence names them too.
 */
final class StrandedAnnexWatch implements Watcher {
    /** How long after a change the queue is asked again at each poll until it answers. */
    static final Duration PATIENCE = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(StrandedAnnexWatch.class);

    private final org.seedagent.support.ProcessRunner processes;

    StrandedAnnexWatch(org.seedagent.support.ProcessRunner processes) {
        this.processes = processes;
    }

    /** Until when the queue is asked; null when nothing is to be asked. */
    private Instant askUntil;

    private String changeTo;

    /** The address changed to {@code to} at {@code now}: ask the queue at the next polls. */
    void changed(String to, Instant now) {
        askUntil = now.plus(PATIENCE);
        changeTo = to;
    }

    /** Whether a query is still to be made. */
    boolean pending() {
        return askUntil != null;
    }

    /** At a poll, after its reload: asks the queue only after a change (nothing in steady state). */
    @Override
    public void step(Step step) throws InterruptedException {
        if (askUntil != null) {
            step(
                    step.now(),
                    step.preflights().knobs(),
                    step.state(),
                    new AnnexRequests(
                            processes,
                            step.config().condorConfigVal().resolveSibling("condor_q"),
                            step.config().condorTimeout()));
        }
    }

    /**
     * One step, after the poll's reload: when a query is pending and {@code knobs} (HTCondor's configuration as the
     * last pre-flight read it) is an htcondor annex seed's, asks the queue; records and logs the answer.
     */
    void step(Instant now, Map<String, String> knobs, DaemonState state, AnnexRequests requests)
            throws InterruptedException {
        if (askUntil == null) {
            return;
        }
        if (knobs == null || !CondorValues.bool(knobs.get("HPC_ANNEX_ENABLED"), false)) {
            askUntil = null; // a classic seed: condor_annex keeps no requests in the queue
            return;
        }
        String collector = knobs.get("ANNEX_COLLECTOR") == null
                ? null
                : knobs.get("ANNEX_COLLECTOR").strip();
        AnnexRequests.Stranded answer = requests.stranded(collector);
        if (answer.problem() != null && now.isBefore(askUntil)) {
            log.debug(
                    "the queue did not answer which annexes the change stranded (tried again at the next poll): {}",
                    answer.problem());
            return;
        }
        askUntil = null;
        List<DaemonState.StrandedAnnex> stranded = answer.requests().stream()
                .map(r -> new DaemonState.StrandedAnnex(r.cluster(), r.name(), r.collector()))
                .toList();
        state.strandedAnnexes = new DaemonState.StrandedAnnexes(now, changeTo, collector, stranded, answer.problem());
        if (answer.problem() != null) {
            log.warn(
                    "which htcondor annex requests the change to {} stranded is not known: {}",
                    changeTo,
                    answer.problem());
        } else if (stranded.isEmpty()) {
            log.info("no htcondor annex request in the queue was given another collector than {}", collector);
        } else {
            log.warn(
                    "the change to {} stranded {} htcondor annex request(s), whose nodes cannot reach this seed any"
                            + " more: {}; replace each (`htcondor annex shutdown NAME`, then `htcondor annex create`)",
                    changeTo,
                    stranded.size(),
                    String.join(
                            ", ",
                            stranded.stream()
                                    .map(a -> a.name() + " (job " + a.cluster() + ", given " + a.collector() + ")")
                                    .toList()));
            amendRestart(
                    state,
                    String.join(
                            ", ",
                            stranded.stream()
                                    .map(a -> a.name() + " (job " + a.cluster() + ")")
                                    .toList()));
        }
    }

    /** A stop/start (or new instance) that brought this change: its sentence names the stranded annexes too. */
    private void amendRestart(DaemonState state, String names) {
        List<Restart> restarts = state.restarts();
        if (restarts.isEmpty()) {
            return;
        }
        Restart last = restarts.get(restarts.size() - 1);
        if (changeTo.equals(last.address())
                && last.addressChanged()
                && !last.summary().contains("htcondor annex")) {
            state.replaceLastRestart(last.withStrandedAnnexes(names));
        }
    }
}
