package org.seedagent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.seedagent.logging.Level;

/** The agent's validated, immutable configuration. Built by {@link AgentConfigLoader}. */
public record AgentConfig(
        Path source,
        URI metadataEndpoint,
        Duration tokenTtl,
        Duration requestTimeout,
        Duration metadataDeadline,
        Path fragmentPath,
        NoPublicIpPolicy noPublicIp,
        BootPolicy bootOnUnavailable,
        Duration pollInterval,
        ReloadMethod reloadMethod,
        List<String> reloadCommand,
        String condorUnit,
        Duration advertiseTimeout,
        Path stateDirectory,
        Path condorConfigVal,
        Duration condorTimeout,
        Level logLevel,
        ImdsGuardSettings imdsGuard,
        ElasticIpSettings elasticIp) {
    public AgentConfig {
        reloadCommand = List.copyOf(reloadCommand);
        java.util.Objects.requireNonNull(imdsGuard, "imdsGuard");
    }
}
