package org.seedagent.status;

import java.time.Instant;
import java.util.List;
import org.seedagent.condor.LocalRoute;
import org.seedagent.config.ReloadMethod;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.LocalToolsWindow;
import org.seedagent.status.StatusReport.Advertised;

/**
 * The agent's last poll and reload: a failed poll, a reload HTCondor did not get, a reload still pending. Pure,
 * like {@link StatusEvaluator}.
 */
final class ReloadFindings {
    private final DaemonState state;
    private final Instant now;
    private final String unit;
    private final List<Finding> findings;

    /** Adds what it finds to {@code findings}, in the order the report lists them. */
    ReloadFindings(StatusFacts facts, List<Finding> findings) {
        this.state = facts.state().state();
        this.now = facts.now();
        this.unit = facts.config().condorUnit();
        this.findings = findings;
    }

    void poll() {
        if (state == null || state.lastPoll == null || state.lastPoll.ok()) {
            return;
        }
        findings.add(Finding.warning(
                "poll",
                "the last metadata poll failed " + Times.relative(state.lastPoll.time(), now)
                        + ": " + state.lastPoll.detail() + " (last success: "
                        + (state.lastSuccess == null ? "never" : Times.relative(state.lastSuccess, now)) + ")",
                "the agent keeps polling and keeps the address in force; journalctl -u " + SystemdView.UNIT
                        + " shows each failure, seed-agent check tests the metadata service"));
    }

    /**
     * Local tools cannot reach HTCondor's daemons now (issue 25): a window the agent recorded as open. A warning:
     * it closes by itself, within seconds after the restart the agent makes by default.
     */
    void localTools() {
        LocalToolsWindow window = state == null ? null : state.localTools;
        if (window == null || !window.open()) {
            return;
        }
        LastReload reload = state.lastReload;
        boolean restarted = reload != null
                && reload.method() == ReloadMethod.RESTART
                && reload.result() == LastReload.Result.DONE
                && !reload.time().isBefore(window.since().minusSeconds(5));
        findings.add(Finding.warning(
                "local-tools",
                "local tools cannot reach HTCondor's " + String.join(", ", window.failing()) + " at "
                        + window.address() + " since " + Times.relative(window.since(), now) + ": "
                        + LocalRoute.toolsOf(window.failing()) + " fail",
                restarted
                        ? "wait: seed-agent restarted " + unit + " and the daemons take seconds to come back"
                        : "systemctl restart " + unit + " ends it now (the schedd restarts; running jobs"
                                + " reconnect); reload.method = restart does it by itself after a change"));
    }

    void reload(Advertised advertised) {
        if (state != null && state.pendingReload != null) {
            pendingReload(advertised, state.pendingReload);
            return;
        }
        if (state == null || state.lastReload == null) {
            return;
        }
        LastReload reload = state.lastReload;
        if (!reload.missed()) {
            return;
        }
        boolean failed = reload.result() == LastReload.Result.FAILED;
        String what = failed ? "the last reload of HTCondor failed " : "HTCondor was not reloaded ";
        String text = what + Times.relative(reload.time(), now) + ": " + reload.detail();
        if (Boolean.TRUE.equals(advertised.caughtUp()) && "live".equals(advertised.source())) {
            findings.add(Finding.note(
                    "reload",
                    text + "; the daemons advertise " + advertised.expected() + " all the same (reloaded since)"));
            return;
        }
        findings.add(Finding.failure(
                "reload",
                text,
                failed
                        ? "systemctl reload " + unit + " (journalctl -u " + SystemdView.UNIT + " has the agent's log)"
                        : "once condor_config_val -config runs without error: systemctl reload " + unit));
    }

    /** A reload withheld (the configuration does not parse) or failed, which the agent retries at every poll. */
    private void pendingReload(Advertised advertised, DaemonState.PendingReload pending) {
        String text = "reload pending since " + Times.relative(pending.since(), now) + ", because " + pending.because()
                + " (" + pending.attempts() + (pending.attempts() == 1 ? " attempt" : " attempts")
                + "; seed-agent tries again at every poll)";
        if (Boolean.TRUE.equals(advertised.caughtUp()) && "live".equals(advertised.source())) {
            findings.add(Finding.note(
                    "reload",
                    text + "; the daemons advertise " + advertised.expected()
                            + " all the same (reloaded by other means)"));
            return;
        }
        findings.add(Finding.failure("reload", text, PendingReloadFix.forCause(pending.because(), unit)));
    }
}
