package org.seedagent.metadata;

/**
 * What the agent knows about the instance besides its public address, each read best effort and
 * validated; a field is {@code null} when it could not be read or did not look right.
 */
public record InstanceFacts(
        String instanceId, String instanceType, String region, String lifeCycle, Ipv4Address localIpv4) {

    public static final InstanceFacts UNKNOWN = new InstanceFacts(null, null, null, null, null);

    public boolean isSpot() {
        return "spot".equals(lifeCycle);
    }
}
