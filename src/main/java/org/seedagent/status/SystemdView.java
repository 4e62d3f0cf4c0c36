package org.seedagent.status;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * systemd's view of {@code seed-agent.service}, from {@code systemctl show UNIT -p ...}: {@code Key=Value}
 * lines, in systemd's order (not the order asked for). Unavailable when systemctl is missing or cannot talk
 * to systemd (a container, a host booted without systemd); {@code problem} then says why.
 */
record SystemdView(boolean available, Map<String, String> properties, String problem) {
    /** The unit seed-agent is installed as. */
    static final String UNIT = "seed-agent.service";
    /** What {@code status} asks systemd for. */
    static final List<String> PROPERTIES =
            List.of("LoadState", "ActiveState", "SubState", "Result", "MainPID", "ActiveEnterTimestamp", "StatusText");

    private static final Pattern TIMESTAMP =
            Pattern.compile("(?:\\S+ )?(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) (\\S+)");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    SystemdView {
        properties = Map.copyOf(properties);
    }

    static SystemdView unavailable(String problem) {
        return new SystemdView(false, Map.of(), problem);
    }

    /** Parses the standard output of {@code systemctl show}. */
    static SystemdView parse(String stdout) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                properties.put(
                        line.substring(0, equals), line.substring(equals + 1).strip());
            }
        }
        if (!properties.containsKey("ActiveState")) {
            return unavailable("systemctl show printed no ActiveState");
        }
        return new SystemdView(true, properties, null);
    }

    /** The command that asks for this view. */
    static List<String> command() {
        return List.of("systemctl", "show", UNIT, "-p", String.join(",", PROPERTIES));
    }

    /** Whether systemd knows the unit ({@code LoadState} other than {@code not-found}). */
    boolean installed() {
        return available && !"not-found".equals(properties.get("LoadState"));
    }

    String activeState() {
        return properties.getOrDefault("ActiveState", "");
    }

    String subState() {
        return properties.getOrDefault("SubState", "");
    }

    /** Whether systemd has the unit running or starting. */
    boolean up() {
        return installed() && List.of("active", "activating", "reloading").contains(activeState());
    }

    /** Whether systemd says the unit is not running. */
    boolean down() {
        return installed() && List.of("inactive", "failed", "deactivating").contains(activeState());
    }

    /** The main PID, or 0. */
    long mainPid() {
        try {
            return Long.parseLong(properties.getOrDefault("MainPID", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The daemon's own one-line status (sd_notify STATUS=), or empty. */
    String statusText() {
        return properties.getOrDefault("StatusText", "");
    }

    /** {@code ActiveEnterTimestamp} as systemd printed it (local time), or empty. */
    String activeSinceText() {
        return properties.getOrDefault("ActiveEnterTimestamp", "");
    }

    /** {@code ActiveEnterTimestamp} as an instant, when it parses ({@code Wed 2025-01-01 10:00:00 UTC}), else null. */
    Instant activeSince() {
        Matcher m = TIMESTAMP.matcher(activeSinceText());
        if (!m.matches()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1), LOCAL)
                    .atZone(ZoneId.of(m.group(2), ZoneId.SHORT_IDS))
                    .toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
