package org.seedagent.checks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.metadata.Ipv4Address;

/** Host parts of HTCondor addresses ({@code host:port}, sinful strings) and what they point to. */
final class Addresses {
    /** EC2 public DNS names embed the public address: ec2-203-0-113-10.compute-1.amazonaws.com. */
    private static final Pattern EC2_PUBLIC_NAME = Pattern.compile(
            "ec2-(\\d{1,3})-(\\d{1,3})-(\\d{1,3})-(\\d{1,3})\\.([a-z0-9-]+\\.)?compute(-\\d+)?\\.amazonaws\\.com\\.?",
            Pattern.CASE_INSENSITIVE);

    private Addresses() {}

    /** The host in {@code host}, {@code host:port}, {@code <host:port?params>} or {@code [v6]:port}. */
    static String hostOf(String entry) {
        String s = entry.strip();
        if (s.startsWith("<")) {
            s = s.substring(1);
        }
        if (s.endsWith(">")) {
            s = s.substring(0, s.length() - 1);
        }
        int query = s.indexOf('?');
        if (query >= 0) {
            s = s.substring(0, query);
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close > 0 ? s.substring(1, close) : s.substring(1);
        }
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') == colon) {
            s = s.substring(0, colon);
        }
        return s;
    }

    /** Whether {@code host} is a name to resolve (not empty, not an IPv4 or IPv6 literal). */
    static boolean isName(String host) {
        return !host.isEmpty() && !Ipv4Address.isValid(host) && !host.contains(":");
    }

    static boolean isLoopback(Ipv4Address address) {
        return address.octets()[0] == 127;
    }

    static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.startsWith("localhost.") || h.equals("ip6-localhost");
    }

    /** EC2's private DNS names (ip-10-0-0-5.ec2.internal, ip-10-0-0-5.eu-west-1.compute.internal). */
    static boolean isVpcInternalName(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.endsWith(".ec2.internal") || h.endsWith(".compute.internal");
    }

    /** The address embedded in an EC2 public DNS name, or null. */
    static Ipv4Address ec2PublicName(String host) {
        Matcher m = EC2_PUBLIC_NAME.matcher(host);
        if (!m.matches()) {
            return null;
        }
        String dotted = m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4);
        return Ipv4Address.isValid(dotted) ? Ipv4Address.parse(dotted) : null;
    }
}
