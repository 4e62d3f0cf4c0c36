package org.seedagent.status;

import static org.seedagent.status.Screen.RED;
import static org.seedagent.status.Screen.YELLOW;
import static org.seedagent.status.Screen.clean;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.restart.Restart;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.state.DaemonState;
import org.seedagent.state.InstanceRecord;
import org.seedagent.support.JsonNames;

/**
 * The human report's lines about the instance and its history: the instance, the Elastic IP, restarts, EC2's
 * scheduled events, changes of address. The short screen keeps the last restart and change and the events still
 * to come; {@code --long} all.
 */
final class InstanceLines {
    private final DaemonState state;
    private final Instant now;
    private final boolean full;
    private final Screen screen;

    InstanceLines(DaemonState state, Instant now, boolean full, Screen screen) {
        this.state = state;
        this.now = now;
        this.full = full;
        this.screen = screen;
    }

    void write() {
        screen.line("Instance:", instance());
        elasticIp();
        restarts();
        changes();
    }

    private String instance() {
        InstanceRecord i = state.instance;
        List<String> parts = new ArrayList<>();
        for (String value : Arrays.asList(i.id(), i.type(), i.region(), i.lifeCycle())) {
            parts.add(value == null ? "?" : clean(value));
        }
        String s = String.join(", ", parts);
        if (full && i.localIpv4() != null) {
            s += " (private " + clean(i.localIpv4()) + ")";
        }
        if (state.spotInterruption != null) {
            s += "; " + screen.paint(RED, "spot interruption notice") + " "
                    + Times.relative(state.spotInterruption.time(), now);
        }
        return s;
    }

    /** Whether the address survives stop/start, as EC2 said, and the claim at boot when one is configured. */
    private void elasticIp() {
        if (state.elasticIp == null) {
            return;
        }
        String text = null;
        AddressFact fact = state.elasticIp.address();
        if (fact != null) {
            text = clean(String.valueOf(fact.address())) + ": " + clean(String.valueOf(fact.detail()));
        }
        ClaimOutcome claim = state.elasticIp.claim();
        if (claim != null) {
            String result = JsonNames.of(claim.result());
            String said = "claim of " + clean(String.valueOf(claim.target())) + ": "
                    + (claim.holds() ? result : screen.paint(RED, result)) + " (" + claim.associateCalls()
                    + " AssociateAddress, " + claim.seconds() + " s)";
            text = text == null ? said : text + "; " + said;
        }
        if (text != null) {
            screen.line("Elastic IP:", text);
        }
    }

    /** The last restart (all that are kept with --long), and maintenance EC2 has scheduled. */
    private void restarts() {
        List<Restart> restarts = state.restarts();
        if (restarts.isEmpty()) {
            if (full) { // the short screen leaves out what says nothing, so that a healthy seed's fits 80x25
                screen.line("Last restart:", "none recorded");
            }
        } else {
            int from = full ? 0 : restarts.size() - 1;
            String label = full ? "Restarts:" : "Last restart:";
            for (Restart r : restarts.subList(from, restarts.size())) {
                String verdict = switch (r.verdict()) {
                    case HARMLESS -> "";
                    case MAYBE_LOST -> screen.paint(YELLOW, "work may have been lost") + ": ";
                    case LOST -> screen.paint(RED, "work lost") + ": ";
                };
                // Short, a harmless restart in a few words (--long has its sentence): a healthy seed's screen fits.
                String said = !full && r.verdict() == Restart.Verdict.HARMLESS
                        ? r.kind().words() + ", nothing lost"
                        : clean(r.summary());
                screen.line(label, Times.absolute(r.detectedAt()) + "  " + verdict + said);
                label = "";
            }
        }
        if (state.scheduledEvents != null) {
            for (ScheduledEvent event : state.scheduledEvents.events()) {
                if (event.active() || full) {
                    screen.line("Scheduled:", clean(event.describe()));
                }
            }
        }
    }

    private void changes() {
        List<DaemonState.Change> changes = state.changes();
        if (changes.isEmpty()) {
            screen.line("IP changes:", "none recorded");
            return;
        }
        // The short screen shows the last change (the footer points at --long for the history): a healthy seed's
        // screen, with its restart record, fits 80x25 (issue 22).
        int from = full ? 0 : changes.size() - 1;
        String label = full ? "IP changes:" : "Last change:";
        for (DaemonState.Change c : changes.subList(from, changes.size())) {
            screen.line(
                    label,
                    Times.absolute(c.time()) + "  " + (c.from() == null ? "(none)" : clean(c.from())) + " -> "
                            + (c.to() == null ? "(none)" : clean(c.to())));
            label = "";
        }
    }
}
