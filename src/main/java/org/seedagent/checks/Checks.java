package org.seedagent.checks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.CondorValues;
import org.seedagent.condor.Knob;
import org.seedagent.metadata.Ipv4Address;

/**
 * The seed's HTCondor settings checks: a pure function from gathered facts ({@link CheckInput}) to one
 * result per {@link Check}, always all of them, in {@link Check} order. All I/O happens before, in
 * {@link FactsGatherer}, so that the daemon can run the same checks after every change and store the
 * results.
 */
public final class Checks {
    /** Every knob the checks read, fetched with one {@code condor_config_val -dump -v -expand}. */
    public static final List<String> KNOBS = List.of(
            "DAEMON_LIST",
            "COLLECTOR_HOST",
            "CONDOR_HOST",
            "TCP_FORWARDING_HOST",
            "USE_SHARED_PORT",
            "SHARED_PORT_PORT",
            "COLLECTOR_PORT",
            "SEC_PASSWORD_FILE",
            "SEC_DEFAULT_AUTHENTICATION",
            "SEC_DAEMON_AUTHENTICATION",
            "SEC_WRITE_AUTHENTICATION",
            "SEC_DEFAULT_AUTHENTICATION_METHODS",
            "SEC_DAEMON_AUTHENTICATION_METHODS",
            "ALLOW_DAEMON",
            "ALLOW_ADVERTISE_STARTD",
            "ALLOW_WRITE",
            "ANNEX_DEFAULT_ACCESS_KEY_FILE",
            "ANNEX_DEFAULT_SECRET_KEY_FILE",
            "JOB_DEFAULT_LEASE_DURATION",
            // The release and the htcondor annex seed (use feature:HPC_ANNEX).
            "CONDOR_VERSION",
            "HPC_ANNEX_ENABLED",
            "ANNEX_COLLECTOR",
            "TRUST_DOMAIN",
            "SEC_PASSWORD_DIRECTORY",
            "ANNEX_TOKEN_KEY_NAME",
            "SEC_TOKEN_AP_SIGNING_KEY_NAME");

    /** The file the original boot script appended to on every boot, next to our fragment. */
    static final String LEGACY_FILE_NAME = "49ec2-instance.config";

    static final int SHARED_PORT_DEFAULT = 9618;

    private Checks() {}

    /** Runs every check on {@code input}. Pure: no I/O, same input, same results. */
    public static List<CheckResult> evaluate(CheckInput input) {
        List<CheckResult> results = new ArrayList<>();
        results.addAll(HtcondorChecks.run(input));
        results.addAll(NetworkChecks.run(input));
        results.addAll(SecurityChecks.run(input));
        results.addAll(InstanceChecks.run(input));
        results.addAll(RecoveryChecks.run(input));
        return List.copyOf(results);
    }

    /** The port annex nodes (and the seed's own daemons) connect to: the shared port, else the collector's. */
    /**
     * The elastic-ip check alone, for the daemon, which asks EC2 after READY=1 (a slow EC2 must not hold
     * HTCondor's start) and then updates this one result.
     *
     * @param publicIpv4 the public address in force, or null when there is none
     */
    public static CheckResult elasticIp(
            org.seedagent.metadata.Ipv4Address publicIpv4, org.seedagent.eip.AddressFact fact) {
        MetadataFacts metadata = MetadataFacts.of(
                publicIpv4, org.seedagent.metadata.InstanceFacts.UNKNOWN, MetadataFacts.InstanceProfile.UNKNOWN);
        return InstanceChecks.elasticIp(metadata, fact);
    }

    /** The configuration file the remedies name when the agent runs with its default one. */
    static final String DEFAULT_CONFIG_FILE = "/etc/seed-agent/seed-agent.conf";

    /**
     * {@code results} with remedies that can be pasted (issue 22): the configuration file the agent really read
     * ({@code --config}) instead of the default one, and the instance's id instead of {@code <id>} when known; and
     * the guard's remedy without "set imds-guard.enabled = true" when it is already on.
     *
     * @param configFile the file the configuration came from, or null (built-in defaults)
     * @param instanceId this instance's id, or null when the metadata service did not say
     */
    public static List<CheckResult> withKnownValues(
            List<CheckResult> results, java.nio.file.Path configFile, String instanceId, boolean guardEnabled) {
        return withKnownValues(results, configFile, instanceId, guardEnabled, RecoveryChecks.CONDOR_UNIT);
    }

