package org.seedagent.checks;

import org.seedagent.condor.Knob;
import org.seedagent.support.Text;

/** Renders configuration values and paths (untrusted text) inside one-line findings. */
final class Show {
    private static final int MAX = 100;

    private Show() {
    }

    /** {@code text} bare when it is short printable ASCII without surrounding space, else quoted and escaped. */
    static String value(String text) {
        String quoted = Text.quote(text, MAX);
        boolean plain = quoted.equals("\"" + text + "\"") && !text.isEmpty() && text.strip().equals(text);
        return plain ? text : quoted;
    }

    /** {@code NAME = value (from FILE, line N)}. */
    static String knob(Knob knob) {
        return knob.name() + " = " + value(knob.value()) + " (from " + where(knob) + ")";
    }

    /** {@code FILE (line N)} for a knob set in a file, for remedies; else where it came from. */
    static String fileAndLine(Knob knob) {
        if (!knob.location().isFile()) {
            return knob.location().describe();
        }
        return value(knob.location().source()) + (knob.location().line() > 0 ? " (line " + knob.location().line()
                + ")" : "");
    }

    /** Where a knob was set, for messages. */
    static String where(Knob knob) {
        return knob.location().isFile() ? value(knob.location().describe()) : knob.location().describe();
    }
}
