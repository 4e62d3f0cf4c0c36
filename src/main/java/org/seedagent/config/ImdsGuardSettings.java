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
 * @param allowForwardInterfaces network interfaces whose forwarded packets may reach the service
 */
public record ImdsGuardSettings(
        boolean enabled, List<String> allowUsers, List<String> allowGroups, List<String> allowForwardInterfaces) {
    /** A Linux interface name: at most 15 characters, none of them space, quote, slash or colon-free oddities. */
    public static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");

    public ImdsGuardSettings(boolean enabled, List<String> allowUsers, List<String> allowGroups) {
        this(enabled, allowUsers, allowGroups, List.of());
    }

    /** Like shadow-utils' default: a letter or underscore, then letters, digits, {@code _ . -}; 32 at most. */
    public static final Pattern ACCOUNT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    public static final Pattern NUMERIC_ID = Pattern.compile("\\d{1,10}");
    /** (uid_t) -1 is "no id" to the kernel; everything below is a valid id. */
    public static final long MAX_ID = 4294967294L;

    public static final int MAX_ACCOUNTS = 64;

    public ImdsGuardSettings {
        allowUsers = List.copyOf(allowUsers);
        allowGroups = List.copyOf(allowGroups);
        allowForwardInterfaces = List.copyOf(allowForwardInterfaces);
        for (String name : allowForwardInterfaces) {
            if (!INTERFACE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an interface name: " + name);
            }
        }
        for (String account : allowUsers) {
            requireValid(account);
        }
        for (String account : allowGroups) {
            requireValid(account);
        }
    }

    private static void requireValid(String account) {
        if (!ACCOUNT_NAME.matcher(account).matches()
                && !NUMERIC_ID.matcher(account).matches()) {
            throw new IllegalArgumentException("not an account name or id: " + account);
        }
    }
}
