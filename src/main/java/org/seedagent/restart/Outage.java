package org.seedagent.restart;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the seed was down: from the agent's last record to this boot. A clean stop (SIGTERM)
 * gives the time exactly; a crash or a power loss leaves only the last heartbeat, after which the
 * seed went down within one poll interval, so the outage is known between two bounds. A boot that
 * starts before the last record (the clock jumped) gives no figure at all, never a negative one.
 *
 * @param from the last record (clean stop or heartbeat); null when there is none
 * @param to this boot
 * @param atLeast the shortest the outage can have been; null when unknown
 * @param atMost the longest; null when unknown
 */
public record Outage(Basis basis, Instant from, Instant to, Duration atLeast, Duration atMost) {
    /** What the figure rests on. */
    public enum Basis {
        /** The agent recorded a clean stop: exact. */
        CLEAN_STOP,
        /** Only a heartbeat: the seed went down within one poll interval after it. */
        HEARTBEAT,
        /** No usable record, or the clock jumped. */
        UNKNOWN
    }

    static Outage between(Instant cleanStop, Instant heartbeat, Duration pollInterval, Instant boot) {
        if (boot == null || (cleanStop == null && heartbeat == null)) {
            return new Outage(Basis.UNKNOWN, cleanStop != null ? cleanStop : heartbeat, boot, null, null);
        }
        boolean clean = cleanStop != null && (heartbeat == null || !cleanStop.isBefore(heartbeat));
        Instant from = clean ? cleanStop : heartbeat;
        if (boot.isBefore(from)) {
            return new Outage(Basis.UNKNOWN, from, boot, null, null);
        }
        Duration atMost = Duration.between(from, boot);
        if (clean) {
            return new Outage(Basis.CLEAN_STOP, from, boot, atMost, atMost);
        }
        Duration atLeast = atMost.minus(pollInterval);
        return new Outage(Basis.HEARTBEAT, from, boot, atLeast.isNegative() ? Duration.ZERO : atLeast, atMost);
    }

    public boolean known() {
        return basis != Basis.UNKNOWN;
    }

    /** "7 min 12 s", "about 7 min (between 6 min 12 s and 7 min 12 s ...)", or why it is unknown. */
    public String describe() {
        return switch (basis) {
            case CLEAN_STOP ->
                "down " + span(atMost) + " (from a clean stop at " + Clocks.utc(from) + " to this boot at "
                        + Clocks.utc(to) + ")";
            case HEARTBEAT ->
                "down about " + span(atMost.plus(atLeast).dividedBy(2)) + " (between " + span(atLeast)
                        + " and " + span(atMost)
                        + ": no clean stop was recorded, so the seed crashed or lost power within "
                        + "one poll interval after its last heartbeat at " + Clocks.utc(from) + ")";
            case UNKNOWN ->
                to == null
                        ? "down for an unknown time (this boot's start time cannot be read)"
                        : from == null
                                ? "down for an unknown time (no earlier record)"
                                : "down for an unknown time (this boot, at " + Clocks.utc(to)
                                        + ", is earlier than the last record, at " + Clocks.utc(from)
                                        + ": the clock jumped)";
        };
    }

    /** A duration as "45 s", "7 min 12 s", "2 h 3 min". */
    static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86400) {
            return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
        }
        return s / 86400 + " d" + (s % 86400 / 3600 == 0 ? "" : " " + s % 86400 / 3600 + " h");
    }
}
