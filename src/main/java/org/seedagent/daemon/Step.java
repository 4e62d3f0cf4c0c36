package org.seedagent.daemon;

import java.time.Instant;
import org.seedagent.config.AgentConfig;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.state.DaemonState;

/**
 * What a {@link Watcher} is given at a step: the time, the agent's configuration, the metadata service and what it
 * said of the instance, the state it records into, HTCondor's configuration as this step's pre-flight read it, and
 * the summary line it may add to.
 */
record Step(
        Instant now,
        AgentConfig config,
        InstanceMetadata metadata,
        InstanceFacts facts,
        DaemonState state,
        Preflights preflights,
        Summary summary) {}
