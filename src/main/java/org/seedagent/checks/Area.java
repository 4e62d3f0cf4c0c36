package org.seedagent.checks;

import org.seedagent.support.JsonNames;

/** What part of the seed a check is about; the report groups results by area, in this order. */
public enum Area {
    HTCONDOR("HTCondor configuration"),
    CENTRAL_MANAGER("Central manager"),
    SUBMIT_NODE("Submit node"),
    NETWORKING("Networking"),
    SECURITY("Security"),
    INSTANCE("Instance"),
    CREDENTIALS("Credentials"),
    RECOVERY("Automatic restart");

    private final String title;

    Area(String title) {
        this.title = title;
    }

    /** The stable name used in JSON, e.g. {@code central-manager}. */
    public String jsonName() {
        return JsonNames.of(this);
    }

    /** The heading in the text report. */
    public String title() {
        return title;
    }

    /** The width of the longest heading, for lining up what follows headings. */
    public static int widestTitle() {
        int widest = 0;
        for (Area a : values()) {
            widest = Math.max(widest, a.title.length());
        }
        return widest;
    }

    public static Area fromJsonName(String name) {
        return JsonNames.parse(Area.class, Area::jsonName, name)
                .orElseThrow(() -> new IllegalArgumentException("unknown area " + name));
    }
}
