package org.seedagent.state;

import java.time.Instant;

/**
 * A spot interruption notice as read.
 *
 * @param time when the agent read it
 * @param action EC2's action ({@code stop}, {@code terminate}, {@code hibernate}); null when the notice could not
 *     be read
 * @param detail when EC2 acts (ISO-8601), or the notice's raw text when it could not be read
 */
public record SpotInterruption(Instant time, String action, String detail) {}
