package org.seedagent.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.state.DaemonState;

/**
 * The settings checks the daemon recorded, as findings: each failure, and each warning, with a cascade of checks
 * that could not run for one cause shown once. Pure, like {@link StatusEvaluator}.
 */
final class CheckFindings {
    private final StatusFacts facts;
    private final DaemonState state;
    private final Instant now;
    private final List<Finding> findings;

    /** Adds what it finds to {@code findings}, in the order the report lists them. */
    CheckFindings(StatusFacts facts, List<Finding> findings) {
        this.facts = facts;
        this.state = facts.state().state();
        this.now = facts.now();
        this.findings = findings;
    }

    private static final String NOT_CHECKED = "not checked: ";

    List<CheckResult> checks() {
        List<CheckResult> results = new ArrayList<>();
        if (state == null) {
            return results;
        }
        results.addAll(state.checks());
        int unreadable = state.unreadableChecks();
        if (unreadable > 0) {
            findings.add(Finding.note("checks", unreadable + " check result(s) in the state file could not be read"));
        }
        String when = state.checksAt == null ? "" : " (checked " + Times.relative(state.checksAt, now) + ")";
        for (CheckResult r : results) {
            if (r.severity() == Severity.FAILURE) {
                String still = "";
                if (r.id().equals("condor-config")
                        && facts.condor() instanceof CondorEvaluation.Failed failed
                        && failed.kind() != CondorEvaluation.Kind.CONFIGURATION_ERROR
                        && r.finding().contains(failed.reason())) {
                    // One cause shown once (issue 22): the live reading failed the same way; its line goes.
                    findings.removeIf(f -> f.part().equals("htcondor")
                            && f.level() == Finding.Level.WARNING
                            && f.text().startsWith("cannot read HTCondor's configuration"));
                    still = "; the same now, so TCP_FORWARDING_HOST is not verified";
                }
                findings.add(
                        Finding.failure("checks", "check " + r.id() + ": " + r.finding() + when + still, r.remedy()));
            }
        }
        // A cascade is shown once (issue 22): the checks that could not run for one cause (a missing tool, no
        // metadata) become one line naming the cause and the checks; --long and JSON still list each of them.
        Map<String, List<CheckResult>> notChecked = new LinkedHashMap<>();
        for (CheckResult r : results) {
            if (r.severity() == Severity.WARNING && r.finding().startsWith(NOT_CHECKED)) {
                notChecked
                        .computeIfAbsent(
                                r.finding().substring(NOT_CHECKED.length()) + "\n" + r.remedy(), k -> new ArrayList<>())
                        .add(r);
            }
        }
        for (CheckResult r : results) {
            if (r.severity() != Severity.WARNING) {
                continue;
            }
            List<CheckResult> group = r.finding().startsWith(NOT_CHECKED)
                    ? notChecked.get(r.finding().substring(NOT_CHECKED.length()) + "\n" + r.remedy())
                    : List.of(r);
            if (group.size() == 1) {
                findings.add(Finding.warning("checks", "check " + r.id() + ": " + r.finding() + when, r.remedy()));
            } else if (group.get(0) == r) {
                findings.add(Finding.warning(
                                "checks",
                                group.size() + " checks could not run ("
                                        + String.join(
                                                ", ",
                                                group.stream()
                                                        .map(CheckResult::id)
                                                        .toList()) + "): "
                                        + r.finding().substring(NOT_CHECKED.length()) + when,
                                r.remedy())
                        .standingFor(group.size()));
            }
        }
        return results;
    }
}
