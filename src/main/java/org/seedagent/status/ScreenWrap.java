package org.seedagent.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps the text report to a terminal's width, at spaces, each continuation indented under the text it
 * continues: a problem under its text, a fix under its fix, a note under its dash, a labelled line under its
 * value. Colour codes take no columns. A word longer than the width is left whole (a path is not cut). Only
 * for a terminal: piped, the report keeps one line per item, for grep.
 */
final class ScreenWrap {
    private static final Pattern COLOUR = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final Pattern PROBLEM = Pattern.compile("^  (?:FAILURE|WARNING)  ");
    private static final Pattern FIX = Pattern.compile("^ +fix: ");
    private static final Pattern NOTE = Pattern.compile("^  - ");
    private static final Pattern LABELLED = Pattern.compile("^  (?:[A-Za-z][A-Za-z ]*:)? +(?=\\S)");

    private ScreenWrap() {
    }

    /** {@code text} with every line at most {@code width} columns where spaces allow; unchanged when width <= 0. */
    static String wrap(String text, int width) {
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
        String visible = visible(line);
        if (visible.length() <= width) {
            out.append(line);
            return;
        }
        int indent = hangingIndent(visible);
        if (indent >= width / 2) {
            indent = 4;
        }
        StringBuilder current = new StringBuilder();
        int columns = 0;
        boolean first = true;
        for (String word : line.split(" ", -1)) {
            int length = visible(word).length();
            if (first) {
                current.append(word);
                columns = length;
                first = false;
            } else if (columns + 1 + length <= width || columns < indent || word.isEmpty() && columns < width) {
                current.append(' ').append(word);
                columns += 1 + length;
            } else if (word.isEmpty()) {
                continue; // a run of spaces at a break: dropped
            } else {
                out.append(stripTrailing(current)).append('\n');
                current.setLength(0);
                current.append(" ".repeat(indent)).append(word);
                columns = indent + length;
            }
        }
        out.append(current);
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

    private static String visible(String text) {
        return COLOUR.matcher(text).replaceAll("");
    }

    private static String stripTrailing(StringBuilder s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}
