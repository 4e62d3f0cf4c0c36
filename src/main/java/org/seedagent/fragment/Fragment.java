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
 *
 * <p>For HTCondor before 24.5.1 only ({@code if version}, so HTCondor decides), {@link #COLLECTOR_ITSELF}: the
 * collector's own {@code COLLECTOR_HOST} is 127.0.0.1 (issue 25). Such a collector sends its own ad to every
 * collector in its COLLECTOR_HOST but itself, blocking, up to 20 s (HTCONDOR-2605 made it non-blocking in 24.5.1);
 * it knows itself by its advertised address, which TCP_FORWARDING_HOST makes the public one, so one whose
 * COLLECTOR_HOST names this host otherwise (an htcondor annex seed's private CONDOR_HOST) sends the ad to itself
 * and, waiting for its own answer, serves nobody for 20 s, 1 s after every start and every
 * COLLECTOR_UPDATE_INTERVAL (measured: the master's and collector's ads 41-42 s after a restart, instead of 21).
 * 127.0.0.1 it knows as itself at any address (condor_sinful.cpp, Sinful::addressPointsToMe); the AP collector
 * ({@code use FEATURE: HPC_ANNEX}, a second collector with the collector's knobs) still reports to the main one,
 * through the shared port daemon on 127.0.0.1, or (if that is not bound there) fails at once. Not a security
 * setting: no ALLOW or SEC knob refers to COLLECTOR_HOST.
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

    /** The collector knows itself (see the class comment); the same text in every fragment. */
    static final String COLLECTOR_ITSELF = """
            # HTCondor before 24.5.1 (HTCONDOR-2605): with TCP_FORWARDING_HOST set, a collector whose
            # COLLECTOR_HOST names this host otherwise (an htcondor annex seed's private address) no
            # longer knows it is itself and waits 20 s for its own answer, serving nobody, after every
            # start. It knows 127.0.0.1 as itself; an AP collector reports to it there.
            if version < 24.5.1
              COLLECTOR.COLLECTOR_HOST = 127.0.0.1:$(SHARED_PORT_PORT)
            endif
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
        return text.append('\n').append(COLLECTOR_ITSELF).toString();
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
