package org.seedagent.eip;

/**
 * One Elastic IP as DescribeAddresses reports it; fields are null when EC2 left them out (an address
 * not associated with anything has no instance, association or network interface).
 */
public record Ec2Address(
        String publicIp,
        String allocationId,
        String domain,
        String instanceId,
        String associationId,
        String networkInterfaceId,
        String privateIpAddress) {

    public boolean associated() {
        return associationId != null || instanceId != null || networkInterfaceId != null;
    }

    public boolean associatedWith(String instance) {
        return instance != null && instance.equals(instanceId);
    }

    /** Who holds the address, for messages: the instance, else the network interface. */
    public String holder() {
        if (instanceId != null) {
            return "instance " + instanceId;
        }
        return networkInterfaceId != null ? "network interface " + networkInterfaceId : "nothing";
    }
}
