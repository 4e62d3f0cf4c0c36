package org.seedagent.checks;

import java.util.Objects;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.eip.AddressFact;
import org.seedagent.guard.MetadataAccess;

/**
 * Everything the checks look at, gathered beforehand: {@link Checks#evaluate} is a pure function of it.
 *
 * @param condor HTCondor's effective configuration, or why it could not be evaluated
 * @param metadata what the instance metadata service said
 * @param files the files that matter (password file, credential files, our fragment)
 * @param network name resolution and the self-reachability probe
 * @param recovery whether the seed comes back by itself: units, root volume, instance store, scheduled events
 * @param fragmentPath seed-agent's fragment, as HTCondor names it (e.g. {@code /etc/condor/config.d/50-seed-agent.conf})
 * @param metadataAccess whether an unprivileged process can reach the metadata service (the IMDS guard)
 * @param elasticIp whether the public address is an Elastic IP, as EC2 said; null when not asked
 */
public record CheckInput(
        CondorEvaluation condor,
        MetadataFacts metadata,
        FileFacts files,
        NetworkFacts network,
        RecoveryFacts recovery,
        String fragmentPath,
        MetadataAccess metadataAccess,
        AddressFact elasticIp) {

    /** Without the Elastic IP fact (not asked). */
    public CheckInput(
            CondorEvaluation condor,
            MetadataFacts metadata,
            FileFacts files,
            NetworkFacts network,
            RecoveryFacts recovery,
            String fragmentPath,
            MetadataAccess metadataAccess) {
        this(condor, metadata, files, network, recovery, fragmentPath, metadataAccess, null);
    }

    public CheckInput {
        Objects.requireNonNull(condor, "condor");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(fragmentPath, "fragmentPath");
        Objects.requireNonNull(metadataAccess, "metadataAccess");
    }
}
