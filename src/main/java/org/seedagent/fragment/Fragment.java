package org.seedagent.fragment;

import java.util.Objects;
import java.util.regex.Pattern;
import org.seedagent.metadata.Ipv4Address;

/**
 * The content of seed-agent's HTCondor config fragment: a pure function of the facts, with no
 * timestamp, so an unchanged address gives byte-identical content and no write.
 *
 * <p>It defines {@code TCP_FORWARDING_HOST} literally (so a later {@code $(EC2PublicIP)} override
 * cannot silently change what we mean), and the legacy macros {@code EC2PublicIP} and
 * {@code EC2InstanceID} that the original seed recipe's configuration refers to.
 */
public record Fragment(Ipv4Address forwardingHost, AddressKind kind, String instanceId) {
    /** Which of the instance's addresses {@link #forwardingHost()} is. */
    public enum AddressKind {
        /** The public IPv4 address (or Elastic IP): what annex nodes outside the VPC connect to. */
        PUBLIC,
        /** The private address, used when the instance has no public one (see no-public-ip). */
        PRIVATE
    }

    static final String HEADER = """
            # Managed by seed-agent: DO NOT EDIT. This file is rewritten whenever the instance's
            # address changes, and hand edits are reverted. To change the address HTCondor
            # advertises, set TCP_FORWARDING_HOST in a file that sorts after this one, or configure
            # seed-agent in /etc/seed-agent/seed-agent.conf. See `seed-agent check`.
            """;

    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,17}");

    public Fragment {
        Objects.requireNonNull(forwardingHost, "forwardingHost");
        Objects.requireNonNull(kind, "kind");
        if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("not an EC2 instance id: " + instanceId);
        }
    }

    /** The exact bytes of the file (UTF-8; in fact ASCII, as every value is validated). */
    public String text() {
        StringBuilder text = new StringBuilder(HEADER)
                .append('\n')
                .append(
                        kind == AddressKind.PUBLIC
                                ? "# Public IPv4 address of this instance, from the EC2 instance metadata service.\n"
                                : "# This instance has no public IPv4 address: its private address, from the EC2\n"
                                        + "# instance metadata service (seed-agent setting no-public-ip = local-ipv4).\n")
                .append("TCP_FORWARDING_HOST = ")
                .append(forwardingHost.text())
                .append('\n')
                .append('\n')
                .append("# Legacy names, for configurations written for the original seed recipe\n")
                .append("# (TCP_FORWARDING_HOST = $(EC2PublicIP)).\n")
                .append("EC2PublicIP = ")
                .append(forwardingHost.text())
                .append('\n');
        if (instanceId != null) {
            text.append("EC2InstanceID = \"").append(instanceId).append("\"\n");
        }
        return text.toString();
    }

    /** Whether {@code content} is a file this agent wrote (any version), judged by its header. */
    public static boolean isOurs(String content) {
        return content != null && content.startsWith("# Managed by seed-agent");
    }

    /** The TCP_FORWARDING_HOST value in a fragment's content, or null when it has none or is not ours. */
    public static String forwardingHostIn(String content) {
        if (!isOurs(content)) {
            return null;
        }
        for (String line : content.split("\n", -1)) {
            if (line.startsWith("TCP_FORWARDING_HOST = ")) {
                return line.substring("TCP_FORWARDING_HOST = ".length());
            }
        }
        return null;
    }
}
