package org.seedagent.support;

/** Renders untrusted text (metadata bodies, file contents) safely inside one log or error line. */
public final class Text {
    private Text() {
    }

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
}
