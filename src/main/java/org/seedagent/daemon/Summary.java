package org.seedagent.daemon;

/** The daemon's one-line summary (STATUS= and the journal), set by the step that knows best and added to. */
final class Summary {
    private String text = "starting";

    String text() {
        return text;
    }

    void set(String text) {
        this.text = text;
    }

    void add(String clause) {
        this.text = text + "; " + clause;
    }
}
