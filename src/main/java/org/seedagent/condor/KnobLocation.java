package org.seedagent.condor;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where HTCondor took a knob's winning definition from, as {@code condor_config_val -v} reports it in
 * its {@code # at:} line.
 *
 * @param source a configuration file, or a pseudo-source in angle brackets such as {@code <Default>}
 *     (HTCondor's built-in default)
 * @param line the line in {@code source}, or 0 when it has none; for a metaknob, the line of the
 *     outermost {@code use}
 * @param metaknob the metaknob that defined it, e.g. {@code use ROLE:Submit+0}, or {@code null}
 */
public record KnobLocation(String source, int line, String metaknob) {
    /** HTCondor's built-in default. */
    public static final KnobLocation DEFAULT = new KnobLocation("<Default>", 0, null);

    private static final Pattern FILE_LINE = Pattern.compile("(.+), line (\\d{1,9})(?:, (use .+))?");

    public KnobLocation {
        Objects.requireNonNull(source, "source");
        if (line < 0) {
            throw new IllegalArgumentException("negative line " + line);
        }
    }

    /** Parses the text after {@code # at: }; an unknown form is kept whole as the source. */
    public static KnobLocation parse(String text) {
        String t = text.strip();
        if (t.equals(DEFAULT.source)) {
            return DEFAULT;
        }
        Matcher m = FILE_LINE.matcher(t);
        if (m.matches()) {
            return new KnobLocation(m.group(1), Integer.parseInt(m.group(2)), m.group(3));
        }
        return new KnobLocation(t, 0, null);
    }

    /** Whether the value is HTCondor's built-in default (no configuration file set it). */
    public boolean isDefault() {
        return source.equals(DEFAULT.source);
    }

    /** Whether a configuration file (as opposed to a pseudo-source such as the defaults) set it. */
    public boolean isFile() {
        return source.startsWith("/");
    }

    /** For messages: {@code /etc/condor/config.d/99-local, line 3} or {@code HTCondor's built-in default}. */
    public String describe() {
        if (isDefault()) {
            return "HTCondor's built-in default";
        }
        StringBuilder s = new StringBuilder(source);
        if (line > 0) {
            s.append(", line ").append(line);
        }
        if (metaknob != null) {
            s.append(" (").append(metaknob).append(')');
        }
        return s.toString();
    }

    /** The form condor_config_val prints. */
    @Override
    public String toString() {
        if (line == 0) {
            return source;
        }
        return source + ", line " + line + (metaknob == null ? "" : ", " + metaknob);
    }
}
