package org.seedagent.status;

import static org.seedagent.status.Screen.BOLD;
import static org.seedagent.status.Screen.GREEN;
import static org.seedagent.status.Screen.RED;
import static org.seedagent.status.Screen.YELLOW;
import static org.seedagent.status.Screen.clean;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.seedagent.checks.CheckReport;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.Poll;
import org.seedagent.status.StatusFacts.AddressRead;
import org.seedagent.support.JsonNames;

/**
 * The human report: a verdict line, one labelled line per part, then the problems with what to do.
 * Fits one screen; {@code --long} adds every check and the whole history. Text from files and from
 * HTCondor is shown with control characters escaped, so it cannot forge lines or colours.
 */
final class TextRenderer {

    private final StatusReport report;
    private final StatusFacts facts;
    private final DaemonState state;
    private final Instant now;
    private final boolean colour;
    private final boolean full;
    private final Screen screen;
    private final HtcondorLines htcondor;
    private final StringBuilder out;

    TextRenderer(StatusReport report, boolean colour, boolean full) {
        this.report = report;
        this.facts = report.facts;
        this.state = facts.state().state();
        this.now = facts.now();
        this.colour = colour;
        this.full = full;
        this.screen = new Screen(colour);
        this.out = screen.out();
        this.htcondor = new HtcondorLines(report, full, screen);
    }

    String render() {
        out.append(headline()).append('\n');
        line("Agent:", agent());
        if (full && facts.runtime() != null) {
            line("Java:", clean(facts.runtime().words()));
        }
        line("systemd:", systemd());
        if (!facts.systemd().statusText().isEmpty()
                && (full || !repeatsTheAddress(facts.systemd().statusText()))) {
            line("", "\"" + clean(facts.systemd().statusText()) + "\"");
        }
        if (state != null) {
            line("Address:", address());
        }
        line("Fragment:", fragment());
        line("HTCondor:", forwarding());
        String annexTool = htcondor.annexTool();
        if (annexTool != null) {
            line("Annex tool:", annexTool);
        }
        line("Advertised:", htcondor.advertised());
        String localTools = htcondor.localTools();
        if (localTools != null) {
            line("Local tools:", localTools);
        }
        if (full) {
            for (AddressRead read : facts.addresses()) {
                line(
                        "",
                        read.daemon() + ": "
                                + (read.host() != null ? read.host() : "unknown (" + clean(read.problem()) + ")")
                                + " in " + clean(read.file()));
            }
        }
        if (state != null) {
            if (full) {
                line(
                        "Boot sync:",
                        state.bootSync == null
                                ? outcome(null, null, null)
                                : outcome(
                                        state.bootSync.failed() ? "failed" : JsonNames.of(state.bootSync.action()),
                                        state.bootSync.time(),
                                        state.bootSync.detail()));
            }
            line("Last poll:", poll());
            if (full && state.lastFailure != null) {
                line("Last failure:", outcome(state.lastFailure));
            }
            line("Last reload:", reload());
            if (state.pendingReload != null) {
                // Short: the why is under Problems, said once (issue 22: it was said twice, seven lines each).
                line(
                        "",
                        paint(RED, "reload pending") + " since " + Times.both(state.pendingReload.since(), now)
                                + (full ? ", because " + clean(String.valueOf(state.pendingReload.because())) : "")
                                + " ("
                                + state.pendingReload.attempts()
                                + (state.pendingReload.attempts() == 1 ? " attempt" : " attempts")
                                + "; tried again at every poll" + (full ? ")" : "; why: see below)"));
            }
            htcondor.stranded();
            line("Checks:", checks());
            if (full && !report.checks.isEmpty()) {
                for (String l : new CheckReport(report.checks)
                        .text(colour, 0, true, false)
                        .split("\n")) {
                    if (!l.isEmpty() && !l.startsWith(report.checks.size() + " checks:")) {
                        line("", l);
                    }
                }
            }
            new InstanceLines(state, now, full, screen).write();
        }
        problems();
        if (!full && state != null) {
            out.append('\n')
                    .append("Every check and the whole history: seed-agent status --long")
                    .append('\n');
        }
        return out.toString();
    }

    // --- lines -------------------------------------------------------------------------------------

