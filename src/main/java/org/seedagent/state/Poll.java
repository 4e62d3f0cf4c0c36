package org.seedagent.state;

import java.time.Instant;

/**
 * What one metadata poll came to.
 *
 * @param ok whether it read the metadata and kept the fragment right
 * @param detail what it found, or why it failed
 */
public record Poll(Instant time, boolean ok, String detail) {
    public static Poll ok(Instant time, String detail) {
        return new Poll(time, true, detail);
    }

    public static Poll failed(Instant time, String detail) {
        return new Poll(time, false, detail);
    }
}
