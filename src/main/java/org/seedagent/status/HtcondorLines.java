package org.seedagent.status;

import static org.seedagent.status.Screen.GREEN;
import static org.seedagent.status.Screen.RED;
import static org.seedagent.status.Screen.YELLOW;
import static org.seedagent.status.Screen.clean;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.condor.AnnexRequests;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.LocalRoute;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LocalToolsWindow;
import org.seedagent.status.StatusFacts.Read;

/**
 * The human report's lines about what HTCondor's daemons do: the annex tool and the address annex nodes are
 * given, the htcondor annex requests a change stranded, what the daemons advertise.
 */
final class HtcondorLines {
    private final StatusReport report;
    private final StatusFacts facts;
    private final DaemonState state;
    private final Instant now;
    private final boolean full;
    private final Screen screen;

    HtcondorLines(StatusReport report, boolean full, Screen screen) {
        this.report = report;
        this.facts = report.facts;
        this.state = facts.state().state();
        this.now = facts.now();
        this.full = full;
        this.screen = screen;
    }

    /** Which tool makes this seed's annex nodes, the release, and (htcondor annex) the address nodes are given. */
    String annexTool() {
        if (!(facts.condor() instanceof CondorEvaluation.Evaluated evaluated)) {
            return null;
        }
        CondorConfigView view = evaluated.view();
        AnnexTool tool = AnnexTool.of(view);
        String release = AnnexTool.release(view).map(r -> "HTCondor " + r).orElse("HTCondor (release unknown)");
        String given = tool == AnnexTool.HTCONDOR_ANNEX
                ? view.value("ANNEX_COLLECTOR")
                        .map(v -> "; annex nodes are given " + clean(v.strip()))
                        .orElse("")
                : "";
        return clean(tool.description()) + ", " + release + given;
    }

    /** The htcondor annex requests given another collector than the current one (status --long asks). */
    void stranded() {
        AnnexRequests.Stranded stranded = facts.stranded();
        if (stranded == null) {
            DaemonState.StrandedAnnexes recorded = state.strandedAnnexes;
            if (recorded == null || recorded.requests().isEmpty()) {
                return; // nothing stranded (or never asked): said in one line by --long, which asks
            }
            stranded = new AnnexRequests.Stranded(
                    recorded.collector(),
                    recorded.requests().stream()
                            .map(a -> new AnnexRequests.Request(a.cluster(), a.name(), a.collector()))
                            .toList(),
                    recorded.error());
        }
        if (stranded.problem() != null) {
            screen.line("Stranded:", "unknown (" + clean(stranded.problem()) + ")");
            return;
        }
        if (stranded.requests().isEmpty()) {
            screen.line(
                    "Stranded:",
                    "none (every htcondor annex request in the queue was given " + clean(stranded.current()) + ")");
            return;
        }
        int n = stranded.requests().size();
        screen.line(
                "Stranded:",
                screen.paint(RED, n + (n == 1 ? " annex was" : " annexes were") + " given an old address")
                        + ": their nodes cannot reach this seed any more");
        for (AnnexRequests.Request r : stranded.requests()) {
            screen.line("", clean(r.name()) + " (job " + clean(r.cluster()) + ", given " + clean(r.collector()) + ")");
        }
        screen.line(
                "",
                "replace each: `htcondor annex shutdown NAME` (or terminate its instances), then `htcondor annex"
                        + " create` again; new annexes are given " + clean(stranded.current()));
    }

    /**
     * The window local tools could not reach the daemons: while open, always; once closed, in the long view only.
     * Null when there is nothing to show.
     */
    String localTools() {
        LocalToolsWindow window = state == null ? null : state.localTools;
        if (window == null || (!window.open() && !full)) {
            return null;
        }
        if (window.open()) {
            return screen.paint(YELLOW, "cannot reach the " + String.join(", ", window.failing()))
                    + " at " + clean(window.address()) + " since " + Times.relative(window.since(), now) + " ("
                    + LocalRoute.toolsOf(window.failing()) + " fail)";
        }
        return "reach the daemons at " + clean(window.address()) + "; after the last change they could not for "
                + window.seconds() + " s, until " + Times.relative(window.until(), now) + " ("
                + LocalRoute.toolsOf(window.failed()) + " failed)";
    }

    String advertised() {
        StatusReport.Advertised a = report.advertised;
        if ("none".equals(a.source())) {
            if (facts.condor() instanceof CondorEvaluation.Failed) {
                return "unknown (HTCondor's configuration could not be read)";
            }
            if (facts.addresses().isEmpty()) {
                return "unknown (no *_ADDRESS_FILE is defined)";
            }
            boolean allMissing = facts.addresses().stream().allMatch(r -> r.read() == Read.MISSING);
            return allMissing
                    ? "nothing (no address files: HTCondor is not running?)"
                    : "unknown (no address file could be read)";
        }
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        a.hosts()
                .forEach((daemon, host) ->
                        byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(daemon));
        List<String> parts = new ArrayList<>();
        byHost.forEach((host, daemons) -> parts.add(clean(host) + " by " + String.join(", ", daemons)));
        String text = String.join("; ", parts);
        if (a.progress() != null) {
            text += ": "
                    + switch (a.progress()) {
                        case "caught-up" -> screen.paint(GREEN, "caught up");
                        case "catching-up" -> screen.paint(YELLOW, "catching up");
                        case "late" -> screen.paint(RED, "not caught up");
                        default -> "not " + clean(a.expected()) + ", as HTCondor is configured (above)";
                    };
        }
        if ("recorded".equals(a.source())) {
            text += " [as the agent read it " + Times.relative(a.checked(), now) + "]";
        }
        return text;
    }
}
