package org.seedagent.metadata;

import java.util.Optional;

/**
 * Reads raw items of the instance metadata service. The implementation owns the protocol (IMDSv2
 * token, retries, deadline); callers own validation of what comes back.
 */
public interface MetadataSource extends AutoCloseable {
    /**
     * Reads {@code /latest/meta-data/<path>}.
     *
     * @return the body exactly as served, or empty when the item does not exist (HTTP 404)
     * @throws MetadataException when the service is disabled, unreachable within the deadline, or
     *     answers with something that is not a metadata body
     */
    Optional<String> get(String path) throws MetadataException, InterruptedException;

    @Override
    void close();
}
