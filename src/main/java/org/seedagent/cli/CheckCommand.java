package org.seedagent.cli;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.CheckInput;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Checks;
import org.seedagent.checks.FactsGatherer;
import org.seedagent.checks.HopLimit;
import org.seedagent.checks.MetadataFacts;
import org.seedagent.checks.RecoveryFacts;
import org.seedagent.checks.RecoveryGatherer;
import org.seedagent.condor.ApCollectorProbe;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.ImdsGuardSettings;
import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.eip.MetadataOptions;
import org.seedagent.guard.AccountResolver;
import org.seedagent.guard.ImdsV1Probe;
import org.seedagent.guard.MetadataAccessProbe;
import org.seedagent.guard.SubordinateIds;
import org.seedagent.guard.UnprivilegedConnectProbe;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataSource;
import org.seedagent.support.Sleeper;

/**
 * {@code seed-agent check [--format text|json] [--strict] [--long]}: checks that this instance is a working
 * seed (central manager, submit node, reachable, annex security, hygiene) and says how to fix what is
 * not. Exit 0 when no check fails, 1 when one does ({@code --strict}: or warns), 78 on a bad agent
 * configuration, 2 on bad arguments.
 */
public final class CheckCommand implements Command {
    private final CheckEnvironment environment;
    /** Null: the real probe, run with the context's process runner. */
    private final MetadataAccessProbe probe;

    /** Asks the metadata service whether it answers without a token (IMDSv1); replaced in tests. */
    private final java.util.function.Function<java.net.URI, ImdsV1Probe.Result> v1Probe;

    public CheckCommand() {
        this(CheckEnvironment.system(), null, endpoint -> ImdsV1Probe.probe(endpoint, V1_TIMEOUT));
    }

    CheckCommand(CheckEnvironment environment, MetadataAccessProbe probe) {
        this(environment, probe, endpoint -> ImdsV1Probe.Result.notChecked("not asked"));
    }

