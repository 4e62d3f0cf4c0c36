package org.seedagent.checks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.condor.ApCollectorAnswer;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.Knob;
import org.seedagent.condor.KnobLocation;
import org.seedagent.guard.MetadataAccess;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;

/**
 * A hand-built {@link CheckInput} for the pure checks: starts as a healthy seed (every check ok, the job
 * lease info) and is changed one fact at a time.
 */
final class Seed {
    static final String FRAGMENT = "/etc/condor/config.d/50-seed-agent.conf";
    static final String CONFIG = "/etc/condor/condor_config";
    static final String PASSWORD_FILE = "/etc/condor/condor_pool_password";
    static final Ipv4Address PUBLIC = Ipv4Address.parse("203.0.113.10");
    static final Ipv4Address LOCAL = Ipv4Address.parse("10.0.0.5");
    static final InstanceFacts ON_DEMAND =
            new InstanceFacts("i-0123456789abcdef0", "t3.small", "us-east-1", "on-demand", LOCAL);

    private final Map<String, Knob> knobs = new LinkedHashMap<>();
    private CondorEvaluation.Failed condorFailure;
    private MetadataFacts metadata = MetadataFacts.of(PUBLIC, ON_DEMAND, MetadataFacts.InstanceProfile.ATTACHED);
    private final Map<String, FileStat> files = new LinkedHashMap<>();
    private final List<FileFacts.CredentialFile> credentialFiles = new ArrayList<>();
    private NetworkFacts.SelfReachability reach =
            new NetworkFacts.SelfReachability(NetworkFacts.Outcome.REACHED, PUBLIC.text(), 9618, 2, null);
    private final Map<String, NetworkFacts.Resolution> resolutions = new LinkedHashMap<>();
    private final List<String> unsearchable = new ArrayList<>();
    /** As on a guarded seed: nobody's connection to the metadata service is refused. */
    private MetadataAccess metadataAccess = new MetadataAccess(
            MetadataAccess.Outcome.REFUSED,
            "169.254.169.254:80",
            "a child process as uid 65534 opened a TCP connection",
            3,
            "Connection refused",
            org.seedagent.guard.GuardRecord.confirmed(java.time.Instant.parse("2025-01-01T10:00:00Z")));

    private int line = 1;
    /** What EC2 said of the public address: an Elastic IP. */
    private org.seedagent.eip.AddressFact elasticIp = org.seedagent.eip.AddressFact.elastic(
            java.time.Instant.parse("2025-01-01T00:00:00Z"), PUBLIC.text(), "eipalloc-0a1b2c3d4e5f60718");

    Seed elasticIp(org.seedagent.eip.AddressFact fact) {
        this.elasticIp = fact;
        return this;
    }

    static Seed healthy() {
        return new Seed()
                .knob("DAEMON_LIST", "MASTER COLLECTOR SCHEDD STARTD NEGOTIATOR")
                .knob("COLLECTOR_HOST", "203.0.113.10:9618", at(CONFIG, 17), "$(TCP_FORWARDING_HOST):9618")
                .knob("TCP_FORWARDING_HOST", "203.0.113.10", at(FRAGMENT, 7), "203.0.113.10")
                .knob("SEC_DAEMON_AUTHENTICATION", "REQUIRED")
                .knob("SEC_DAEMON_AUTHENTICATION_METHODS", "PASSWORD")
                .knob("ALLOW_DAEMON", "condor_pool@*")
                .knob("ALLOW_WRITE", " 203.0.113.10", at(CONFIG, 18), " $(TCP_FORWARDING_HOST)")
                .knob("SEC_PASSWORD_FILE", PASSWORD_FILE)
                .knob("JOB_DEFAULT_LEASE_DURATION", "2400", KnobLocation.DEFAULT, "2400")
                .knob("SHARED_PORT_PORT", "9618", KnobLocation.DEFAULT, "$(COLLECTOR_PORT)")
                .knob("USE_SHARED_PORT", "true", KnobLocation.DEFAULT, "true")
                .knob("CONDOR_VERSION", "24.0.23", KnobLocation.DEFAULT, "24.0.23")
                .knob("HPC_ANNEX_ENABLED", "false", KnobLocation.DEFAULT, "false")
                .knob("TRUST_DOMAIN", "vm", KnobLocation.DEFAULT, "$(UID_DOMAIN)")
                .file(FileStat.of(FRAGMENT, true, 0, "root", 0644))
                .file(FileStat.missing(Checks.legacyFile(FRAGMENT)))
                .file(FileStat.of(PASSWORD_FILE, true, 0, "root", 0600));
    }

    static final String AP_KEY = "/etc/condor/passwords.d/AP";
    static final String ANNEX_COLLECTOR = "203.0.113.10:9618?sock=ap_collector";

    /**
     * The seed of today, as the real condor_config_val evaluates `use ROLE: CentralManager`, `use ROLE: Submit`,
     * `use SECURITY: recommended`, `use FEATURE: HPC_ANNEX` with CONDOR_HOST the private address (HTCondor
     * 25.0.13), running, its AP collector holding the schedd's ad.
     */
    static Seed hpcAnnex() {
        return healthy().asHpcAnnex();
    }

