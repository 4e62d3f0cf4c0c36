package org.seedagent.guard;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.seedagent.config.ImdsGuardSettings;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;

/**
 * Resolves configured user and group names to ids with {@code getent}, so that accounts from any
 * name service the system uses (files, SSSD, LDAP) count, as they would for nft itself. Numeric ids
 * are taken as they are. Names were validated by the configuration loader, so they are safe as
 * arguments.
 */
public final class AccountResolver {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Accounts resolved, and the names that did not resolve (with why). */
    public record Resolution(List<Account> accounts, List<String> unresolved) {
        public Resolution {
            accounts = List.copyOf(accounts);
            unresolved = List.copyOf(unresolved);
        }
    }

    private final ProcessRunner processes;
    private final String getent;

    public AccountResolver(ProcessRunner processes) {
        this(processes, "getent");
    }

    AccountResolver(ProcessRunner processes, String getent) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.getent = Objects.requireNonNull(getent, "getent");
    }

    public Resolution users(List<String> configured) throws InterruptedException {
        return resolve("passwd", configured);
    }

    public Resolution groups(List<String> configured) throws InterruptedException {
        return resolve("group", configured);
    }

    private Resolution resolve(String database, List<String> configured) throws InterruptedException {
        List<Account> accounts = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        String kind = database.equals("passwd") ? "user" : "group";
        for (String entry : configured) {
            if (ImdsGuardSettings.NUMERIC_ID.matcher(entry).matches()) {
                accounts.add(new Account(null, Long.parseLong(entry)));
                continue;
            }
            try {
                ProcessResult result = processes.run(List.of(getent, database, entry), TIMEOUT);
                if (result.timedOut()) {
                    unresolved.add(kind + " " + entry + " (getent " + database + " timed out)");
                } else if (result.exitCode() == 2) {
                    unresolved.add(kind + " " + entry + " (no such " + kind + ")");
                } else if (result.exitCode() != 0) {
                    unresolved.add(kind + " " + entry + " (getent " + database + " exited " + result.exitCode() + ")");
                } else {
                    long id = idFrom(result.stdout(), entry);
                    if (id < 0) {
                        unresolved.add(kind + " " + entry + " (getent " + database + " printed no entry for it)");
                    } else {
                        accounts.add(new Account(entry, id));
                    }
                }
            } catch (IOException e) {
                unresolved.add(kind + " " + entry + " (cannot run getent: " + e.getMessage() + ")");
            }
        }
        return new Resolution(accounts, unresolved);
    }

    /** The id (third field) of the entry named {@code name}; -1 when there is none or it is malformed. */
    static long idFrom(String getentOutput, String name) {
        for (String line : getentOutput.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3
                    && fields[0].equals(name)
                    && ImdsGuardSettings.NUMERIC_ID.matcher(fields[2]).matches()) {
                long id = Long.parseLong(fields[2]);
                return id <= ImdsGuardSettings.MAX_ID ? id : -1;
            }
        }
        return -1;
    }
}
