package org.seedagent.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.HtcondorService;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.ReloadMethod;
import org.seedagent.state.DaemonState;
import org.seedagent.state.DaemonState.PendingReload;
import org.seedagent.state.LastReload;
import org.seedagent.support.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telling HTCondor about a new fragment, and making sure it is told in the end. A reload is
 * withheld while HTCondor's configuration does not parse (a reload then stops the running master
 * and the pool with it) and fails when systemctl or the command fails; either way it stays
 * <em>pending</em>, in the state file, and {@link #retryPending} tries it again at every poll (after
 * a new pre-flight) until it is done. Without this a fixed neighbour file left HTCondor on the old
 * address until somebody reloaded it by hand or the address changed again.
 *
 * <p>During the boot sync a reload waits until after READY=1 (see {@link #afterReady}).
 */
final class Reloads {
    private static final Logger log = LoggerFactory.getLogger(Reloads.class);

    /** What a retried pending reload came to. */
    enum Retry {
        /** Nothing was pending (or it was tried in this step already). */
        NONE,
        /** Still withheld or failed; still pending. */
        STILL_PENDING,
        /** Done (or skipped: HTCondor is not running and reads the fragment when it starts). */
        DONE,
        /**
         * No longer pending although nothing was reloaded: the configuration still cannot be checked, and no reload
         * is wanted (HTCondor's unit is not running, or reload.method = none); the last reload's detail says which.
         */
        DROPPED
    }

    private final Clock clock;
    private final ProcessRunner processes;
    private final ConvergenceWatch convergence;
    /** Set by the boot sync: the address the deferred reload puts in force ("" for none); null: none deferred. */
    private String deferred;
    /** Whether a reload was attempted or withheld in the current step, so a step tries it once. */
    private boolean attemptedThisStep;

    Reloads(Clock clock, ProcessRunner processes, ConvergenceWatch convergence) {
        this.clock = clock;
        this.processes = processes;
        this.convergence = convergence;
    }

    /** Called at the start of each step (boot sync, poll). */
    void beginStep() {
        attemptedThisStep = false;
    }

    /**
     * The configuration parses with the new fragment: reloads now, or, during the boot sync with
     * HTCondor already running (the agent restarted), after READY=1.
     */
    void reloadOrDefer(AgentConfig config, DaemonState state, String expected, boolean booting)
            throws InterruptedException {
        attemptedThisStep = true;
        if (booting
                && (config.reloadMethod() == ReloadMethod.COMMAND
                        || service(config).isRunning())) {
            deferred = expected == null ? "" : expected;
            return;
        }
        // At a real boot condor.service is not running yet (it is ordered after us) and reads the new
        // fragment when it starts: reload() skips it.
        reload(config, state, expected);
    }

    /**
     * Runs the reload the boot sync deferred. Called after READY=1: until then systemd holds jobs of
     * condor.service ordered after us, so a blocking `systemctl reload` would wait for our own start
     * to finish, which waits for the reload (measured: stuck until TimeoutStartSec).
     */
    void afterReady(AgentConfig config, DaemonState state) throws InterruptedException {
        if (deferred != null) {
            String expected = deferred;
            deferred = null;
            reload(config, state, expected.isEmpty() ? null : expected);
        }
    }

    /**
     * HTCondor's configuration does not parse: no reload now. It stays pending, and {@code because}
     * (which names the file and line) is logged when it first becomes pending or the reason changes; unless no
     * reload is wanted at all (reload.method = none, or HTCondor's unit is not running: it reads the fragment when
     * it starts), and then nothing is pending.
     */
    void withhold(AgentConfig config, DaemonState state, String because) throws InterruptedException {
        attemptedThisStep = true;
        Instant now = clock.instant();
        if (config.reloadMethod() == ReloadMethod.NONE) {
            // Nothing is ever reloaded: there is nothing to keep pending (issue 22).
            state.lastReload = new LastReload(
                    now,
                    LastReload.Result.SKIPPED,
                    config.reloadMethod(),
                    "reload.method = none: HTCondor reads the fragment at its next start");
            state.pendingReload = null;
            return;
        }
        if (config.reloadMethod() != ReloadMethod.COMMAND && !service(config).isRunning()) {
            // Nothing runs that a reload would reach: HTCondor reads the fragment when it starts (issue 22: a
            // machine without HTCondor showed a reload failing for ever).
            state.lastReload = new LastReload(
                    now,
                    LastReload.Result.SKIPPED,
                    config.reloadMethod(),
                    config.condorUnit() + " is not running: it reads the fragment when it starts");
            if (state.pendingReload != null) {
                log.info(
                        "the reload pending since {} is not needed: {} is not running and reads the fragment when it"
                                + " starts",
                        state.pendingReload.since(),
                        config.condorUnit());
            }
            state.pendingReload = null;
            return;
        }
        state.lastReload = new LastReload(now, LastReload.Result.NOT_ATTEMPTED, config.reloadMethod(), because);
        PendingReload before = state.pendingReload;
        state.pendingReload = pend(before, because, now);
        if (before == null) {
            log.error("{}. The reload stays pending and is tried again at every poll", because);
        } else if (!Objects.equals(before.because(), because)) {
            log.error("the reload pending since {} is still withheld: {}", before.since(), because);
        } else {
            log.debug("the reload pending since {} is still withheld: {}", before.since(), because);
        }
    }

    /** Reloads HTCondor now and records the outcome; a failure leaves the reload pending. */
    void reload(AgentConfig config, DaemonState state, String expected) throws InterruptedException {
        attemptedThisStep = true;
        Instant now = clock.instant();
        HtcondorService.ReloadOutcome outcome = service(config).reload(config.reloadMethod(), config.reloadCommand());
        state.lastReload = new LastReload(
                now,
                switch (outcome.result()) {
                    case DONE -> LastReload.Result.DONE;
                    case SKIPPED -> LastReload.Result.SKIPPED;
                    case FAILED -> LastReload.Result.FAILED;
                },
                config.reloadMethod(),
                outcome.detail());
        PendingReload before = state.pendingReload;
        switch (outcome.result()) {
            case DONE -> log.info("reloaded HTCondor: {}", outcome.detail());
            case SKIPPED -> log.info("HTCondor not reloaded: {}", outcome.detail());
            case FAILED -> {
                state.pendingReload = pend(before, "the reload failed: " + outcome.detail(), now);
                if (before == null || !Objects.equals(before.because(), state.pendingReload.because())) {
                    log.error(
                            "reloading HTCondor failed: {}; the fragment is in place and the reload stays pending: "
                                    + "it is tried again at every poll (or run: systemctl reload {})",
                            outcome.detail(),
                            config.condorUnit());
                } else {
                    log.debug("reloading HTCondor failed again: {}", outcome.detail());
                }
                convergence.stop();
                return;
            }
        }
        if (before != null) {
            state.pendingReload = null;
            log.info(
                    "the pending reload is done, {} s after it was first {} ({} attempt(s); it was pending because {})",
                    Duration.between(before.since(), now).toSeconds(),
                    before.because().startsWith("the reload failed") ? "tried" : "withheld",
                    before.attempts() + 1,
                    before.because());
        }
        if (expected == null) {
            convergence.stop();
        } else {
            convergence.start(expected, now);
        }
    }

    /**
     * At a poll: a pending reload not yet tried in this step is tried again, after a fresh pre-flight
     * ({@code probe}; none is launched when nothing is pending).
     */
    Retry retryPending(AgentConfig config, DaemonState state, ConfigProbe probe, String expected)
            throws InterruptedException {
        if (state.pendingReload == null || attemptedThisStep || deferred != null) {
            return Retry.NONE;
        }
        ConfigProbe.Result result = probe.probe();
        if (!result.parses()) {
            withhold(config, state, withheldBecause(result, config));
            return state.pendingReload == null ? Retry.DROPPED : Retry.STILL_PENDING;
        }
        reload(config, state, expected);
        return state.pendingReload == null ? Retry.DONE : Retry.STILL_PENDING;
    }

    /**
     * At boot, a reload still pending from the agent's previous run: resumed (after READY=1) when
     * HTCondor runs and the configuration parses; dropped when HTCondor is not running, as it reads
     * the fragment when it starts.
     */
    void resumeAtBoot(AgentConfig config, DaemonState state, ConfigProbe probe, String expected)
            throws InterruptedException {
        if (state.pendingReload == null || attemptedThisStep) {
            return;
        }
        if (config.reloadMethod() != ReloadMethod.COMMAND && !service(config).isRunning()) {
            log.info(
                    "the reload pending since {} is not needed: {} is not running and reads the fragment when "
                            + "it starts",
                    state.pendingReload.since(),
                    config.condorUnit());
            state.pendingReload = null;
            return;
        }
        log.info(
                "a reload of HTCondor is pending since {} ({}); trying it again",
                state.pendingReload.since(),
                state.pendingReload.because());
        ConfigProbe.Result result = probe.probe();
        if (!result.parses()) {
            withhold(config, state, withheldBecause(result, config));
            return;
        }
        reloadOrDefer(config, state, expected, true);
    }

    /**
     * Why a reload is withheld after the pre-flight {@code probe} failed, naming the real cause: HTCondor's tools
     * missing or too slow is not a broken configuration (issue 22).
     */
    static String withheldBecause(ConfigProbe.Result probe, AgentConfig config) {
        if (probe.evaluation() instanceof CondorEvaluation.Failed failed) {
            switch (failed.kind()) {
                case NOT_INSTALLED -> {
                    return "HTCondor's condor_config_val is not installed at " + config.condorConfigVal() + " ("
                            + failed.reason() + "; set condor.config-val). Not reloading: the configuration cannot be"
                            + " checked first; seed-agent reloads by itself once it can";
                }
                case TIMED_OUT -> {
                    return failed.reason() + ". Not reloading: the configuration cannot be checked first (raise"
                            + " condor.timeout if it is only slow); seed-agent tries again at every poll";
                }
                default -> {
                    // a configuration error or another failure of the tool: below
                }
            }
        }
        return notParsing(probe.error());
    }

    /** Why a reload is withheld when the configuration does not parse. */
    static String notParsing(String error) {
        return "HTCondor's configuration does not parse: " + error
                + ". Not reloading: a reload on a broken configuration stops the running master and the"
                + " pool with it. Fix that file; seed-agent then reloads by itself";
    }

    private static PendingReload pend(PendingReload before, String because, Instant now) {
        return before == null ? new PendingReload(now, because, 1) : before.again(because);
    }

    private HtcondorService service(AgentConfig config) {
        return new HtcondorService(processes, config.condorUnit(), config.condorTimeout());
    }
}
