package org.seedagent.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The IMDS guard's settings ({@code imds-guard.*}): whether it is on, and who besides root may reach
 * the instance metadata service. Entries are validated names or numeric ids, not yet resolved.
 *
 * @param enabled whether the guard's rule set is applied
 * @param allowUsers user names or numeric uids
 * @param allowGroups group names or numeric gids
 */
public record ImdsGuardSettings(boolean enabled, List<String> allowUsers, List<String> allowGroups) {
    /** Like shadow-utils' default: a letter or underscore, then letters, digits, {@code _ . -}; 32 at most. */
    public static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    public static final Pattern NUMERIC_ID = Pattern.compile("\\d{1,10}");
    /** (uid_t) -1 is "no id" to the kernel; everything below is a valid id. */
    public static final long MAX_ID = 4294967294L;
    public static final int MAX_ACCOUNTS = 64;

    public ImdsGuardSettings {
        allowUsers = List.copyOf(allowUsers);
        allowGroups = List.copyOf(allowGroups);
        for (String account : allowUsers) {
            requireValid(account);
        }
        for (String account : allowGroups) {
            requireValid(account);
        }
    }

    private static void requireValid(String account) {
        if (!ACCOUNT_NAME.matcher(account).matches() && !NUMERIC_ID.matcher(account).matches()) {
            throw new IllegalArgumentException("not an account name or id: " + account);
        }
    }
}
