package org.seedagent.checks;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.Knob;
import org.seedagent.eip.AddressFact;
import org.seedagent.guard.GuardRecord;
import org.seedagent.guard.ImdsGuard;
import org.seedagent.guard.MetadataAccess;

/** public-address, elastic-ip, seed-lifecycle, scheduled-events, credentials, imds-guard, credential-files. */
final class InstanceChecks {
    private InstanceChecks() {}

    static List<CheckResult> run(CheckInput input) {
        return List.of(
                publicAddress(input.metadata()),
                elasticIp(input),
                seedLifecycle(input.metadata()),
                RecoveryChecks.scheduledEvents(input.recovery()),
                credentials(input),
                imdsGuard(input.metadata(), input.metadataAccess()),
                credentialFiles(input.files()));
    }

    static CheckResult publicAddress(MetadataFacts metadata) {
        if (!metadata.available()) {
            return Check.PUBLIC_ADDRESS.failure(
                    Checks.noMetadata(metadata) + "; seed-agent cannot keep" + " TCP_FORWARDING_HOST current",
                    "make sure the instance metadata service is enabled (`aws ec2 modify-instance-metadata-options"
                            + " --instance-id <id> --http-endpoint enabled`) and reachable by root, and that"
                            + " metadata.endpoint in /etc/seed-agent/seed-agent.conf is right");
        }
        if (metadata.publicIp().isEmpty()) {
            return Check.PUBLIC_ADDRESS.warning(
                    "this instance has no public IPv4 address: annex nodes can reach the"
                            + " seed only from inside its VPC (or a peered network)",
                    "associate an Elastic IP (`aws ec2 associate-address --instance-id <id> --allocation-id"
                            + " <eipalloc-id>`), or launch annex nodes in the seed's VPC");
        }
        return Check.PUBLIC_ADDRESS.ok("public IPv4 address "
                + metadata.publicIp().get() + " (whether it survives stop/start: see elastic-ip)");
    }

    /** Whether the address survives a stop/start, as EC2 said; never guessed. */
    static CheckResult elasticIp(CheckInput input) {
        return elasticIp(input.metadata(), input.elasticIp());
    }

    static CheckResult elasticIp(MetadataFacts metadata, AddressFact fact) {
        if (fact == null) {
            if (!metadata.available()) {
                return Check.ELASTIC_IP.info("not known: " + Checks.noMetadata(metadata), Checks.NO_METADATA_REMEDY);
            }
            if (metadata.publicIp().isEmpty()) {
                return Check.ELASTIC_IP.info("no public IPv4 address, so no Elastic IP (see public-address)", null);
            }
            return Check.ELASTIC_IP.info(
                    "not known yet: EC2 is asked after HTCondor has started", "run seed-agent check");
        }
        return switch (fact.kind()) {
            case ELASTIC -> Check.ELASTIC_IP.ok(fact.address() + ": " + fact.detail());
            case EPHEMERAL ->
                Check.ELASTIC_IP.warning(
                        fact.address() + " is " + fact.detail()
                                + ", and annex nodes started before then will not rejoin",
                        fact.fix());
            case UNKNOWN ->
                Check.ELASTIC_IP.info(
                        "whether " + fact.address() + " survives stop/start is " + fact.detail(), fact.fix());
        };
    }

    static CheckResult seedLifecycle(MetadataFacts metadata) {
        if (!metadata.available()) {
            return Check.SEED_LIFECYCLE.notChecked(Checks.noMetadata(metadata), Checks.NO_METADATA_REMEDY);
        }
        String lifeCycle = metadata.instance().lifeCycle();
        if (lifeCycle == null) {
            return Check.SEED_LIFECYCLE.notChecked(
                    "the metadata item instance-life-cycle could not be read",
                    "run seed-agent check again; check the instance metadata service");
        }
        if (metadata.instance().isSpot()) {
            return Check.SEED_LIFECYCLE.warning(
                    "this is a spot instance: AWS may interrupt it at any time, taking"
                            + " the pool's central manager and job queue with it; the seed documentation recommends"
                            + " against an interruptible seed",
                    "run the seed as an on-demand instance (launch one from an image of this instance)");
        }
        return Check.SEED_LIFECYCLE.ok("instance-life-cycle is " + Show.value(lifeCycle) + ", not spot");
    }

