package org.seedagent.status;

import java.time.Instant;
import java.util.List;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.guard.GuardRecord;
import org.seedagent.guard.ImdsGuard;
import org.seedagent.restart.Restart;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.restart.SpotNotice;
import org.seedagent.state.DaemonState;
import org.seedagent.state.SpotInterruption;
import org.seedagent.support.JsonNames;

/**
 * What the instance's own record means for the seed: the IMDS guard, a spot notice, the Elastic IP claim, the last
 * restart and change of address, EC2's scheduled events. Pure, like {@link StatusEvaluator}.
 */
final class InstanceFindings {
    private final StatusFacts facts;
    private final DaemonState state;
    private final Instant now;
    private final List<Finding> findings;

    /** Adds what it finds to {@code findings}, in the order the report lists them. */
    InstanceFindings(StatusFacts facts, List<Finding> findings) {
        this.facts = facts;
        this.state = facts.state().state();
        this.now = facts.now();
        this.findings = findings;
    }

    /** The IMDS guard's unit failed (at boot, say, when nft could not load the rule set): loud (issue 21). */
    void guardUnit() {
        SystemdView guard = facts.guard();
        if (guard == null || !guard.installed()) {
            return;
        }
        guardTable();
        if (!"failed".equals(guard.activeState())) {
            return;
        }
        findings.add(Finding.failure(
                "instance",
                "seed-agent-imds-guard.service failed ("
                        + guard.properties().getOrDefault("Result", "?") + "): local users may reach the instance"
                        + " metadata service and the instance profile's credentials",
                "journalctl -b -u seed-agent-imds-guard says why; fix it, then systemctl restart"
                        + " seed-agent-imds-guard"));
    }

    /**
     * The guard's unit is active, but is its table in the kernel? Its record outlives a flush of the rule set
     * (nft flush ruleset, a reload of nftables or firewalld); only its watch's word says (issue 21).
     */
    private void guardTable() {
        GuardRecord record = facts.guardRecord();
        if (record == null) {
            return;
        }
        String watch = GuardRecord.WATCH_UNIT;
        switch (record.table()) {
            case ABSENT ->
                findings.add(Finding.failure(
                        "instance",
                        "the IMDS guard's table is gone from the kernel: "
                                + watch
                                + " saw it removed (a flush of the rule set?) and could not load it again, so local users"
                                + " may reach the instance metadata service and the instance profile's credentials",
                        "journalctl -u " + watch + " says why; systemctl restart " + ImdsGuard.UNIT
                                + " loads it again"));
            // No record and no word: the guard removed its table by its own configuration, or never applied it
            // (the daemon's imds-guard check says which); a record nobody watches is the case that misleads.
            case UNWATCHED -> {
                if (record.appliedAt() != null) {
                    findings.add(Finding.warning(
                            "instance",
                            watch + " is not running: nothing confirms that"
                                    + " the IMDS guard's table is still in the kernel, and a flush of the rule set (nft flush ruleset,"
                                    + " a reload of nftables or firewalld) would remove the guard unseen",
                            "systemctl restart " + ImdsGuard.UNIT + " (it starts the watch); journalctl -u " + watch
                                    + " says why it stopped"));
                }
            }
            case OFF ->
                findings.add(Finding.warning(
                        "instance",
                        "the IMDS guard's unit is active but its table is not"
                                + " loaded: it removed it (imds-guard.enabled was false when it last applied, or seed-agent"
                                + " imds-guard remove ran), while the configuration enables it now",
                        "systemctl reload " + ImdsGuard.UNIT + " applies imds-guard.* as configured now"));
            case PRESENT -> {}
        }
    }

    void spot() {
        if (state == null || state.spotInterruption == null) {
            return;
        }
        SpotNotice notice = spotNotice(state.spotInterruption);
        findings.add(Finding.failure(
                "instance",
                notice.describe(now) + " (notice received "
                        + Times.relative(state.spotInterruption.time(), now)
                        + "): the pool loses its central manager and its"
                        + " queue with it",
                "nothing stops it now: tell the pool's users; afterwards start the seed again"
                        + " (an Elastic IP keeps its address, and annex nodes rejoin), and run seeds on-demand"));
    }

