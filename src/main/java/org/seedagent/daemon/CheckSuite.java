package org.seedagent.daemon;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seedagent.config.AgentConfig;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;

/** Runs the settings checks and returns their results in their JSON form, for the state file. */
@FunctionalInterface
interface CheckSuite {
    List<Map<String, Object>> run(AgentConfig config, InstanceFacts facts, Optional<Ipv4Address> publicIpv4)
            throws InterruptedException;
}
