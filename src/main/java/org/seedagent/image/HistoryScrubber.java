package org.seedagent.image;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the entries of a shell history that set AWS keys to literal values, and removes them. Pure:
 * bytes in, bytes out; the lines that are kept come out byte for byte.
 *
 * <p>What counts as setting a key, for {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN} and {@code AWS_SECURITY_TOKEN} (any case):
 * <ul>
 *   <li>an assignment {@code NAME=value}: {@code export NAME=...}, {@code NAME=... aws ...},
 *       {@code env NAME=...}, {@code declare -x NAME=...}, and {@code name = value} as echoed into a
 *       credentials file;</li>
 *   <li>{@code set -x NAME value} (fish) and {@code setenv NAME value} (csh);</li>
 *   <li>{@code aws configure set [profile.]aws_secret_access_key value} (and the other two keys);</li>
 *   <li>an access key ID literal anywhere ({@code AKIA} or {@code ASIA} and 16 more characters).</li>
 * </ul>
 * A value that is a {@code $} expansion ({@code NAME=$(cat file)}, {@code NAME="$OTHER"}) or empty is not a
 * secret in the history and does not count.
 *
 * <p>An entry is a command with what belongs to it: the bash time stamp lines ({@code #1700000000}) before
 * it, the lines continued by a trailing backslash (zsh stores multi-line commands that way), or, in fish
 * history, the {@code - cmd:} line and its indented {@code when:}/{@code paths:} lines. A whole entry is
 * removed when any of its lines sets a key, so no orphaned time stamp or continuation is left behind.
 */
final class HistoryScrubber {
    private static final String KEYS = "aws_access_key_id|aws_secret_access_key|aws_session_token|aws_security_token";
    private static final String CLI_KEYS = "aws_access_key_id|aws_secret_access_key|aws_session_token";

    /** {@code NAME=value}, {@code name = value}: the value starts at group 3's end. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(?i)(?<![A-Za-z0-9_])(" + KEYS + ")(\\s*)=(\\s*)");
    /** {@code set -gx NAME value} (fish), {@code setenv NAME value} (csh). */
    private static final Pattern SET =
            Pattern.compile("(?i)(?:^|[\\s;&|(])(?:set|setenv)\\s+(?:-[A-Za-z-]+\\s+)*(" + KEYS + ")\\s+");
    /** {@code aws configure set [--profile p] [default.]aws_secret_access_key value}. */
    private static final Pattern CONFIGURE_SET =
            Pattern.compile("(?i)\\bconfigure\\s+set\\s.*?(?<![A-Za-z0-9_])(" + CLI_KEYS + ")\\s+");

    private static final Pattern ACCESS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
    static final String ACCESS_KEY_ID_NAME = "access key ID";

    private static final Pattern BASH_TIMESTAMP = Pattern.compile("#\\d{1,19}\\s*");

    private HistoryScrubber() {}

    /** Which history format to read entries in. */
    enum Format {
        /** bash, zsh, sh, ash: one command per line, with time stamp lines and continuation lines. */
        SHELL,
        /** fish: {@code - cmd: ...} followed by indented lines. */
        FISH;

        static Format of(String path) {
            return path.endsWith("fish_history") ? FISH : SHELL;
        }
    }

    static Scrub scrub(byte[] content, Format format) {
        Lines lines = new Lines(content);
        int n = lines.count();
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) {
            texts[i] = lines.text(i);
        }
        List<Scrub.Hit> hits = new ArrayList<>();
        boolean[] dropped = new boolean[n];
        int removed = 0;
        for (int[] entry : format == Format.FISH ? fishEntries(texts) : shellEntries(texts)) {
            List<Scrub.Hit> inEntry = new ArrayList<>();
            for (int i = entry[0]; i <= entry[1]; i++) {
                List<String> names = secretsIn(texts[i]);
                if (!names.isEmpty()) {
                    inEntry.add(new Scrub.Hit(i + 1, names));
                }
            }
            if (!inEntry.isEmpty()) {
                hits.addAll(inEntry);
                for (int i = entry[0]; i <= entry[1]; i++) {
                    dropped[i] = true;
                    removed++;
                }
            }
        }
        return new Scrub(hits, hits.isEmpty() ? content : lines.without(dropped), removed);
    }

    /** The names of the AWS keys {@code line} sets to a literal value; empty when none. */
    static List<String> secretsIn(String line) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ASSIGNMENT.matcher(line);
        while (m.find()) {
            String name = m.group(1);
            boolean shellStyle = name.equals(name.toUpperCase(Locale.ROOT));
            // In a shell, "NAME= command" assigns the empty string: nothing after '=' but white space.
            if (!(shellStyle && !m.group(3).isEmpty()) && literalAt(line, m.end())) {
                names.add(name);
            }
        }
        for (Pattern p : List.of(SET, CONFIGURE_SET)) {
            Matcher s = p.matcher(line);
            while (s.find()) {
                if (literalAt(line, s.end())) {
                    names.add(s.group(1));
                }
            }
        }
        if (names.isEmpty() && ACCESS_KEY_ID.matcher(line).find()) {
            names.add(ACCESS_KEY_ID_NAME);
        }
        return List.copyOf(names);
    }

    /** Whether a literal value (not empty, not a {@code $} expansion) starts at {@code i}. */
    private static boolean literalAt(String line, int i) {
        if (i >= line.length()) {
            return false;
        }
        char c = line.charAt(i);
        if (c == '\'' || c == '"') {
            if (i + 1 >= line.length()) {
                return false;
            }
            char d = line.charAt(i + 1);
            return d != c && d != '$' && !Character.isWhitespace(d);
        }
        return c != '$' && !Character.isWhitespace(c) && ";&|)".indexOf(c) < 0;
    }

    /** [first, last] line indexes of each entry of a bash/zsh/sh history. */
    private static List<int[]> shellEntries(String[] texts) {
        List<int[]> entries = new ArrayList<>();
        int n = texts.length;
        int i = 0;
        while (i < n) {
            int start = i;
            while (i < n - 1 && BASH_TIMESTAMP.matcher(texts[i]).matches()) {
                i++;
            }
            while (i < n - 1 && continues(texts[i])) {
                i++;
            }
            entries.add(new int[] {start, i});
            i++;
        }
        return entries;
    }

    /** A line ending in an odd number of backslashes goes on in the next one. */
    private static boolean continues(String text) {
        int backslashes = 0;
        for (int j = text.length() - 1; j >= 0 && text.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** [first, last] line indexes of each entry of a fish history. */
    private static List<int[]> fishEntries(String[] texts) {
        List<int[]> entries = new ArrayList<>();
        int n = texts.length;
        int i = 0;
        while (i < n) {
            int start = i;
            if (texts[i].startsWith("- cmd:")) {
                while (i + 1 < n && texts[i + 1].startsWith(" ")) {
                    i++;
                }
            }
            entries.add(new int[] {start, i});
            i++;
        }
        return entries;
    }
}
