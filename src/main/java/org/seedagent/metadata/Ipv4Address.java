package org.seedagent.metadata;

import org.seedagent.support.Text;

/**
 * A dotted-quad IPv4 address in canonical form: four decimal octets 0-255, no leading zeros, nothing
 * else. This is the only shape of address allowed into an HTCondor config file, so parsing is strict.
 */
public record Ipv4Address(String text) {
    public Ipv4Address {
        String problem = problemWith(text);
        if (problem != null) {
            throw new IllegalArgumentException("not an IPv4 address " + Text.quote(text) + ": " + problem);
        }
    }

    /** Parses {@code raw} exactly as given (no trimming): whitespace or a newline is an error. */
    public static Ipv4Address parse(String raw) {
        return new Ipv4Address(raw);
    }

    /** Whether {@code raw} parses. */
    public static boolean isValid(String raw) {
        return problemWith(raw) == null;
    }

    /** Why {@code raw} does not parse, in a few words, or {@code null} when it does. */
    public static String whyInvalid(String raw) {
        return problemWith(raw);
    }

    /** RFC 1918 private, loopback, link-local or CGNAT shared space: not reachable from the internet. */
    public boolean isPrivate() {
        int[] o = octets();
        return o[0] == 10
                || o[0] == 127
                || (o[0] == 172 && o[1] >= 16 && o[1] <= 31)
                || (o[0] == 192 && o[1] == 168)
                || (o[0] == 169 && o[1] == 254)
                || (o[0] == 100 && o[1] >= 64 && o[1] <= 127);
    }

    public int[] octets() {
        String[] parts = text.split("\\.", -1);
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            octets[i] = Integer.parseInt(parts[i]);
        }
        return octets;
    }

    @Override
    public String toString() {
        return text;
    }

    private static String problemWith(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "empty";
        }
        // No separate length check: the scan below stops at the first character out of place, which
        // names the problem (a newline, a space, a letter) better than "too long" would.
        int octets = 0;
        int i = 0;
        while (true) {
            int start = i;
            while (i < raw.length() && raw.charAt(i) >= '0' && raw.charAt(i) <= '9') {
                i++;
            }
            int digits = i - start;
            if (digits == 0) {
                return i < raw.length()
                        ? "unexpected character " + Text.quote(String.valueOf(raw.charAt(i))) + " at position "
                                + (i + 1)
                        : "missing octet";
            }
            if (digits > 1 && raw.charAt(start) == '0') {
                return "octet " + raw.substring(start, i) + " has a leading zero";
            }
            if (digits > 3 || Integer.parseInt(raw.substring(start, i)) > 255) {
                return "octet " + raw.substring(start, i) + " is above 255";
            }
            octets++;
            if (i == raw.length()) {
                break;
            }
            if (raw.charAt(i) != '.') {
                return "unexpected character " + Text.quote(String.valueOf(raw.charAt(i))) + " at position " + (i + 1);
            }
            if (octets == 4) {
                return "more than four octets";
            }
            i++;
        }
        return octets == 4 ? null : "only " + octets + " octet" + (octets == 1 ? "" : "s");
    }
}
