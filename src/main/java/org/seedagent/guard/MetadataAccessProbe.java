package org.seedagent.guard;

import java.net.URI;

/** Finds out whether an unprivileged process can connect to the instance metadata service. */
@FunctionalInterface
public interface MetadataAccessProbe {
    /** Tries {@code endpoint} (the configured {@code metadata.endpoint}) as an unprivileged user. */
    MetadataAccess probe(URI endpoint) throws InterruptedException;
}
