package org.seedagent.condor;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTCondor's effective configuration for a set of knobs, as {@code condor_config_val -dump -v -expand}
 * printed it: immutable, looked up case-insensitively. A knob that is absent was neither defined nor
 * given a built-in default.
 */
public final class CondorConfigView {
    private final String machine;
    private final Map<String, Knob> knobs;

    private CondorConfigView(String machine, Map<String, Knob> knobs) {
        this.machine = machine;
        this.knobs = Collections.unmodifiableMap(knobs);
    }

    /** A view of {@code knobs} (a later knob of the same name wins, as in HTCondor). */
    public static CondorConfigView of(String machine, Collection<Knob> knobs) {
        Map<String, Knob> byName = new LinkedHashMap<>();
        for (Knob knob : knobs) {
            byName.put(key(knob.name()), knob);
        }
        return new CondorConfigView(machine == null ? "" : machine, byName);
    }

    /**
     * Parses the standard output of {@code condor_config_val -dump -v -expand REGEX}.
     *
     * @throws IllegalArgumentException when the text is not in that format; the message names the line
     */
    public static CondorConfigView parseDump(String stdout) {
        return CondorDump.parse(stdout);
    }

    /** The machine name from the {@code # Configuration from machine:} header, or empty. */
    public String machine() {
        return machine;
    }

    /** Every knob in the view, in the order condor_config_val printed them. */
    public Collection<Knob> knobs() {
        return knobs.values();
    }

    /** The knob {@code name}, whether or not its value is empty. */
    public Optional<Knob> knob(String name) {
        return Optional.ofNullable(knobs.get(key(name)));
    }

    /** The knob {@code name} when HTCondor considers it defined (its value is not empty). */
    public Optional<Knob> defined(String name) {
        return knob(name).filter(Knob::isDefined);
    }

    /** The expanded value of {@code name} when defined; empty when undefined or empty, as HTCondor treats it. */
    public Optional<String> value(String name) {
        return defined(name).map(Knob::value);
    }

    /** The first of {@code names} that is defined: HTCondor's fallback chains (e.g. DAEMON, then DEFAULT). */
    public Optional<Knob> firstDefined(String... names) {
        for (String name : names) {
            Optional<Knob> knob = defined(name);
            if (knob.isPresent()) {
                return knob;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "CondorConfigView" + List.copyOf(knobs.values());
    }

    private static String key(String name) {
        return name.toUpperCase(Locale.ROOT);
    }
}
