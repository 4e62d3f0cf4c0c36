package org.seedagent.support;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a command to completion. Injected so that HTCondor tools and reload commands can be faked. */
@FunctionalInterface
public interface ProcessRunner {
    /**
     * Runs {@code command} (no shell) with standard input closed, and kills it when {@code timeout}
     * passes; the result then says {@code timedOut}.
     *
     * @throws IOException when the program cannot be started (for example it does not exist)
     */
    ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException;
}
