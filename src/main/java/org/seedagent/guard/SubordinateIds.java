package org.seedagent.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The subordinate id ranges of {@code /etc/subuid} and {@code /etc/subgid} ({@code owner:start:count}, as
 * {@code useradd} on EL9 writes them for rootless containers): a user may map any id of their range in a user
 * namespace that keeps the host's network, and so pass an owner match of the guard as that id. An allowed
 * account whose id lies in someone's range is refused (issue 21).
 */
public record SubordinateIds(List<Range> uids, List<Range> gids) {

    /** One line: {@code owner} (a name or a uid) may use ids {@code start} to {@code start + count - 1}. */
    public record Range(String owner, long start, long count) {
        public boolean contains(long id) {
            return id >= start && id - start < count;
        }
    }

    public SubordinateIds {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    public static final SubordinateIds NONE = new SubordinateIds(List.of(), List.of());

    /** {@code etc/subuid} and {@code etc/subgid}; a missing file has no ranges. */
    public static SubordinateIds read(Path etc) throws IOException {
        return new SubordinateIds(parse(text(etc.resolve("subuid"))), parse(text(etc.resolve("subgid"))));
    }

    private static String text(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** The ranges in one file; malformed lines (shadow-utils ignores them too) are skipped. */
    static List<Range> parse(String text) {
        List<Range> ranges = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split(":", -1);
            if (fields.length != 3
                    || fields[0].isEmpty()
                    || !fields[1].matches("\\d{1,10}")
                    || !fields[2].matches("\\d{1,10}")) {
                continue;
            }
            long count = Long.parseLong(fields[2]);
            if (count > 0) {
                ranges.add(new Range(fields[0], Long.parseLong(fields[1]), count));
            }
        }
        return ranges;
    }

    /**
     * Why each of {@code users} and {@code groups} must not be allowed, as {@code user alice (100500): in bob's
     * subordinate uid range 100000-165535 (/etc/subuid)}; empty when none is in a range. Root is never refused.
     */
    public List<String> conflicts(List<Account> users, List<Account> groups) {
        List<String> conflicts = new ArrayList<>();
        check("user", "uid", "subuid", users, uids, conflicts);
        check("group", "gid", "subgid", groups, gids, conflicts);
        return conflicts;
    }

    /** {@code accounts} without those whose id lies in a range of {@code kind} ("user" or "group"). */
    public List<Account> outside(String kind, List<Account> accounts) {
        List<Range> ranges = kind.equals("user") ? uids : gids;
        return accounts.stream()
                .filter(a -> a.id() == 0 || ranges.stream().noneMatch(r -> r.contains(a.id())))
                .toList();
    }

    private static void check(
            String kind, String id, String file, List<Account> accounts, List<Range> ranges, List<String> conflicts) {
        for (Account account : accounts) {
            if (account.id() == 0) {
                continue;
            }
            for (Range range : ranges) {
                if (range.contains(account.id())) {
                    conflicts.add(kind + " " + account.describe() + " (in " + range.owner() + "'s subordinate " + id
                            + " range " + range.start() + "-" + (range.start() + range.count() - 1) + ", /etc/" + file
                            + ": " + range.owner() + " can take that " + id + " in a user namespace)");
                    break;
                }
            }
        }
    }
}
