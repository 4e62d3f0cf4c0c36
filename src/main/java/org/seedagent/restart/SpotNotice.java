package org.seedagent.restart;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Pattern;
import org.seedagent.support.Durations;
import org.seedagent.support.Text;

/**
 * A spot interruption notice ({@code spot/instance-action}: {@code {"action": "terminate", "time":
 * "2026-11-25T12:02:00Z"}}), as a person reads it: what EC2 will do and when. A notice that is not in that form
 * keeps its text, quoted once.
 *
 * @param action {@code terminate}, {@code stop} or {@code hibernate}; null when the notice could not be read
 * @param at when EC2 acts; null when the notice could not be read
 * @param raw the notice as received, quoted for messages, when it could not be read; else null
 */
public record SpotNotice(String action, Instant at, String raw) {
    private static final Pattern ACTION = Pattern.compile("[a-z]{1,20}");
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** Reads the body of {@code spot/instance-action}. */
    public static SpotNotice parse(String body) {
        try {
            Object parsed = JSON.std.anyFrom(body);
            if (parsed instanceof Map<?, ?> map
                    && map.get("action") instanceof String action
                    && ACTION.matcher(action).matches()
                    && map.get("time") instanceof String time) {
                return new SpotNotice(action, Instant.parse(time), null);
            }
        } catch (IOException | RuntimeException e) {
            // not the documented form: kept as text below
        }
        return new SpotNotice(null, null, Text.quote(body, 200));
    }

    /** Whether the notice said what and when. */
    public boolean readable() {
        return action != null && at != null;
    }

    /** "EC2 will terminate this seed at 12:02:00 UTC, in 1 min 58 s" (or "... 3 s ago"). */
    public String describe(Instant now) {
        if (!readable()) {
            return "EC2 sent a spot interruption notice that could not be read: " + raw;
        }
        Duration left = Duration.between(now, at);
        String when = left.isNegative() || left.isZero()
                ? ", " + Durations.minutesAndSeconds(left.negated()) + " ago"
                : ", in " + Durations.minutesAndSeconds(left);
        return "EC2 will " + action + " this seed at " + CLOCK.format(at) + when;
    }

    /** Seconds until EC2 acts (negative once past), or null when unknown. */
    public Long secondsLeft(Instant now) {
        return at == null ? null : Duration.between(now, at).toSeconds();
    }
}
