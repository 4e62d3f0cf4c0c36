package org.seedagent.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Formats one log event as text for standard error. Under systemd every physical line carries the
 * sd-daemon priority prefix, so journald files continuation lines and stack frames at the same
 * priority instead of as unprefixed (info) lines. On a terminal, lines carry a timestamp and level.
 */
public final class LogFormat {
    /** Created at the first terminal line, not at start: building a formatter costs milliseconds of the boot path. */
    private static final class Time {
        static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    }

    private final boolean journal;

    public LogFormat(boolean journal) {
        this.journal = journal;
    }

    /** Whether stderr goes to journald: systemd sets JOURNAL_STREAM for services whose output it collects. */
    public static boolean journalFromEnvironment(java.util.Map<String, String> environment) {
        String stream = environment.get("JOURNAL_STREAM");
        return stream != null && !stream.isEmpty();
    }

    public String format(Instant time, Level level, String message, Throwable thrown) {
        String text = message == null ? "" : message;
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            text = text + "\n" + trace.toString().stripTrailing();
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        StringBuilder out = new StringBuilder(text.length() + 16 * lines.length);
        for (int i = 0; i < lines.length; i++) {
            if (journal) {
                out.append('<').append(level.priority()).append('>');
            } else if (i == 0) {
                out.append(Time.FORMAT.format(time))
                        .append(' ')
                        .append(String.format("%-6s", level.name()))
                        .append(' ');
            } else {
                out.append("    ");
            }
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }
}
