package org.seedagent.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.seedagent.support.JsonNames;

/**
 * Decides, from facts alone, whether this boot is a restart of the seed, which kind, and what it cost.
 * Pure: the daemon gathers the facts (its previous record, this boot's id and time, the instance id
 * and address the metadata service gives, the job lease from the pre-flight).
 */
public final class RestartAnalyzer {
    private RestartAnalyzer() {}

    /**
     * What the agent recorded before this boot.
     *
     * @param bootId the boot the record was written in (null in records of older agents)
     * @param heartbeat the last heartbeat
     * @param cleanStop when the agent stopped on SIGTERM; null after a crash or power loss
     * @param pollInterval the poll interval then in force, which bounds a crash after the heartbeat
     */
    public record PreviousRun(
            String bootId,
            Instant heartbeat,
            Instant cleanStop,
            String instanceId,
            String address,
            Duration pollInterval) {}

    /**
     * This boot.
     *
     * @param instanceId null when the metadata service did not answer
     * @param address the address the fragment now holds; null when unknown
     * @param lease the job lease from this boot's pre-flight
     */
    public record ThisBoot(Instant now, BootIdentity boot, String instanceId, String address, JobLease lease) {}

    /**
     * The restart this boot is, or empty when it is none: the agent restarted within the same boot, or
     * there is no way to tell (no boot id and no boot time).
     */
    public static Optional<Restart> assess(PreviousRun previous, ThisBoot boot) {
        if (previous == null) {
            String summary = "first boot of " + (boot.instanceId() == null ? "this seed" : boot.instanceId())
                    + " from its image: there is no earlier record of seed-agent here (a new seed, or prepare-image"
                    + " removed the record), so no outage to measure";
            return Optional.of(new Restart(
                    boot.now(),
                    boot.boot().bootTime(),
                    RestartKind.FIRST_BOOT,
                    Restart.Verdict.HARMLESS,
                    null,
                    null,
                    boot.instanceId(),
                    null,
                    boot.address(),
                    null,
                    null,
                    summary,
                    null));
        }
        if (!newBoot(previous, boot.boot())) {
            return Optional.empty();
        }
        RestartKind kind = kind(previous, boot);
        Outage outage = Outage.between(
                previous.cleanStop(),
                previous.heartbeat(),
                previous.pollInterval(),
                boot.boot().bootTime());
        JobLease lease = boot.lease();
        Duration leaseTime = Duration.ofSeconds(lease.seconds());
        boolean addressChanged = kind == RestartKind.STOP_START
                || (kind == RestartKind.NEW_INSTANCE
                        && previous.address() != null
                        && boot.address() != null
                        && !previous.address().equals(boot.address()));

        List<String> parts = new ArrayList<>();
        List<String> remedies = new ArrayList<>();
        parts.add(what(kind, previous, boot));
        Restart.Verdict verdict = Restart.Verdict.HARMLESS;
        String leaseWords;
        if (!outage.known()) {
            leaseWords = "so whether running jobs could reconnect within " + lease.describe() + " is unknown";
            verdict = Restart.Verdict.MAYBE_LOST;
        } else if (outage.atMost().compareTo(leaseTime) <= 0) {
            leaseWords = "shorter than " + lease.describe()
                    + (addressChanged
                            ? ", so jobs could have reconnected"
                            : ": jobs running on annex nodes can reconnect");
        } else if (outage.atLeast().compareTo(leaseTime) > 0) {
            leaseWords = "longer than " + lease.describe() + ": jobs that were running on annex nodes were lost and"
                    + " will be rerun";
            verdict = Restart.Verdict.LOST;
            remedies.add("raise JOB_DEFAULT_LEASE_DURATION if outages this long are to be expected");
        } else {
            leaseWords = "perhaps longer than " + lease.describe() + ": jobs running on annex nodes may have been lost";
            verdict = Restart.Verdict.MAYBE_LOST;
        }
        parts.add(outage.describe() + ", " + leaseWords);
        if (addressChanged) {
            parts.add("but annex nodes started before the change were given the old collector address "
                    + previous.address() + " and will not rejoin: the jobs running on them are lost and will be rerun");
            remedies.add(
                    "find those annex nodes (`seed-agent status --long` names the htcondor annex requests, condor_annex -status lists condor_annex's, or their EC2 instances) and terminate them: their"
                            + " jobs are rerun elsewhere; an Elastic IP keeps the address across stop/start");
            verdict = Restart.Verdict.LOST;
        }
        if (kind == RestartKind.RESTART) {
            parts.add("whether the public address changed is not known until the metadata service answers (a change is"
                    + " then logged as one, with the annex nodes it strands)");
            if (verdict == Restart.Verdict.HARMLESS) {
                verdict = Restart.Verdict.MAYBE_LOST;
            }
        }
        if (kind == RestartKind.NEW_INSTANCE) {
            parts.add("the job queue on " + previous.instanceId()
                    + " is gone unless its spool was on a volume that moved" + " to this instance");
            remedies.add("keep the schedd's SPOOL on an EBS volume that can be attached to a replacement seed");
            verdict = Restart.Verdict.LOST;
        }
        return Optional.of(new Restart(
                boot.now(),
                boot.boot().bootTime(),
                kind,
                verdict,
                outage,
                previous.instanceId(),
                boot.instanceId(),
                previous.address(),
                boot.address(),
                lease.seconds(),
                JsonNames.of(lease.source()),
                String.join("; ", parts),
                remedies.isEmpty() ? null : String.join("; ", remedies)));
    }

    /**
     * Whether this is another boot than the one of the record: the boot ids differ; without them, the
     * last heartbeat is older than this boot (a heartbeat after it comes from this boot).
     */
    public static boolean newBoot(PreviousRun previous, BootIdentity boot) {
        if (previous.bootId() != null && boot.bootId() != null) {
            return !previous.bootId().equals(boot.bootId());
        }
        Instant last = previous.cleanStop() != null
                        && (previous.heartbeat() == null || previous.cleanStop().isAfter(previous.heartbeat()))
                ? previous.cleanStop()
                : previous.heartbeat();
        return last != null && boot.bootTime() != null && last.isBefore(boot.bootTime());
    }

    static RestartKind kind(PreviousRun previous, ThisBoot boot) {
        if (boot.instanceId() == null) {
            return RestartKind.RESTART;
        }
        if (previous.instanceId() != null && !previous.instanceId().equals(boot.instanceId())) {
            return RestartKind.NEW_INSTANCE;
        }
        if (previous.address() != null
                && boot.address() != null
                && !previous.address().equals(boot.address())) {
            return RestartKind.STOP_START;
        }
        return RestartKind.REBOOT;
    }

    private static String what(RestartKind kind, PreviousRun previous, ThisBoot boot) {
        return switch (kind) {
            case STOP_START ->
                "a stop/start of " + boot.instanceId() + " (its public address changed from " + previous.address()
                        + " to " + boot.address() + ")";
            case REBOOT ->
                "a reboot of " + boot.instanceId() + " (same instance, same address "
                        + (boot.address() == null ? "" : boot.address() + " ")
                        + "- or a stop/start that kept its address, as an Elastic IP does)";
            case NEW_INSTANCE -> "a new instance, " + boot.instanceId() + ", in place of " + previous.instanceId();
            case RESTART ->
                "a restart (which instance and address is not known: the metadata service did not answer at" + " boot)";
            case FIRST_BOOT -> "a first boot";
        };
    }
}
