package org.seedagent.support;

/**
 * Untrusted text (metadata bodies, file contents, tools' output) made safe to show, the one home of both rules:
 * {@link #quote} inside one log or error line (quoted, escaped, cut), {@link #controlsEscaped} on a screen that shows
 * it whole.
 */
public final class Text {
    private Text() {}

    /**
     * Quotes {@code raw} with control characters, backslashes, quotes and non-ASCII escaped and at most
     * {@code max} characters kept, so a hostile value can neither forge log lines nor flood them.
     */
    public static String quote(String raw, int max) {
        if (raw == null) {
            return "(nothing)";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), max) + 8).append('"');
        int shown = 0;
        for (int i = 0; i < raw.length() && shown < max; i++, shown++) {
            char c = raw.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (raw.length() > max) {
            out.append("... (").append(raw.length()).append(" characters)");
        }
        return out.toString();
    }

    /** {@link #quote(String, int)} with the length used in error messages. */
    public static String quote(String raw) {
        return quote(raw, 60);
    }

    /** Whether {@code text} holds a control character (C0, DEL, C1): shown as is, it could forge lines or colours. */
    public static boolean hasControls(String text) {
        return text.codePoints().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
    }

    /**
     * {@code text} as it is but for control characters (C0, DEL, C1), escaped as {@code \\uXXXX}: for a screen that
     * shows text from files and tools whole, not quoted (the status screen); null as empty.
     */
    public static String controlsEscaped(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
