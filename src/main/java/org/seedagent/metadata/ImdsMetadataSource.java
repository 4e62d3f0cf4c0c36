package org.seedagent.metadata;

import java.time.Clock;
import java.util.Optional;
import org.seedagent.support.Sleeper;

/** IMDSv2 through the AWS SDK's Ec2MetadataClient. (Being implemented; see the metadata helper's brief.) */
public final class ImdsMetadataSource implements MetadataSource {
    public ImdsMetadataSource(MetadataSettings settings, Clock clock, Sleeper sleeper) {
    }

    @Override
    public Optional<String> get(String path) throws MetadataException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
