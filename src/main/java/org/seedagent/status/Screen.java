package org.seedagent.status;

import org.seedagent.support.Text;

/** The human report's lines as they are written: a label column, colours when the terminal has them. */
final class Screen {
    static final String RESET = "\u001b[0m";
    static final String BOLD = "\u001b[1m";
    static final String GREEN = "\u001b[32m";
    static final String YELLOW = "\u001b[33m";
    static final String RED = "\u001b[1;31m";
    private static final int LABEL = 14;

    private final boolean colour;
    private final StringBuilder out = new StringBuilder();

    Screen(boolean colour) {
        this.colour = colour;
    }

    StringBuilder out() {
        return out;
    }

    /** {@code label} in its column, then {@code text}. */
    void line(String label, String text) {
        out.append("  ")
                .append(label)
                .append(" ".repeat(Math.max(1, LABEL - label.length())))
                .append(text)
                .append('\n');
    }

    String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }

    /** Control characters (C0, DEL, C1) escaped: text from files and tools cannot forge lines or colours. */
    static String clean(String text) {
        return Text.controlsEscaped(text);
    }
}