    private String headline() {
        Health health = report.health;
        String verdict = switch (health) {
            case HEALTHY -> paint(GREEN, "healthy");
            case DEGRADED -> paint(YELLOW, "degraded") + " (" + counts() + ")";
            case NEEDS_ATTENTION -> paint(RED, "needs attention") + " (" + counts() + ")";
            case NOT_RUNNING -> paint(RED, "not running") + " (" + report.agent.words() + ")";
        };
        return paint(BOLD, "seed-agent") + ": " + verdict;
    }

    private String counts() {
        long failures = report.count(Finding.Level.FAILURE);
        long warnings = report.count(Finding.Level.WARNING);
        List<String> parts = new ArrayList<>();
        if (failures > 0) {
            parts.add(failures + (failures == 1 ? " failure" : " failures"));
        }
        if (warnings > 0) {
            parts.add(warnings + (warnings == 1 ? " warning" : " warnings"));
        }
        return String.join(", ", parts);
    }

    private String agent() {
        String word = report.agent == AgentState.RUNNING ? paint(GREEN, "running") : paint(RED, report.agent.words());
        StringBuilder s = new StringBuilder(word).append(", ").append(clean(report.agentDetail));
        if (state != null && (report.agent == AgentState.RUNNING || report.agent == AgentState.STALE)) {
            List<String> about = new ArrayList<>();
            if (state.pid > 0) {
                about.add("pid " + state.pid);
            }
            if (state.version != null && full) { // short: one line at 80 columns (--long and JSON have it)
                about.add("version " + clean(state.version));
            }
            if (state.startedAt != null) {
                about.add("started " + Times.relative(state.startedAt, now));
            }
            if (!about.isEmpty()) {
                s.append(" (").append(String.join(", ", about)).append(')');
            }
        }
        return s.toString();
    }

    private String systemd() {
        SystemdView view = facts.systemd();
        if (!view.available()) {
            return "unavailable (" + clean(view.problem()) + ")";
        }
        if (!view.installed()) {
            return SystemdView.UNIT + " is not installed";
        }
        StringBuilder s = new StringBuilder(clean(view.activeState()))
                .append(" (")
                .append(clean(view.subState()))
                .append(')');
        if (!view.activeSinceText().isEmpty()) {
            Instant since = view.activeSince();
            s.append(" since ").append(clean(view.activeSinceText()));
            if (since != null) {
                s.append(" (").append(Times.relative(since, now)).append(')');
            }
        }
        // The pid once: here only when it is not the one the Agent line shows (a mismatch says something).
        if (view.mainPid() > 0 && (state == null || view.mainPid() != state.pid)) {
            s.append(", pid ").append(view.mainPid());
        }
        return s.toString();
    }

    /** The daemon's STATUS= line when it says only what the Address line says: left to {@code --long}. */
    private boolean repeatsTheAddress(String statusText) {
        return state != null
                && state.currentAddress != null
                && state.addressKind == AddressKind.PUBLIC
                && statusText.equals("TCP_FORWARDING_HOST = " + state.currentAddress + " (public IPv4)");
    }

    private String address() {
        if (state.currentAddress == null) {
            return "none in force" + (state.lastPoll == null ? "" : " (" + clean(state.lastPoll.detail()) + ")");
        }
        String kind = state.addressKind == AddressKind.PUBLIC
                ? "public IPv4"
                : state.addressKind == AddressKind.PRIVATE
                        ? "private address: the instance has no public IPv4"
                        : "null";
        return clean(state.currentAddress) + " (" + kind + ")"
                + (state.addressSince == null ? "" : " since " + Times.both(state.addressSince, now));
    }

    private String fragment() {
        StatusReport.FragmentVerdict f = report.fragment;
        String path = clean(f.path().toString());
        return path + ": "
                + switch (f.read()) {
                    case OK ->
                        f.expectedSha256() != null
                                ? (f.matches()
                                        ? paint(GREEN, "as the agent wrote it")
                                        : paint(RED, "changed since the agent wrote it"))
                                : Boolean.FALSE.equals(f.matches())
                                        ? "present, though the agent removed it"
                                        : "present";
                    case MISSING ->
                        f.expectedSha256() != null
                                ? paint(RED, "missing")
                                : Boolean.TRUE.equals(f.matches()) ? "absent, as the agent left it" : "absent";
                    case UNREADABLE, INVALID ->
                        "unknown (cannot read it: " + clean(facts.fragment().problem()) + ")";
                };
    }