    static CheckResult credentials(CheckInput input) {
        MetadataFacts metadata = input.metadata();
        if (metadata.instanceProfile() == MetadataFacts.InstanceProfile.ATTACHED) {
            return Check.CREDENTIALS.ok("an instance profile is attached (iam/info): condor_annex can use its role's"
                    + " temporary credentials");
        }
        String attach = "attach an instance profile whose role allows what condor_annex does (`aws ec2"
                + " associate-iam-instance-profile --instance-id <id> --iam-instance-profile Name=<profile>`), or set"
                + " ANNEX_DEFAULT_ACCESS_KEY_FILE and ANNEX_DEFAULT_SECRET_KEY_FILE";
        CondorConfigView view = Checks.view(input);
        List<Knob> keyFiles = view == null ? List.of() : Checks.annexKeyFiles(view);
        String noProfile = metadata.instanceProfile() == MetadataFacts.InstanceProfile.NONE
                ? "no instance profile is attached"
                : "whether an instance profile is attached is unknown ("
                        + (metadata.available() ? "iam/info could not be read" : Checks.noMetadata(metadata)) + ")";
        if (keyFiles.isEmpty()) {
            if (view == null && metadata.instanceProfile() == MetadataFacts.InstanceProfile.UNKNOWN) {
                return Check.CREDENTIALS.notChecked(noProfile + ", and " + Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY);
            }
            if (metadata.instanceProfile() == MetadataFacts.InstanceProfile.UNKNOWN) {
                return Check.CREDENTIALS.notChecked(
                        noProfile + ", and no annex key files are configured", Checks.NO_METADATA_REMEDY);
            }
            return Check.CREDENTIALS.warning(
                    noProfile + " and no annex key files are configured"
                            + (view == null ? " (" + Checks.NO_CONDOR + ")" : "")
                            + ": condor_annex cannot start annex nodes from this seed",
                    attach);
        }
        List<String> problems = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Knob knob : keyFiles) {
            String path = knob.value().strip();
            FileStat stat = input.files().stat(path);
            if (stat.problem() != null) {
                problems.add(knob.name() + " = " + Show.value(path) + " cannot be examined (" + stat.problem() + ")");
            } else if (!stat.exists()) {
                problems.add(knob.name() + " = " + Show.value(path) + " does not exist");
            } else {
                present.add(Show.value(path));
            }
        }
        if (keyFiles.size() < 2) {
            problems.add("only " + keyFiles.get(0).name() + " is set; condor_annex needs both key files");
        }
        if (!problems.isEmpty()) {
            return Check.CREDENTIALS.warning(noProfile + "; " + String.join("; ", problems), attach);
        }
        return Check.CREDENTIALS.ok(noProfile + "; condor_annex uses the annex key files "
                + String.join(" and ", present) + " (see credential-files)");
    }

    private static final String GUARD_REMEDY =
            "set imds-guard.enabled = true in /etc/seed-agent/seed-agent.conf and run"
                    + " `systemctl enable --now " + ImdsGuard.UNIT
                    + "`; list the accounts that need instance metadata (such as"
                    + " the one that runs condor_annex) in imds-guard.allow-users";

    /**
     * Whether local users can take the instance profile's credentials: the probe's outcome (or, without
     * the privilege to probe, the guard unit's record), weighed by whether a profile is attached.
     */
    static CheckResult imdsGuard(MetadataFacts metadata, MetadataAccess access) {
        MetadataFacts.InstanceProfile profile = metadata.instanceProfile();
        String how = " (found out by: " + access.method() + ")";
        GuardRecord guard = access.guard();
        String applied = guard.appliedAt() == null
                ? null
                : ImdsGuard.UNIT + " applied its rule set at "
                        + guard.appliedAt().truncatedTo(ChronoUnit.SECONDS);
        switch (access.outcome()) {
            case CONNECTED -> {
                String reached =
                        "an unprivileged user connected to the instance metadata service at " + access.target();
                return switch (profile) {
                    case ATTACHED ->
                        Check.IMDS_GUARD.failure(
                                reached + ", so any local user can read the instance"
                                        + " profile's temporary credentials (iam/security-credentials) and act with its role's"
                                        + " permissions" + how,
                                GUARD_REMEDY);
                    case NONE ->
                        Check.IMDS_GUARD.info(
                                reached + "; no instance profile is attached now, but one"
                                        + " attached later would hand its credentials to every local user" + how,
                                GUARD_REMEDY);
                    case UNKNOWN ->
                        Check.IMDS_GUARD.warning(
                                reached + "; if an instance profile is attached (unknown:"
                                        + " iam/info could not be read) any local user can read its credentials" + how,
                                GUARD_REMEDY);
                };
            }
            case REFUSED, TIMED_OUT -> {
                boolean refused = access.outcome() == MetadataAccess.Outcome.REFUSED;
                String attempt = "an unprivileged user's connection to " + access.target() + " was "
                        + (refused
                                ? "rejected at once (" + access.detail() + ", " + access.millis() + " ms)"
                                : "not answered within " + access.millis() + " ms");
                if (!metadata.available()) {
                    return Check.IMDS_GUARD.notChecked(
                            attempt + ", but root could not read instance metadata either" + " (" + metadata.failure()
                                    + "), so that shows no guard" + how,
                            Checks.NO_METADATA_REMEDY);
                }
                String whose = applied != null
                        ? "; " + applied
                        : "; seed-agent's guard has no record of a rule set (" + GuardRecord.path()
                                + "): it was stopped"
                                + " (a stop leaves the root-only rule set in force), or another firewall blocks it";
                if (refused) {
                    return Check.IMDS_GUARD.ok(
                            attempt + " while root reads instance metadata: the guard holds" + whose + how);
                }
                return Check.IMDS_GUARD.info(
                        attempt + " while root reads instance metadata: something drops it, so"
                                + " programs wait for their own time-out rather than failing at once" + whose + how,
                        applied != null ? null : "let " + ImdsGuard.UNIT + " reject it instead: " + GUARD_REMEDY);
            }
            case FAILED -> {
                return Check.IMDS_GUARD.notChecked(
                        "the probe failed: " + access.detail() + how,
                        "make sure /usr/bin/setpriv (util-linux) and /bin/bash are installed, then run seed-agent check"
                                + " again as root");
            }
            default -> {
                String notChecked = "not checked: " + access.method();
                if (guard.inForce()) {
                    return Check.IMDS_GUARD.info(
                            notChecked + "; " + applied + " (" + GuardRecord.path() + "), and " + GuardRecord.WATCH_UNIT
                                    + " sees its table in the kernel",
                            "run seed-agent check as root" + " to test it");
                }
                String unguarded = notChecked + "; and " + unguarded(guard, applied);
                String remedy = guard.appliedAt() == null && guard.table() != GuardRecord.Table.ABSENT
                        ? GUARD_REMEDY
                        : "journalctl -u " + GuardRecord.WATCH_UNIT + " says what happened; systemctl restart "
                                + ImdsGuard.UNIT + " loads the rule set again and starts its watch";
                return switch (profile) {
                    case ATTACHED ->
                        Check.IMDS_GUARD.warning(
                                unguarded + ": unless another firewall blocks it, any"
                                        + " local user can read the instance profile's credentials",
                                remedy);
                    case NONE -> Check.IMDS_GUARD.info(unguarded + "; no instance profile is attached", remedy);
                    case UNKNOWN ->
                        Check.IMDS_GUARD.warning(
                                unguarded + "; whether an instance profile is attached is" + " unknown", remedy);
                };
            }
        }
    }

    /** Why the guard's record is no proof: never applied, its table gone, or nothing watching it. */
    private static String unguarded(GuardRecord guard, String applied) {
        if (guard.table() == GuardRecord.Table.ABSENT) {
            return "the guard's table is gone from the kernel: " + GuardRecord.WATCH_UNIT + " saw it removed (a"
                    + " flush of the rule set?) and could not load it again (" + GuardRecord.tablePath() + ")";
        }
        if (applied == null) {
            return ImdsGuard.UNIT + " has not applied its rule set (no " + GuardRecord.path() + ": never started, off"
                    + " by imds-guard.enabled = false, or stopped, which leaves the root-only rule set in force)";
        }
        return applied + ", but nothing confirms its table is still in the kernel: " + GuardRecord.WATCH_UNIT
                + " is not running (no " + GuardRecord.tablePath() + "), so a flush of the rule set (nft flush"
                + " ruleset, a reload of nftables or firewalld) would remove the guard unseen";
    }

    static CheckResult credentialFiles(FileFacts files) {
        String unsearchable = files.unsearchable().isEmpty()
                ? ""
                : "; could not look at "
                        + files.unsearchable().stream()
                                .map(Show::value)
                                .collect(java.util.stream.Collectors.joining(", "));
        if (!files.homesSurveyed()) {
            String daemon = "home directories not searched by the daemon (it does not read users' files as root: a"
                    + " link or a FIFO there could mislead or block it); `seed-agent check` as root searches them";
            if (files.credentialFiles().isEmpty()) {
                return Check.CREDENTIAL_FILES.info("no annex key files; " + daemon, "run `seed-agent check` as root");
            }
            return Check.CREDENTIAL_FILES.warning(
                    "AWS credentials on this instance will be baked into any image made"
                            + " from it: "
                            + String.join(
                                    ", ",
                                    files.credentialFiles().stream()
                                            .map(f -> Show.value(f.path()) + " (" + f.holds() + ")")
                                            .toList())
                            + "; " + daemon,
                    "prefer an instance profile and delete these files; at the least, delete them before creating an"
                            + " image of this instance");
        }
        if (files.credentialFiles().isEmpty()) {
            String searched = "no AWS credential files found (searched ~/.aws of " + files.homesSearched()
                    + " home director" + (files.homesSearched() == 1 ? "y" : "ies") + " and the annex key files)";
            if (!unsearchable.isEmpty()) {
                return Check.CREDENTIAL_FILES.notChecked(searched + unsearchable, "run seed-agent check as root");
            }
            return Check.CREDENTIAL_FILES.ok(searched);
        }
        List<String> found = new ArrayList<>();
        for (FileFacts.CredentialFile file : files.credentialFiles()) {
            found.add(Show.value(file.path()) + " (" + file.holds() + ")");
        }
        return Check.CREDENTIAL_FILES.warning(
                "AWS credentials on this instance will be baked into any image made" + " from it: "
                        + String.join(", ", found) + unsearchable,
                "prefer an instance profile and delete these files; at the least, delete them before creating an image"
                        + " of this instance");
    }
}
