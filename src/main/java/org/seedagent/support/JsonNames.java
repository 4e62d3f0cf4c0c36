package org.seedagent.support;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The names enums take in the agent's JSON (state file, {@code status}, {@code check}, {@code prepare-image}) and
 * configuration file, one way: {@code STOP_START} is {@code stop-start}; and back, from a name to the constant
 * (also for enums that give their constants names of their own, such as {@code condor_annex} or a configuration key).
 */
public final class JsonNames {
    private JsonNames() {}

    /** {@code STOP_START} as {@code stop-start}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose JSON name ({@code nameOf}) is {@code name}; empty for an unknown one. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, Function<E, String> nameOf, String name) {
        for (E constant : type.getEnumConstants()) {
            if (nameOf.apply(constant).equals(name)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