    /** As above, with HTCondor's unit as {@code condor.unit} names it in the remedies' systemctl commands. */
    public static List<CheckResult> withKnownValues(
            List<CheckResult> results,
            java.nio.file.Path configFile,
            String instanceId,
            boolean guardEnabled,
            String condorUnit) {
        String file = configFile == null
                ? DEFAULT_CONFIG_FILE
                : configFile.toAbsolutePath().toString();
        List<CheckResult> out = new ArrayList<>();
        for (CheckResult r : results) {
            String remedy = r.remedy();
            if (remedy != null) {
                if (guardEnabled && r.id().equals(Check.IMDS_GUARD.id())) {
                    remedy = remedy.replace(
                            "set imds-guard.enabled = true in " + DEFAULT_CONFIG_FILE + " and run ", "run ");
                }
                remedy = remedy.replace(DEFAULT_CONFIG_FILE, file);
                if (!RecoveryChecks.CONDOR_UNIT.equals(condorUnit)) {
                    remedy = remedy.replaceAll(
                            "systemctl (reload|restart) condor(\\.service)?\\b(?![-.@\\w])",
                            "systemctl $1 " + java.util.regex.Matcher.quoteReplacement(condorUnit));
                }
                if (instanceId != null) {
                    remedy = remedy.replace("--instance-id <id>", "--instance-id " + instanceId)
                            .replace("--instance-ids <id>", "--instance-ids " + instanceId)
                            .replace("--instance-id <instance-id>", "--instance-id " + instanceId);
                }
            }
            String finding = r.finding();
            out.add(
                    remedy == null || remedy.equals(r.remedy())
                            ? r
                            : new CheckResult(r.id(), r.area(), r.severity(), finding, remedy));
        }
        return List.copyOf(out);
    }

    /**
     * {@code results} with what seed-agent's own configuration adds: who can use the instance profile's role when
     * the IMDS guard is on ({@link #withRoleUsers}) and the Elastic IP's reassociation ({@link #withReassociation}).
     */
    public static List<CheckResult> withConfiguration(
            List<CheckResult> results,
            CheckInput input,
            org.seedagent.config.ImdsGuardSettings guard,
            org.seedagent.config.ElasticIpSettings eip) {
        return withReassociation(withRoleUsers(results, input, guard), eip);
    }

    /**
     * {@code results} with the credentials result saying who can use the instance profile's role: with the IMDS
     * guard on, only root and the allowed accounts reach its credentials, so everyone else's condor_annex or
     * {@code htcondor annex} with the instance's credentials fails, and each allowed account gets the whole role.
     * On an {@code htcondor annex} seed with nobody but root allowed that is a warning: {@code htcondor annex
     * create} runs as the submitting user, and root may not submit jobs.
     */
    public static List<CheckResult> withRoleUsers(
            List<CheckResult> results, CheckInput input, org.seedagent.config.ImdsGuardSettings guard) {
        if (guard == null
                || !guard.enabled()
                || input.metadata().instanceProfile() != MetadataFacts.InstanceProfile.ATTACHED) {
            return results;
        }
        List<String> accounts = new ArrayList<>(List.of("root"));
        guard.allowUsers().forEach(u -> accounts.add("user " + u));
        guard.allowGroups().forEach(g -> accounts.add("group " + g));
        boolean htcondorAnnex = view(input) != null && AnnexTool.of(view(input)) == AnnexTool.HTCONDOR_ANNEX;
        String tool = htcondorAnnex ? "`htcondor annex`" : "condor_annex";
        String finding = "an instance profile is attached (iam/info), and the IMDS guard lets only "
                + String.join(", ", accounts) + " reach its credentials: anyone else's " + tool + " with the instance's"
                + " credentials fails, and every process of an allowed account gets the whole role (ec2:AssociateAddress"
                + " on the pool's Elastic IP included)";
        String choices = "list each account that makes annexes in imds-guard.allow-users (then `systemctl reload"
                + " seed-agent-imds-guard`); or give those users annex key files of their own (ANNEX_DEFAULT_ACCESS_KEY_FILE,"
                + " ANNEX_DEFAULT_SECRET_KEY_FILE) for a narrower IAM user; or run the annex tool under a separate,"
                + " narrower role";
        boolean nobodyCan = htcondorAnnex
                && guard.allowUsers().isEmpty()
                && guard.allowGroups().isEmpty();
        return amend(
                results,
                Check.CREDENTIALS,
                r -> r.severity() != Severity.OK
                        ? r
                        : nobodyCan
                                ? Check.CREDENTIALS.warning(
                                        finding + "; `htcondor annex create` runs as the submitting user"
                                                + " and root may not submit jobs, so no EC2 annex can be made with the instance's credentials",
                                        choices)
                                : Check.CREDENTIALS.info(finding, choices));
    }