    /** This seed turned into the one of {@link #hpcAnnex()}. */
    Seed asHpcAnnex() {
        return knob("CONDOR_VERSION", "25.0.13", KnobLocation.DEFAULT, "25.0.13")
                .knob("HPC_ANNEX_ENABLED", "true", new KnobLocation(CONFIG, 8, "use FEATURE:HPC_ANNEX+1"), "true")
                .knob(
                        "DAEMON_LIST",
                        "MASTER COLLECTOR NEGOTIATOR SCHEDD AP_COLLECTOR",
                        new KnobLocation(CONFIG, 8, "use FEATURE:HPC_ANNEX+19"),
                        "$(DAEMON_LIST) AP_COLLECTOR")
                .knob("COLLECTOR_HOST", "10.0.0.5", KnobLocation.DEFAULT, "$(CONDOR_HOST)")
                .knob(
                        "ANNEX_COLLECTOR",
                        ANNEX_COLLECTOR,
                        new KnobLocation(CONFIG, 8, "use FEATURE:HPC_ANNEX+24"),
                        "$(TCP_FORWARDING_HOST:$(FULL_HOSTNAME)):$(SHARED_PORT_PORT)?sock=ap_collector")
                .knob(
                        "ANNEX_TOKEN_KEY_NAME",
                        "AP",
                        new KnobLocation(CONFIG, 8, "use FEATURE:HPC_ANNEX+36"),
                        "$(SEC_TOKEN_AP_SIGNING_KEY_NAME)")
                .knob("SEC_PASSWORD_DIRECTORY", "/etc/condor/passwords.d", KnobLocation.DEFAULT, "$(ETC)/passwords.d")
                .knob("TRUST_DOMAIN", "ip-10-0-0-5.ec2.internal", KnobLocation.DEFAULT, "$(UID_DOMAIN)")
                .file(FileStat.of(AP_KEY, true, 0, "root", 0600))
                .apCollector(new ApCollectorAnswer(
                        ApCollectorAnswer.Outcome.ANSWERED,
                        ANNEX_COLLECTOR,
                        List.of("ip-10-0-0-5.ec2.internal"),
                        null));
    }

    private ApCollectorAnswer apCollector = ApCollectorAnswer.NOT_APPLICABLE;

    Seed apCollector(ApCollectorAnswer answer) {
        this.apCollector = answer;
        return this;
    }

    static KnobLocation at(String file, int line) {
        return new KnobLocation(file, line, null);
    }

    /** A knob set in {@code /etc/condor/condor_config} at the next line, raw = value. */
    Seed knob(String name, String value) {
        return knob(name, value, at(CONFIG, 100 + line++), value);
    }

    Seed knob(String name, String value, KnobLocation location, String raw) {
        knobs.put(name, new Knob(name, value, location, raw, null));
        return this;
    }

    Seed without(String name) {
        knobs.remove(name);
        return this;
    }

    Seed condorFails(CondorEvaluation.Kind kind, String reason, String file, int line) {
        condorFailure = new CondorEvaluation.Failed(kind, reason, file, line);
        return this;
    }

    Seed metadata(MetadataFacts metadata) {
        this.metadata = metadata;
        return this;
    }

    Seed file(FileStat stat) {
        files.put(stat.path(), stat);
        return this;
    }

    Seed credentialFile(String path, String holds) {
        credentialFiles.add(new FileFacts.CredentialFile(path, holds));
        return this;
    }

    Seed unsearchable(String what) {
        unsearchable.add(what);
        return this;
    }

    Seed reach(NetworkFacts.Outcome outcome, String detail) {
        reach = new NetworkFacts.SelfReachability(outcome, PUBLIC.text(), 9618, 3000, detail);
        return this;
    }

    Seed resolves(String name, String... addresses) {
        resolutions.put(name, new NetworkFacts.Resolution(List.of(addresses), null));
        return this;
    }

    Seed doesNotResolve(String name, String error) {
        resolutions.put(name, new NetworkFacts.Resolution(List.of(), error));
        return this;
    }

    CondorConfigView view() {
        return CondorConfigView.of("vm", knobs.values());
    }

    /** A seed that comes back by itself: both units enabled, HTCondor's own Restart=, an EBS root, no events. */
    static final RecoveryFacts RECOVERS = new RecoveryFacts(
            java.util.Map.of("condor.service", "enabled", "seed-agent.service", "enabled"),
            "on-failure",
            "nvme0n1",
            RecoveryFacts.EBS_MODEL,
            List.of(),
            List.of(),
            java.util.Map.of());

    RecoveryFacts recovery = RECOVERS;

    Seed recovery(RecoveryFacts facts) {
        this.recovery = facts;
        return this;
    }

    /** {@link #RECOVERS} with some facts changed. */
    static RecoveryFacts recovers(
            java.util.Map<String, String> units,
            String restart,
            String model,
            List<String> instanceStore,
            List<org.seedagent.restart.ScheduledEvent> events,
            java.util.Map<String, String> problems) {
        return new RecoveryFacts(units, restart, "nvme0n1", model, instanceStore, events, problems);
    }

    Seed metadataAccess(MetadataAccess access) {
        this.metadataAccess = access;
        return this;
    }

    CheckInput input() {
        CondorEvaluation condor = condorFailure != null ? condorFailure : new CondorEvaluation.Evaluated(view());
        return new CheckInput(
                condor,
                metadata,
                new FileFacts(files, credentialFiles, 3, unsearchable),
                new NetworkFacts(reach, resolutions, apCollector),
                recovery,
                FRAGMENT,
                metadataAccess,
                elasticIp);
    }

    List<CheckResult> results() {
        return Checks.evaluate(input());
    }

    CheckResult result(String id) {
        return results().stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no result " + id));
    }
}
