package org.seedagent.condor;

import java.util.Objects;

/**
 * One configuration knob as HTCondor evaluates it.
 *
 * @param name the name as HTCondor prints it (names are case-insensitive)
 * @param value the expanded value, exactly as printed (may be empty or start with a space)
 * @param location where the winning definition came from
 * @param raw the winning definition before expansion
 * @param defaultValue HTCondor's built-in default, or {@code null} when it has none
 */
public record Knob(String name, String value, KnobLocation location, String raw, String defaultValue) {
    public Knob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(raw, "raw");
    }

    /**
     * Whether HTCondor considers the knob defined: a value that is empty, or expands to nothing but
     * white space, counts as undefined ({@code condor_config_val} says {@code Not defined}).
     */
    public boolean isDefined() {
        return !value.isBlank();
    }
}