    /** {@code results} with each result of {@code check} replaced by {@code amend} of it, the others as they are. */
    static List<CheckResult> amend(
            List<CheckResult> results, Check check, java.util.function.UnaryOperator<CheckResult> amend) {
        return results.stream()
                .map(r -> r.id().equals(check.id()) ? amend.apply(r) : r)
                .toList();
    }

    /** The command that sets this instance's metadata {@code options} (the instance id when known). */
    static String metadataOptionsCommand(String instanceId, String options) {
        return "aws ec2 modify-instance-metadata-options --instance-id "
                + (instanceId == null ? "<instance-id>" : instanceId) + " " + options;
    }

    /**
     * {@code results} with the imds-guard result failing when accounts of the guard's allow lists have ids that lie
     * in another user's subordinate range ({@code conflicts}, from {@link org.seedagent.guard.SubordinateIds}): that
     * user could take the id in a user namespace and reach the role. The guard refuses them at apply.
     */
    public static List<CheckResult> withSubordinateConflicts(List<CheckResult> results, List<String> conflicts) {
        if (conflicts.isEmpty()) {
            return results;
        }
        return amend(
                results,
                Check.IMDS_GUARD,
                r -> Check.IMDS_GUARD.failure(
                        r.finding() + "; the allow lists name"
                                + " ids other users can take in a user namespace (the guard refuses them at apply): "
                                + String.join("; ", conflicts),
                        "give those accounts ids outside every range of /etc/subuid and"
                                + " /etc/subgid, or take them off imds-guard.allow-users / imds-guard.allow-groups"));
    }

    /**
     * {@code results} with the imds-guard result saying whether IMDSv1 answers (a GET without a token): its requests
     * have no hop limit, so containers reach the credentials whatever the PUT's hop limit; then at least a warning,
     * with the fix. The hop limit itself is not readable from inside the instance.
     */
    public static List<CheckResult> withImdsV1(
            List<CheckResult> results, org.seedagent.guard.ImdsV1Probe.Result v1, String instanceId) {
        if (v1 == null || v1.outcome() == org.seedagent.guard.ImdsV1Probe.Outcome.NOT_CHECKED) {
            return results;
        }
        boolean answers = v1.outcome() == org.seedagent.guard.ImdsV1Probe.Outcome.ANSWERS;
        String fix = "`" + metadataOptionsCommand(instanceId, "--http-tokens required --http-put-response-hop-limit 1")
                + "`";
        return amend(
                results,
                Check.IMDS_GUARD,
                r -> answers
                        ? r.amended(
                                Severity.WARNING,
                                "; IMDSv1 answers a GET without a token (http-tokens optional): such"
                                        + " requests have no hop limit, so a container can reach the credentials through the host",
                                fix)
                        : r.amended(
                                null,
                                "; tokens are required (IMDSv2 only; keep the PUT's hop limit at 1 so that containers"
                                        + " get no token)",
                                null));
    }