    /** The notice as the daemon stored it: action and time, or the unreadable text (older agents: the text). */
    static SpotNotice spotNotice(SpotInterruption stored) {
        try {
            if (stored.action() != null && stored.detail() != null) {
                return new SpotNotice(stored.action(), Instant.parse(stored.detail()), null);
            }
        } catch (java.time.format.DateTimeParseException e) {
            // recorded by an older agent: its text
        }
        return new SpotNotice(null, null, stored.detail());
    }

    /**
     * The Elastic IP claim, when one is configured and it did not leave the address with this instance. (Whether
     * the address in force is an Elastic IP at all is the elastic-ip check, reported with the checks.)
     */
    void elasticIpClaim() {
        ClaimOutcome claim = state == null || state.elasticIp == null ? null : state.elasticIp.claim();
        if (claim == null || claim.holds()) {
            return;
        }
        String text = "Elastic IP " + claim.target() + " (" + JsonNames.of(claim.result()) + "): " + claim.detail();
        String fix = claim.fix();
        findings.add(
                claim.result() == ClaimOutcome.Result.NOT_VISIBLE
                        ? Finding.warning("elastic-ip", text, fix)
                        : Finding.failure("elastic-ip", text, fix));
    }

    /** This boot's restart, when it cost (or may have cost) running work. */
    void restart() {
        if (state == null || state.restarts().isEmpty()) {
            return;
        }
        Restart last = state.restarts().get(state.restarts().size() - 1);
        boolean thisBoot = facts.bootTime() == null
                || last.detectedAt() == null
                || !last.detectedAt().isBefore(facts.bootTime());
        if (!thisBoot || last.verdict() == Restart.Verdict.HARMLESS) {
            return;
        }
        findings.add(Finding.warning(
                "restart",
                "the last restart (" + Times.relative(last.detectedAt(), now) + "): " + last.summary(),
                last.remedy() != null
                        ? last.remedy()
                        : "check with condor_q and condor_status which jobs and annex nodes came back"));
    }

    /**
     * What the last change of the address means for annex nodes, said as long as it is the last one: those
     * started before it were given the old collector address and cannot rejoin, whatever the agent does.
     */
    void lastChange() {
        if (state == null || state.changes().isEmpty()) {
            return;
        }
        DaemonState.Change last = state.changes().get(state.changes().size() - 1);
        if (last.from() == null || last.to() == null || last.from().equals(last.to())) {
            return;
        }
        String said = "the address changed from " + last.from() + " to " + last.to() + " "
                + Times.relative(last.time(), now) + ": ";
        DaemonState.StrandedAnnexes stranded = state.strandedAnnexes;
        if (stranded != null && last.to().equals(stranded.changeTo()) && stranded.error() == null) {
            if (stranded.requests().isEmpty()) {
                said += "no htcondor annex request in the queue was given " + last.from() + " as its collector";
            } else {
                said += stranded.requests().size() + " htcondor annex request(s) were given the old collector and"
                        + " cannot rejoin: "
                        + String.join(
                                ", ",
                                stranded.requests().stream()
                                        .map(a -> a.name() + " (job " + a.cluster() + ")")
                                        .toList())
                        + "; replace each (`htcondor annex shutdown"
                        + " NAME`, then `htcondor annex create`)";
            }
        } else if (htcondorAnnex()) {
            said += "annex nodes started before then cannot rejoin (`seed-agent status --long` names the htcondor"
                    + " annex requests given the old address; replace them)";
        } else {
            said += "annex nodes started before then cannot rejoin (condor_annex -status lists them; replace them)";
        }
        findings.add(Finding.note("changes", said + "; an Elastic IP keeps the address across stop/start"));
    }

    /** Whether HTCondor's configuration, as read now, is an htcondor annex seed's. */
    private boolean htcondorAnnex() {
        return facts.condor() instanceof CondorEvaluation.Evaluated e
                && AnnexTool.of(e.view()) == AnnexTool.HTCONDOR_ANNEX;
    }

    /** Scheduled maintenance still to come: a stop or retirement changes the address, a reboot does not. */
    void scheduledEvents() {
        if (state == null || state.scheduledEvents == null) {
            return;
        }
        for (ScheduledEvent event : state.scheduledEvents.events()) {
            if (!event.active()) {
                continue;
            }
            if (event.changesAddress()) {
                findings.add(Finding.warning("events", "EC2 scheduled " + event.describe(), event.remedy()));
            } else {
                findings.add(Finding.note("events", "EC2 scheduled " + event.describe()));
            }
        }
    }
}
