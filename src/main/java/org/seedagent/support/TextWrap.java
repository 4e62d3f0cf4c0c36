package org.seedagent.support;

import java.util.regex.Pattern;

/**
 * Wraps one line of a report to a terminal's width at spaces, each continuation indented by a given number of
 * columns. Colour codes take no columns. A word longer than the width is left whole (a path is not cut). The
 * reports decide the indent (under the text a line's prefix introduces); only for a terminal: piped, a report
 * keeps one line per item, for grep.
 */
public final class TextWrap {
    private static final Pattern COLOUR = Pattern.compile("\u001b\\[[0-9;]*m");

    private TextWrap() {}

    /** Appends {@code line}, wrapped to {@code width} with continuations at {@code indent}, to {@code out}. */
    public static void line(String line, int width, int indent, StringBuilder out) {
        if (width <= 0 || visible(line).length() <= width) {
            out.append(line);
            return;
        }
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

    /** {@code text} without colour codes: what takes columns on a terminal. */
    public static String visible(String text) {
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