    CheckCommand(
            CheckEnvironment environment,
            MetadataAccessProbe probe,
            java.util.function.Function<java.net.URI, ImdsV1Probe.Result> v1Probe) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.probe = probe;
        this.v1Probe = Objects.requireNonNull(v1Probe, "v1Probe");
    }

    private static final java.time.Duration V1_TIMEOUT = java.time.Duration.ofSeconds(2);

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "Check HTCondor's settings for a seed: central manager, submit node, annex security, hygiene";
    }

    @Override
    public String usage() {
        return """
                Usage: seed-agent check [--format text|json] [--strict] [--long]

                Checks that this instance works as an HTCondor-in-the-Cloud seed: it runs the central
                manager and a schedd, annex nodes can reach and authenticate to it, local users cannot
                take the instance profile's credentials (as root it tries the metadata endpoint as uid
                65534), and no credentials would be baked into an image of it. Each finding comes with
                what to do about it.

                Options:
                  --format text|json  a report grouped by area (default), or JSON (schema_version 1)
                  --strict            fail on warnings too
                  --long              tell what each check found, each on a line of its own (by default
                                      a terminal shows the names of those that passed, one line per
                                      area, and checks that could not run for one cause share a line)

                Exit status: 0 no check failed (warnings allowed), 1 a check failed (with --strict: or
                warned), 2 bad arguments, 78 invalid seed-agent configuration.
                """;
    }

    /** Accounts of the guard's allow lists whose id another user can take (see SubordinateIds). */
    private List<String> subordinateConflicts(CliContext context, AgentConfig config) throws InterruptedException {
        ImdsGuardSettings guard = config.imdsGuard();
        if (!guard.enabled()
                || (guard.allowUsers().isEmpty() && guard.allowGroups().isEmpty())) {
            return List.of();
        }
        AccountResolver resolver = new AccountResolver(context.processes());
        try {
            return SubordinateIds.read(environment.root().resolve("etc"))
                    .conflicts(
                            resolver.users(guard.allowUsers()).accounts(),
                            resolver.groups(guard.allowGroups()).accounts());
        } catch (IOException e) {
            return List.of("/etc/subuid or /etc/subgid could not be read (" + e.getMessage() + ")");
        }
    }

    @Override
    public int run(CliContext context, List<String> arguments) throws UsageException, InterruptedException {
        boolean json = false;
        boolean strict = false;
        boolean everyFinding = false;
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equals("--strict")) {
                strict = true;
            } else if (arg.equals("--long")) {
                everyFinding = true;
            } else if (arg.equals("--format") || arg.startsWith("--format=")) {
                String format;
                if (arg.equals("--format")) {
                    if (i + 1 >= arguments.size()) {
                        throw new UsageException("check: --format needs a value: text or json");
                    }
                    format = arguments.get(++i);
                } else {
                    format = arg.substring("--format=".length());
                }
                json = switch (format) {
                    case "json" -> true;
                    case "text" -> false;
                    default ->
                        throw new UsageException("check: unknown format \"" + format + "\"; expected text or json");
                };
            } else if (arg.equals("--help") || arg.equals("-h")) {
                context.out().print(usage());
                return ExitCode.OK;
            } else {
                throw new UsageException("check: unexpected argument \"" + arg + "\"");
            }
        }

        Optional<AgentConfig> loaded = context.validConfig(why -> context.err().println("seed-agent check: " + why));
        if (loaded.isEmpty()) {
            return ExitCode.CONFIG;
        }
        AgentConfig config = loaded.get();

        CondorEvaluation condor = new CondorConfigReader(
                        context.processes(), config.condorConfigVal(), config.condorTimeout())
                .read(Checks.KNOBS);
        CondorConfigView view = condor instanceof CondorEvaluation.Evaluated e ? e.view() : null;
        MetadataSource source = null;
        String setUpFailure = null;
        try {
            source = CliContext.withProgress(
                    context.metadataSources().apply(CliContext.metadataSettings(config)), context);
        } catch (RuntimeException e) {
            setUpFailure = "cannot set up the metadata client: " + e;
        }
        MetadataFacts metadata;
        RecoveryFacts recovery;
        AddressFact elasticIp = null;
        MetadataOptions.Read metadataOptions = null;
        try (MetadataSource open = source) {
            InstanceMetadata instance = open == null ? null : new InstanceMetadata(open);
            metadata = instance == null ? MetadataFacts.unavailable(setUpFailure) : FactsGatherer.metadata(instance);
            // Nothing more is asked of a metadata service that did not answer: each read would wait the deadline again.
            recovery = new RecoveryGatherer(environment, context.processes(), config.condorUnit())
                    .gather(metadata.available() ? instance : null);
            boolean profile = metadata.instanceProfile() == MetadataFacts.InstanceProfile.ATTACHED;
            if (metadata.publicIpv4() != null || profile) {
                // One DescribeAddresses and one DescribeInstances (after two metadata reads for the instance
                // profile's credentials), through one EC2 session.
                try (ElasticIpWatch elasticIps = new ElasticIpWatch(context.clock(), Sleeper.SYSTEM)) {
                    if (metadata.publicIpv4() != null) {
                        elasticIp = elasticIps.assess(
                                config, instance, metadata.publicIpv4().text(), metadata.instance());
                    }
                    if (profile) {
                        metadataOptions = elasticIps.metadataOptions(config, instance, metadata.instance());
                    }
                }
            }
        }
        FactsGatherer gatherer = new FactsGatherer(environment);
        String fragment = config.fragmentPath().toString();
        MetadataAccessProbe accessProbe = probe != null ? probe : new UnprivilegedConnectProbe(context.processes());
        ApCollectorProbe apCollector = new ApCollectorProbe(
                context.processes(),
                config.condorConfigVal().resolveSibling("condor_status"),
                config.condorTimeout(),
                environment.root());
        CheckInput input = new CheckInput(
                condor,
                metadata,
                gatherer.files(view, fragment),
                gatherer.network(view, metadata).withApCollector(apCollector.probe(view)),
                recovery,
                fragment,
                gatherer.metadataAccess(accessProbe, config.metadataEndpoint(), metadata),
                elasticIp);
        // IMDSv1 is asked about only when root could read metadata at all (else each read waits its time-out).
        ImdsV1Probe.Result v1 = metadata.available()
                ? v1Probe.apply(config.metadataEndpoint())
                : ImdsV1Probe.Result.notChecked("the metadata service did not answer");
        List<CheckResult> results = HopLimit.with(
                Checks.withImdsV1(
                        Checks.withSubordinateConflicts(
                                Checks.withConfiguration(
                                        Checks.evaluate(input), input, config.imdsGuard(), config.elasticIp()),
                                subordinateConflicts(context, config)),
                        v1,
                        metadata.instance().instanceId()),
                metadataOptions,
                config.imdsGuard(),
                input.metadataAccess().guard().inForce(),
                metadata.instance().instanceId());
        CheckReport report = new CheckReport(Checks.withKnownValues(
                results,
                config.source(),
                metadata.instance().instanceId(),
                config.imdsGuard().enabled(),
                config.condorUnit()));

        int width = context.terminalWidth();
        context.out()
                .print(
                        json
                                ? report.json()
                                : report.text(context.colour(), width, everyFinding || width == 0, !everyFinding));
        context.out().flush();
        return report.fails(strict) ? ExitCode.FAILURE : ExitCode.OK;
    }
}
