package org.seedagent.checks;

import org.seedagent.condor.Knob;
import org.seedagent.condor.KnobLocation;
import org.seedagent.support.Text;

/** Renders configuration values and paths (untrusted text) inside one-line findings. */
final class Show {
    private static final int MAX = 100;

    private Show() {}

    /** {@code text} bare when it is short printable ASCII without surrounding space, else quoted and escaped. */
    static String value(String text) {
        String quoted = Text.quote(text, MAX);
        boolean plain = quoted.equals("\"" + text + "\"")
                && !text.isEmpty()
                && text.strip().equals(text);
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
        return value(knob.location().source())
                + (knob.location().line() > 0 ? " (line " + knob.location().line() + ")" : "");
    }

    /**
     * Where a knob was set, for messages: the file (quoted when it needs to be), its line and metaknob. Only the
     * path is untrusted text; shortening the whole description cut off the line or metaknob of a long path.
     */
    static String where(Knob knob) {
        KnobLocation at = knob.location();
        if (!at.isFile()) {
            return at.describe();
        }
        return value(at.source())
                + (at.line() > 0 ? ", line " + at.line() : "")
                + (at.metaknob() == null ? "" : " (" + value(at.metaknob()) + ")");
    }
}
