package org.seedagent.daemon;

import java.util.List;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.CheckInput;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Checks;
import org.seedagent.checks.FactsGatherer;
import org.seedagent.checks.MetadataFacts;
import org.seedagent.checks.NetworkFacts;
import org.seedagent.checks.RecoveryFacts;
import org.seedagent.checks.RecoveryGatherer;
import org.seedagent.condor.ApCollectorProbe;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.eip.AddressFact;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.support.ProcessRunner;

/** The checks of {@code seed-agent check}, run by the daemon on the evaluation it already has. */
final class SettingsChecks implements CheckSuite {
    /** The unit has no capabilities, so it cannot start a process as another user: the guard's record tells. */
    private static final String NOT_PROBED = "the daemon does not switch users (seed-agent.service has no"
            + " capabilities); seed-agent check as root tests it";

    private final CheckEnvironment environment;
    private final ProcessRunner processes;

    SettingsChecks(CheckEnvironment environment, ProcessRunner processes) {
        this.environment = environment;
        this.processes = processes;
    }

    @Override
    public List<CheckResult> run(AgentConfig config, CondorEvaluation condor, InstanceMetadata metadata)
            throws InterruptedException {
        return run(config, condor, metadata, null);
    }

    @Override
    public List<CheckResult> run(
            AgentConfig config, CondorEvaluation condor, InstanceMetadata metadata, AddressFact elasticIp)
            throws InterruptedException {
        return run(config, condor, metadata, elasticIp, null);
    }

    @Override
    public List<CheckResult> run(
            AgentConfig config,
            CondorEvaluation condor,
            InstanceMetadata metadata,
            AddressFact elasticIp,
            List<ScheduledEvent> eventsRead)
            throws InterruptedException {
        CondorConfigView view = condor instanceof CondorEvaluation.Evaluated evaluated ? evaluated.view() : null;
        MetadataFacts facts = FactsGatherer.metadata(metadata);
        FactsGatherer gatherer = new FactsGatherer(environment);
        String fragment = config.fragmentPath().toString();
        RecoveryFacts recovery = new RecoveryGatherer(environment, processes, config.condorUnit())
                .gather(facts.available() ? metadata : null, eventsRead);
        NetworkFacts network = gatherer.network(view, facts)
                .withApCollector(new ApCollectorProbe(
                                processes,
                                config.condorConfigVal().resolveSibling("condor_status"),
                                config.condorTimeout(),
                                environment.root())
                        .probe(view));
        CheckInput input = new CheckInput(
                condor,
                facts,
                gatherer.files(view, fragment, false),
                network,
                recovery,
                fragment,
                gatherer.metadataAccessUnprobed(NOT_PROBED),
                elasticIp);
        return Checks.withKnownValues(
                Checks.withConfiguration(Checks.evaluate(input), input, config.imdsGuard(), config.elasticIp()),
                config.source(),
                facts.instance().instanceId(),
                config.imdsGuard().enabled(),
                config.condorUnit());
    }
}
