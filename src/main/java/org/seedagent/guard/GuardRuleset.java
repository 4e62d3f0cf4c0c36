package org.seedagent.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The guard's nftables rule set, as a pure function of the accounts allowed besides root. The script
 * is one {@code nft -f} transaction that replaces exactly the guard's own table: it declares the table
 * (a no-op when it exists), deletes it, and declares it again with its content, so nobody else's
 * tables, chains or rules are touched and there is no moment without the guard.
 */
public final class GuardRuleset {
    /** The guard's own table; {@code inet} so that one table covers IPv4 and IPv6. */
    public static final String TABLE = "inet seed_agent_imds_guard";
    /** The EC2 instance metadata service's addresses. */
    public static final String IPV4 = "169.254.169.254";

    public static final String IPV6 = "fd00:ec2::254";

    private GuardRuleset() {}

    /** The rule set that lets root, {@code users} and {@code groups} through and rejects everyone else. */
    public static String render(List<Account> users, List<Account> groups) {
        return render(users, groups, List.of());
    }

    /**
     * As {@link #render(List, List)}, and forwarded packets to the service (containers behind a bridge, whose
     * traffic the host masquerades: they have no local owner to match) rejected unless they come in through
     * one of {@code forwardInterfaces} (validated interface names).
     */
    public static String render(List<Account> users, List<Account> groups, List<String> forwardInterfaces) {
        for (String name : forwardInterfaces) {
            if (!org.seedagent.config.ImdsGuardSettings.INTERFACE_NAME
                    .matcher(name)
                    .matches()) {
                throw new IllegalArgumentException("not an interface name: " + name);
            }
        }
        List<Account> uids = withoutDuplicateIds(users);
        List<Account> gids = withoutDuplicateIds(groups);
        StringBuilder s = new StringBuilder();
        s.append("# Managed by seed-agent (seed-agent imds-guard apply): DO NOT EDIT.\n");
        s.append("# Only root and the accounts below may reach the EC2 instance metadata service, which hands out\n");
        s.append("# the instance profile's credentials; every other process is rejected at once (TCP reset, or\n");
        s.append("# ICMP administratively prohibited). Settings: imds-guard.* in /etc/seed-agent/seed-agent.conf,\n");
        s.append("# then \"systemctl reload seed-agent-imds-guard\".\n");
        s.append("#\n");
        s.append("# One transaction: declare the table (a no-op if it exists), delete it, declare it anew, so that\n");
        s.append("# exactly this table is replaced and no one else's rules are touched.\n");
        s.append("table ").append(TABLE).append('\n');
        s.append("delete table ").append(TABLE).append('\n');
        s.append("table ").append(TABLE).append(" {\n");
        s.append("\t# Users: root")
                .append(named(uids.stream().filter(a -> a.id() != 0).toList()))
                .append('\n');
        s.append("\tset allowed_uids {\n");
        s.append("\t\ttype uid\n");
        List<Long> uidValues = new ArrayList<>();
        uidValues.add(0L);
        uids.stream().map(Account::id).filter(id -> id != 0).forEach(uidValues::add);
        s.append("\t\telements = { ").append(join(uidValues)).append(" }\n");
        s.append("\t}\n\n");
        // A socket's gid is its creator's effective (file system) gid: supplementary groups do not count.
        s.append("\t# Groups (a process's effective group): ")
                .append(gids.isEmpty() ? "none" : named(gids).substring(2))
                .append('\n');
        s.append("\tset allowed_gids {\n");
        s.append("\t\ttype gid\n");
        if (!gids.isEmpty()) {
            s.append("\t\telements = { ")
                    .append(join(gids.stream().map(Account::id).toList()))
                    .append(" }\n");
        }
        s.append("\t}\n\n");
        hook(s, "output", "metadata");
        s.append("\t# The whole address, every protocol and port, as HTCondor's own EC2 boot script does.\n");
        s.append("\tchain metadata {\n");
        s.append("\t\tmeta skuid @allowed_uids accept\n");
        s.append("\t\tmeta skgid @allowed_gids accept\n");
        s.append("\t\t# TCP is decided on when a connection opens (its SYN). Later segments pass: they belong to a\n");
        s.append(
                "\t\t# connection allowed when it opened, and some have no owner to match any more (a FIN resent or\n");
        s.append("\t\t# a TIME-WAIT ACK after the program closed the socket; the reset the reject below sends).\n");
        s.append("\t\ttcp flags & (syn | ack) != syn accept\n");
        s.append("\t\tmeta l4proto tcp reject with tcp reset\n");
        s.append("\t\treject with icmpx type admin-prohibited\n");
        s.append("\t}\n\n");
        s.append("\t# Forwarded packets (a container on a bridge, masqueraded to this host's address) have no local\n");
        s.append("\t# owner to match: rejected, unless they come in through an interface of\n");
        s.append("\t# imds-guard.allow-forward-interfaces: ")
                .append(forwardInterfaces.isEmpty() ? "none" : String.join(", ", forwardInterfaces))
                .append('\n');
        hook(s, "forward", "forwarded");
        s.append("\tchain forwarded {\n");
        if (!forwardInterfaces.isEmpty()) {
            s.append("\t\tiifname { ")
                    .append(forwardInterfaces.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")))
                    .append(" } accept\n");
        }
        s.append("\t\tmeta l4proto tcp reject with tcp reset\n");
        s.append("\t\treject with icmpx type admin-prohibited\n");
        s.append("\t}\n");
        s.append("}\n");
        return s.toString();
    }

    /** Removes the guard's table if it exists, and nothing else (one transaction; fine when it is absent). */
    public static String removal() {
        return "table " + TABLE + "\ndelete table " + TABLE + "\n";
    }

    private static List<Account> withoutDuplicateIds(List<Account> accounts) {
        Set<Long> seen = new LinkedHashSet<>();
        return accounts.stream().filter(a -> seen.add(a.id())).toList();
    }

    private static String named(List<Account> accounts) {
        return accounts.stream().map(a -> ", " + a.describe()).collect(Collectors.joining());
    }

    private static String join(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** A base chain on netfilter's {@code hook}, sending both metadata addresses to {@code target}. */
    private static void hook(StringBuilder s, String hook, String target) {
        s.append("\tchain ").append(hook).append(" {\n");
        s.append("\t\ttype filter hook ").append(hook).append(" priority filter; policy accept;\n");
        s.append("\t\tip daddr ").append(IPV4).append(" jump ").append(target).append('\n');
        s.append("\t\tip6 daddr ").append(IPV6).append(" jump ").append(target).append('\n');
        s.append("\t}\n\n");
    }
}
