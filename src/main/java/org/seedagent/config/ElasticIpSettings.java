package org.seedagent.config;

import java.net.URI;
import java.time.Duration;

/**
 * The Elastic IP seed-agent claims at boot, if any, and how it reaches EC2.
 *
 * @param allocationId {@code eip.allocation-id}, or null
 * @param address {@code eip.address} (a dotted quad), or null; at most one of the two is set
 * @param allowReassociation whether the address may be taken from another instance or interface
 * @param deadline how long the claim may hold the boot up, association and the wait for IMDS included
 * @param ec2Endpoint the EC2 endpoint to use instead of {@code https://ec2.REGION.amazonaws.com}, or null
 */
public record ElasticIpSettings(
        String allocationId, String address, boolean allowReassociation, Duration deadline, URI ec2Endpoint) {

    /** Whether seed-agent is to claim an Elastic IP. */
    public boolean claims() {
        return allocationId != null || address != null;
    }

    /** The configured Elastic IP, as messages name it. */
    public String target() {
        return allocationId != null ? allocationId : address;
    }
}
