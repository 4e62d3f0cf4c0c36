package org.seedagent.daemon;

import java.time.Clock;
import org.seedagent.checks.Severity;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.eip.AddressFact;
import org.seedagent.state.DaemonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings checks the daemon runs at boot and after a change of address (never at a steady poll), on this
 * step's pre-flight, kept in the state for {@code status}; and, from the same evaluation, which HTCondor release
 * and annex tool the seed has, said once (again only if it changes).
 */
final class SettingsCheckRun {
    private static final Logger log = LoggerFactory.getLogger(SettingsCheckRun.class);
    private final CheckSuite checks;
    private final Clock clock;
    /** What {@link #logAnnexTool} said last, so that it is said once. */
    private String annexToolLogged;

    SettingsCheckRun(CheckSuite checks, Clock clock) {
        this.checks = checks;
        this.clock = clock;
    }

    void run(Step step, AddressFact elasticIp) throws InterruptedException {
        DaemonState state = step.state();
        ConfigProbe.Result probe = step.preflights().forChecks(step.config());
        logAnnexTool(probe.evaluation());
        try {
            state.setChecks(checks.run(
                    step.config(),
                    probe.evaluation(),
                    step.metadata(),
                    elasticIp,
                    RestartWatch.freshEvents(state, clock.instant())));
            state.checksAt = clock.instant();
            long failures = state.checks().stream()
                    .filter(c -> c.severity() == Severity.FAILURE)
                    .count();
            long warnings = state.checks().stream()
                    .filter(c -> c.severity() == Severity.WARNING)
                    .count();
            if (failures + warnings > 0) {
                log.warn(
                        "settings checks: {} failure(s), {} warning(s); run `seed-agent check` for details and remedies",
                        failures,
                        warnings);
            }
        } catch (RuntimeException e) {
            log.warn("the settings checks could not run: {}", e.toString());
        }
    }

    private void logAnnexTool(CondorEvaluation evaluation) {
        if (!(evaluation instanceof CondorEvaluation.Evaluated evaluated)) {
            return;
        }
        AnnexTool tool = AnnexTool.of(evaluated.view());
        String release =
                AnnexTool.release(evaluated.view()).map(Object::toString).orElse("of unknown release");
        String said = "HTCondor " + release + "; annex nodes come from " + tool.description();
        if (!said.equals(annexToolLogged)) {
            annexToolLogged = said;
            if (tool == AnnexTool.NONE) {
                log.warn("{}", said);
            } else {
                log.info("{}", said);
            }
        }
    }
}
