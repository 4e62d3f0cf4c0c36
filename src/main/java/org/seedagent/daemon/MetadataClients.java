package org.seedagent.daemon;

import java.util.function.Function;
import org.seedagent.config.AgentConfig;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.metadata.MetadataSource;

/** The metadata client for the current settings: one kept open, rebuilt only when SIGHUP changed them. */
final class MetadataClients implements AutoCloseable {
    private final Function<MetadataSettings, MetadataSource> sources;
    private MetadataSource source;
    private MetadataSettings settings;

    MetadataClients(Function<MetadataSettings, MetadataSource> sources) {
        this.sources = sources;
    }

    InstanceMetadata current(AgentConfig config) {
        MetadataSettings wanted = new MetadataSettings(
                config.metadataEndpoint(), config.tokenTtl(), config.requestTimeout(), config.metadataDeadline());
        if (source == null || !wanted.equals(settings)) {
            if (source != null) {
                source.close();
            }
            source = sources.apply(wanted);
            settings = wanted;
        }
        return new InstanceMetadata(source);
    }

    @Override
    public void close() {
        if (source != null) {
            source.close();
        }
    }
}
