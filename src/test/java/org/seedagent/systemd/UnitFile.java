package org.seedagent.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A systemd unit file read as sections of {@code Key=value} assignments, enough to check which
 * directives it sets: comments ({@code #}, {@code ;}) and blank lines are skipped, a trailing
 * backslash continues the line, and a key may be assigned more than once (all values are kept).
 */
record UnitFile(Map<String, Map<String, List<String>>> sections) {

    static UnitFile parse(String text) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        String pending = "";
        for (String raw : text.split("\n", -1)) {
            String line = pending + raw.strip();
            pending = "";
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1).stripTrailing() + " ";
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq < 1) {
                throw new IllegalArgumentException("not a unit file line: " + line);
            }
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return new UnitFile(sections);
    }

    /** All values assigned to {@code key} in {@code section}, in order; empty when never assigned. */
    List<String> values(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The single value of {@code key}; fails when it is missing or assigned more than once. */
    String value(String section, String key) {
        List<String> values = values(section, key);
        if (values.size() != 1) {
            throw new AssertionError(
                    "[" + section + "] " + key + "= is assigned " + values.size() + " times: " + values);
        }
        return values.get(0);
    }

    private static final Pattern SPAN_PART =
            Pattern.compile("(\\d+)\\s*(msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h)?");

    /** A systemd time span ({@code 90}, {@code 90s}, {@code 1min 30s}, {@code 10min}) in seconds. */
    static double seconds(String span) {
        double total = 0;
        Matcher part = SPAN_PART.matcher(span.strip());
        int end = 0;
        while (part.find()) {
            if (!span.strip().substring(end, part.start()).isBlank()) {
                throw new IllegalArgumentException("not a time span: " + span);
            }
            long n = Long.parseLong(part.group(1));
            String unit = part.group(2) == null ? "s" : part.group(2);
            total += switch (unit) {
                case "ms", "msec" -> n / 1000.0;
                case "s", "sec", "second", "seconds" -> n;
                case "m", "min", "minute", "minutes" -> n * 60.0;
                default -> n * 3600.0;
            };
            end = part.end();
        }
        if (end != span.strip().length() || end == 0) {
            throw new IllegalArgumentException("not a time span: " + span);
        }
        return total;
    }
}
