package org.seedagent.restart;

import org.seedagent.support.JsonNames;

/** What kind of restart brought the seed back, from facts compared with the previous record. */
public enum RestartKind {
    /** No earlier record: a first boot from an image, or prepare-image removed the record. */
    FIRST_BOOT("a first boot from the image"),
    /** Same instance and same public address (a reboot, or a stop/start that kept its address: an Elastic IP). */
    REBOOT("a reboot"),
    /** Same instance, another public address: only a stop/start gives one. */
    STOP_START("a stop/start"),
    /** Another instance id: a new instance from the image replaced the old one. */
    NEW_INSTANCE("a new instance"),
    /** A new boot, but the metadata service did not answer, so the instance and address are not known. */
    RESTART("a restart");

    private final String words;

    RestartKind(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    /** The name in state.json and JSON output ({@code first-boot}, {@code stop-start}, ...). */
    public String jsonName() {
        return JsonNames.of(this);
    }

    /** The kind for a JSON name; null for an unknown one (a newer agent's, or a damaged file). */
    public static RestartKind fromJson(String name) {
        return JsonNames.parse(RestartKind.class, RestartKind::jsonName, name).orElse(null);
    }
}
