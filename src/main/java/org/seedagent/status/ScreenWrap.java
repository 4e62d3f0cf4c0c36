package org.seedagent.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.support.TextWrap;

/**
 * Wraps the status report to a terminal's width ({@link TextWrap}), each continuation indented under the text it
 * continues: a problem under its text, a fix under its fix, a note under its dash, a labelled line under its
 * value.
 */
public final class ScreenWrap {
    private static final Pattern PROBLEM = Pattern.compile("^  (?:FAILURE|WARNING)  ");
    private static final Pattern FIX = Pattern.compile("^ +fix: ");
    private static final Pattern NOTE = Pattern.compile("^  - ");
    private static final Pattern LABELLED = Pattern.compile("^  (?:[A-Za-z][A-Za-z ]*:)? +(?=\\S)");

    private ScreenWrap() {}

    /** {@code text} with every line at most {@code width} columns where spaces allow; unchanged when width <= 0. */
    public static String wrap(String text, int width) {
        if (width <= 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 256);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            wrapLine(lines[i], width, out);
        }
        return out.toString();
    }

    private static void wrapLine(String line, int width, StringBuilder out) {
        TextWrap.line(line, width, hangingIndent(TextWrap.visible(line)), out);
    }

    /** Where a continuation starts: under the text the line's prefix introduces. */
    static int hangingIndent(String visible) {
        for (Pattern prefix : new Pattern[] {PROBLEM, FIX, NOTE, LABELLED}) {
            Matcher m = prefix.matcher(visible);
            if (m.find()) {
                return m.end();
            }
        }
        int spaces = 0;
        while (spaces < visible.length() && visible.charAt(spaces) == ' ') {
            spaces++;
        }
        return spaces + 2;
    }
}