    private String forwarding() {
        StatusReport.Forwarding f = report.forwarding;
        if (facts.condor() instanceof CondorEvaluation.Failed failed) {
            return "unknown (" + clean(failed.reason()) + ")";
        }
        String where = f.location() == null ? "" : " (" + clean(f.location()) + ")";
        if (f.value() == null) {
            return "TCP_FORWARDING_HOST is not defined"
                    + (f.expected() == null
                            ? ""
                            : ": " + paint(RED, "not in effect") + ", expected " + clean(f.expected()));
        }
        String value = "TCP_FORWARDING_HOST = " + clean(f.value());
        if (f.inEffect() == null) {
            return value + where;
        }
        return value + ": "
                + (f.inEffect()
                        ? paint(GREEN, "in effect")
                        : paint(RED, "not in effect") + ", expected " + clean(f.expected()))
                + where;
    }

    private String poll() {
        Poll poll = state.lastPoll;
        if (poll == null) {
            return "none yet";
        }
        if (full) {
            return outcome(poll);
        }
        String s = result(poll) + " " + Times.relative(poll.time(), now);
        if (!poll.ok()) {
            s += "; last success " + (state.lastSuccess == null ? "never" : Times.relative(state.lastSuccess, now));
        }
        return s;
    }

    private String reload() {
        LastReload reload = state.lastReload;
        if (reload == null) {
            return "none recorded (reload.method = "
                    + facts.config().reloadMethod().name().toLowerCase(Locale.ROOT) + ")";
        }
        String method = reload.method() == null ? "" : JsonNames.of(reload.method());
        boolean bad = reload.missed();
        String result = bad ? paint(RED, JsonNames.of(reload.result())) : JsonNames.of(reload.result());
        String detail = bad && !full
                ? "reload.method = " + method + "; see below"
                : (method.isEmpty() ? "" : method + ": ") + clean(String.valueOf(reload.detail()));
        return result + " " + Times.relative(reload.time(), now) + " (" + detail + ")";
    }

    private String checks() {
        if (report.checks.isEmpty()) {
            return state.checksAt == null ? "not run yet" : "none recorded";
        }
        return new CheckReport(report.checks).summary()
                + (state.checksAt == null ? "" : " (" + Times.relative(state.checksAt, now) + ")");
    }

    private void problems() {
        List<Finding> problems = report.findings.stream()
                .filter(f -> f.level() != Finding.Level.NOTE)
                .sorted(Comparator.comparing(Finding::level))
                .toList();
        List<Finding> notes = report.findings.stream()
                .filter(f -> f.level() == Finding.Level.NOTE)
                .toList();
        if (!problems.isEmpty()) {
            out.append('\n').append(paint(BOLD, "Problems:")).append('\n');
            for (Finding f : problems) {
                String label = f.level() == Finding.Level.FAILURE ? paint(RED, "FAILURE") : paint(YELLOW, "WARNING");
                out.append("  ")
                        .append(label)
                        .append("  ")
                        .append(clean(f.text()))
                        .append('\n');
                if (f.remedy() != null) {
                    out.append("           fix: ").append(clean(f.remedy())).append('\n');
                }
            }
        }
        if (!notes.isEmpty()) {
            out.append('\n').append(paint(BOLD, "Notes:")).append('\n');
            for (Finding f : notes) {
                out.append("  - ").append(clean(f.text())).append('\n');
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** {@code failed 2 min ago: why}. */
    private String outcome(Poll poll) {
        return poll == null ? outcome(null, null, null) : outcome(result(poll), poll.time(), poll.detail());
    }

    private String outcome(Object result, Instant time, String detail) {
        if (result == null) {
            return "none";
        }
        return clean(String.valueOf(result))
                + (time == null ? "" : " " + Times.relative(time, now))
                + (detail != null ? ": " + clean(detail) : "");
    }

    private static String result(Poll poll) {
        return poll.ok() ? "ok" : "failed";
    }

    private void line(String label, String text) {
        screen.line(label, text);
    }

    private String paint(String code, String text) {
        return screen.paint(code, text);
    }
}
