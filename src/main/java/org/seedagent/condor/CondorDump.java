package org.seedagent.condor;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.support.Text;

/**
 * Parser for {@code condor_config_val -dump -v -expand}: a {@code # Configuration from machine: HOST}
 * header, then for each knob {@code NAME = value} (or {@code NAME @=end}, lines, {@code @end}) followed
 * by {@code  # at: ...}, {@code  # raw: ...} and, when a built-in default exists, {@code  # default: ...}.
 *
 * <p>A multi-line value (HTCondor 24.0, {@code indent_herefile} in condor_config_val.cpp) prints each of
 * its lines indented by three spaces between {@code NAME @=end} and {@code @end}, and its raw (or default)
 * text as an empty {@code  # raw: } followed by one {@code  #     line} per line.
 */
final class CondorDump {
    private static final String MACHINE = "# Configuration from machine:";
    private static final String AT = " # at: ";
    private static final String RAW = " # raw: ";
    private static final String DEFAULT = " # default: ";
    /** Indentation of the lines of a multi-line value, and of the lines of a multi-line raw or default. */
    private static final String VALUE_INDENT = "   ";

    private static final String DETAIL_INDENT = " #     ";
    private static final Pattern SINGLE = Pattern.compile("([A-Za-z0-9_.]+) =(?: (.*))?");
    private static final Pattern MULTI = Pattern.compile("([A-Za-z0-9_.]+) @=(\\S+)");

    private CondorDump() {}

    static CondorConfigView parse(String stdout) {
        String[] lines = stdout.split("\n", -1);
        String machine = "";
        List<Knob> knobs = new ArrayList<>();
        Pending pending = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(AT) || line.startsWith(RAW) || line.startsWith(DEFAULT)) {
                if (pending == null) {
                    throw malformed(i, "a detail line before any knob", line);
                }
                pending.detail(line);
                continue;
            }
            if (line.startsWith(DETAIL_INDENT) && pending != null && pending.inDetail()) {
                pending.detailLine(line.substring(DETAIL_INDENT.length()));
                continue;
            }
            if (pending != null) {
                knobs.add(pending.finish());
                pending = null;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(MACHINE)) {
                machine = line.substring(MACHINE.length()).strip();
                continue;
            }
            if (line.startsWith("# Contributing configuration file")) {
                break;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher single = SINGLE.matcher(line);
            Matcher multi = MULTI.matcher(line);
            if (multi.matches()) {
                String end = "@" + multi.group(2);
                List<String> value = new ArrayList<>();
                int start = i;
                while (++i < lines.length && !lines[i].equals(end)) {
                    value.add(lines[i].startsWith(VALUE_INDENT) ? lines[i].substring(VALUE_INDENT.length()) : lines[i]);
                }
                if (i >= lines.length) {
                    throw malformed(start, "a multi-line value without its closing " + end, line);
                }
                pending = new Pending(multi.group(1), String.join("\n", value), start);
            } else if (single.matches()) {
                pending = new Pending(single.group(1), single.group(2) == null ? "" : single.group(2), i);
            } else {
                throw malformed(i, "a line that is neither NAME = value nor a comment", line);
            }
        }
        if (pending != null) {
            knobs.add(pending.finish());
        }
        return CondorConfigView.of(machine, knobs);
    }

    private static IllegalArgumentException malformed(int index, String what, String line) {
        return new IllegalArgumentException("line " + (index + 1) + " is " + what + ": " + Text.quote(line));
    }

    /** A knob whose detail lines are still being read. */
    private static final class Pending {
        private final String name;
        private final String value;
        private final int index;
        private KnobLocation location;
        private String raw;
        private String defaultValue;
        /** The detail that further {@code  #     } lines continue: "raw", "default" or null. */
        private String open;

        Pending(String name, String value, int index) {
            this.name = name;
            this.value = value;
            this.index = index;
        }

        void detail(String line) {
            open = null;
            if (line.startsWith(AT)) {
                location = KnobLocation.parse(line.substring(AT.length()));
            } else if (line.startsWith(RAW)) {
                raw = line.substring(RAW.length());
                open = "raw";
            } else {
                defaultValue = line.substring(DEFAULT.length());
                open = "default";
            }
        }

        boolean inDetail() {
            return open != null;
        }

        /** One more line of a multi-line raw value or default. */
        void detailLine(String text) {
            if (open.equals("raw")) {
                raw = raw.isEmpty() ? text : raw + "\n" + text;
            } else {
                defaultValue = defaultValue.isEmpty() ? text : defaultValue + "\n" + text;
            }
        }

        Knob finish() {
            if (location == null) {
                throw malformed(index, "a knob without its \" # at:\" line (was -v given?)", name);
            }
            return new Knob(name, value, location, raw == null ? value : raw, defaultValue);
        }
    }
}
