package org.seedagent.metadata;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach the instance metadata service.
 *
 * @param endpoint base URL, e.g. {@code http://169.254.169.254}
 * @param tokenTtl lifetime requested for the IMDSv2 session token
 * @param requestTimeout connect and read time-out of one HTTP request
 * @param deadline how long one {@link MetadataSource#get} may take in all, retries and waits included
 */
public record MetadataSettings(URI endpoint, Duration tokenTtl, Duration requestTimeout, Duration deadline) {}
