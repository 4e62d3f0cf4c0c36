package org.seedagent.guard;

import java.util.Objects;
import org.seedagent.config.ImdsGuardSettings;

/**
 * A user or group the guard lets through, resolved to its numeric id.
 *
 * @param name the name as configured, or {@code null} when the id was configured
 * @param id the uid or gid
 */
public record Account(String name, long id) {
    public Account {
        if (name != null && !ImdsGuardSettings.ACCOUNT_NAME.matcher(name).matches()) {
            // Names end up in the rule set's comments: only validated ones may.
            throw new IllegalArgumentException("not an account name: " + name);
        }
        if (id < 0 || id > ImdsGuardSettings.MAX_ID) {
            throw new IllegalArgumentException("not an account id: " + id);
        }
    }

    /** E.g. {@code condor (990)} or {@code 4242}. */
    public String describe() {
        return name == null ? Long.toString(id) : name + " (" + id + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Account a && a.id == id && Objects.equals(a.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, id);
    }
}
