package org.seedagent.daemon;

import java.util.List;
import org.seedagent.checks.CheckResult;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.eip.AddressFact;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.restart.ScheduledEvent;

/** Runs the settings checks and returns their results for the state file. */
@FunctionalInterface
interface CheckSuite {
    List<CheckResult> run(AgentConfig config, CondorEvaluation condor, InstanceMetadata metadata)
            throws InterruptedException;

    /** With what EC2 said of the address (null: not asked); suites that do not look at it ignore it. */
    default List<CheckResult> run(
            AgentConfig config, CondorEvaluation condor, InstanceMetadata metadata, AddressFact elasticIp)
            throws InterruptedException {
        return run(config, condor, metadata);
    }

    /**
     * With the scheduled events the daemon's own watch has just read (null: none fresh, the suite reads them),
     * so that one boot or address change does not read them twice.
     */
    default List<CheckResult> run(
            AgentConfig config,
            CondorEvaluation condor,
            InstanceMetadata metadata,
            AddressFact elasticIp,
            List<ScheduledEvent> eventsRead)
            throws InterruptedException {
        return run(config, condor, metadata, elasticIp);
    }
}
