package org.seedagent.condor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/** Compares and splits values the way HTCondor reads them. */
public final class CondorValues {
    private CondorValues() {}

    /** Splits a list value on commas and white space, as HTCondor's string lists are; no empty items. */
    public static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String item : value.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /** Whether a list value contains {@code item}, compared case-insensitively (daemon names, methods). */
    public static boolean listContains(String value, String item) {
        return list(value).stream().anyMatch(i -> i.equalsIgnoreCase(item));
    }

    /** Whether {@code value} is the keyword {@code keyword}: case-insensitive, surrounding space ignored. */
    public static boolean isKeyword(String value, String keyword) {
        return value != null && value.strip().equalsIgnoreCase(keyword);
    }

    /** A boolean as HTCondor reads one ({@code true/false}, {@code yes/no}, {@code 1/0}), or {@code fallback}. */
    public static boolean bool(String value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "t", "y", "1" -> true;
            case "false", "no", "f", "n", "0" -> false;
            default -> fallback;
        };
    }

    /** A plain decimal integer, or empty when {@code value} is not one. */
    public static OptionalInt integer(String value) {
        if (value == null || !value.strip().matches("-?\\d{1,9}")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(value.strip()));
    }
}
