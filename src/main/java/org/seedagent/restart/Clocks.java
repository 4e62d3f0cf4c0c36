package org.seedagent.restart;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as the journal and status show them. */
final class Clocks {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Clocks() {}

    static String utc(Instant time) {
        return time == null ? "an unknown time" : UTC.format(time);
    }
}
