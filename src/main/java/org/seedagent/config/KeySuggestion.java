package org.seedagent.config;

import java.util.Locale;

/** What to suggest for an unknown key in the configuration file: the key most likely meant, or every key. */
final class KeySuggestion {
    private KeySuggestion() {}

    /** The known key {@code name} was most likely meant to be (a typo: at most 3 edits, or a missing prefix), or null. */
    static String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey key : ConfigKey.values()) {
            int d = distance(name.toLowerCase(Locale.ROOT), key.key());
            if (key.key().endsWith("." + name)) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = key.key();
            }
        }
        return bestDistance <= Math.min(3, Math.max(1, name.length() / 3)) ? best : null;
    }

    /** Every key, in the order of {@link ConfigKey}, separated by commas. */
    static String known() {
        StringBuilder keys = new StringBuilder();
        for (ConfigKey key : ConfigKey.values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(key.key());
        }
        return keys.toString();
    }

    /** The edit (Levenshtein) distance from {@code a} to {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
