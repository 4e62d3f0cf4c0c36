package org.seedagent.cli;

import org.seedagent.config.AgentConfig;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.Sleeper;

/** The boot job's Elastic IP claim: only reached when {@code eip.*} names one. */
final class ElasticIpBoot {
    private ElasticIpBoot() {}

    /** Claims it; a failure is logged with its fix and the boot job goes on with the address the instance has. */
    static ClaimOutcome claim(CliContext context, AgentConfig config, InstanceMetadata metadata)
            throws MetadataException, InterruptedException {
        try (ElasticIpWatch elasticIps = new ElasticIpWatch(context.clock(), Sleeper.SYSTEM)) {
            return elasticIps.claimAtBoot(config, metadata);
        }
    }
}