    /**
     * {@code results} with the elastic-ip result warning, when seed-agent is configured to take its Elastic IP over
     * from any instance that holds it ({@code eip.allow-reassociation = true}), that every instance launched from an
     * image of this seed would take the address from the live seed at its first boot.
     */
    public static List<CheckResult> withReassociation(
            List<CheckResult> results, org.seedagent.config.ElasticIpSettings eip) {
        if (eip == null || !eip.claims() || !eip.allowReassociation()) {
            return results;
        }
        String clause = "eip.allow-reassociation = true: an instance launched from an image of this seed takes "
                + eip.target() + " from this seed at its first boot";
        String fix = "set eip.allow-reassociation = false unless this instance is meant to replace a seed (and in"
                + " any image made of it: seed-agent prepare-image says so too)";
        return amend(results, Check.ELASTIC_IP, r -> r.amended(Severity.WARNING, "; " + clause, fix));
    }

    public static int selfReachabilityPort(CondorConfigView view) {
        boolean shared = CondorValues.bool(view.value("USE_SHARED_PORT").orElse(null), true);
        String knob = shared ? "SHARED_PORT_PORT" : "COLLECTOR_PORT";
        int port = CondorValues.integer(view.value(knob).orElse(null)).orElse(SHARED_PORT_DEFAULT);
        return port > 0 && port < 65536 ? port : SHARED_PORT_DEFAULT;
    }

    /** Host names in COLLECTOR_HOST and TCP_FORWARDING_HOST that need resolving (not IPv4 literals). */
    public static Set<String> namesToResolve(CondorConfigView view) {
        Set<String> names = new LinkedHashSet<>();
        view.value("COLLECTOR_HOST").ifPresent(v -> {
            for (String entry : CondorValues.list(v)) {
                String host = Addresses.hostOf(entry);
                if (Addresses.isName(host)) {
                    names.add(host);
                }
            }
        });
        view.value("TCP_FORWARDING_HOST")
                .map(String::strip)
                .filter(Addresses::isName)
                .ifPresent(names::add);
        return names;
    }

    /**
     * Files whose {@code stat} the checks need: the password file, the annex key files, the AP signing key,
     * our fragment, the legacy file.
     */
    public static List<String> filesToExamine(CondorConfigView view, String fragmentPath) {
        Set<String> paths = new LinkedHashSet<>();
        paths.add(fragmentPath);
        paths.add(legacyFile(fragmentPath));
        if (view != null) {
            for (String knob :
                    List.of("SEC_PASSWORD_FILE", "ANNEX_DEFAULT_ACCESS_KEY_FILE", "ANNEX_DEFAULT_SECRET_KEY_FILE")) {
                view.value(knob)
                        .map(String::strip)
                        .filter(p -> p.startsWith("/"))
                        .ifPresent(paths::add);
            }
            String signingKey = AnnexChecks.signingKeyPath(view);
            if (signingKey != null) {
                paths.add(signingKey);
            }
        }
        return List.copyOf(paths);
    }

    /** The annex key files configured in HTCondor, by knob name (only defined, absolute ones). */
    static List<Knob> annexKeyFiles(CondorConfigView view) {
        List<Knob> knobs = new ArrayList<>();
        view.defined("ANNEX_DEFAULT_ACCESS_KEY_FILE").ifPresent(knobs::add);
        view.defined("ANNEX_DEFAULT_SECRET_KEY_FILE").ifPresent(knobs::add);
        return knobs;
    }

    /** The old boot script's file next to the fragment at {@code fragmentPath}. */
    public static String legacyFile(String fragmentPath) {
        int slash = fragmentPath.lastIndexOf('/');
        return fragmentPath.substring(0, slash + 1) + LEGACY_FILE_NAME;
    }

    /** The view when HTCondor's configuration was evaluated, else null. */
    static CondorConfigView view(CheckInput input) {
        return input.condor() instanceof CondorEvaluation.Evaluated e ? e.view() : null;
    }

    static final String NO_CONDOR = "HTCondor's configuration could not be evaluated (see condor-config)";
    static final String NO_CONDOR_REMEDY = "fix what condor-config reports, then run seed-agent check again";
    static final String NO_METADATA_REMEDY = "fix what public-address reports, then run seed-agent check again";

    static String noMetadata(MetadataFacts metadata) {
        return "cannot read instance metadata: " + metadata.failure();
    }

    static boolean isPublicIp(MetadataFacts metadata, Ipv4Address address) {
        return metadata.publicIp().map(address::equals).orElse(false);
    }
}
