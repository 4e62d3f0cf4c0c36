package org.seedagent.daemon;

import java.util.List;
import java.util.Map;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.eip.AddressFact;
import org.seedagent.metadata.InstanceMetadata;

/** Runs the settings checks and returns their results in their JSON form, for the state file. */
@FunctionalInterface
interface CheckSuite {
    List<Map<String, Object>> run(AgentConfig config, CondorEvaluation condor, InstanceMetadata metadata)
            throws InterruptedException;

    /** With what EC2 said of the address (null: not asked); suites that do not look at it ignore it. */
    default List<Map<String, Object>> run(AgentConfig config, CondorEvaluation condor, InstanceMetadata metadata,
            AddressFact elasticIp) throws InterruptedException {
        return run(config, condor, metadata);
    }
}
