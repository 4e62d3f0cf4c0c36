package org.seedagent.eip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** DescribeAddresses and AssociateAddress, as records in and out. */
public final class Ec2Addresses {
    private final Ec2QueryClient client;

    public Ec2Addresses(Ec2QueryClient client) {
        this.client = client;
    }

    /** The Elastic IP with allocation id {@code allocationId}; EC2 answers InvalidAllocationID.NotFound if none. */
    public List<Ec2Address> byAllocationId(String allocationId, Instant deadline)
            throws Ec2Exception, InterruptedException {
        return describe(Map.of("AllocationId.1", allocationId), deadline);
    }

    /**
     * The Elastic IP whose address is {@code publicIp}: empty when it is not one (an ephemeral public address).
     * A filter rather than {@code PublicIp.1}, which EC2 answers with an error for an address it has not allocated.
     */
    public List<Ec2Address> byPublicIp(String publicIp, Instant deadline) throws Ec2Exception, InterruptedException {
        return describe(Map.of("Filter.1.Name", "public-ip", "Filter.1.Value.1", publicIp), deadline);
    }

    /**
     * Associates the allocation with the instance; returns the association id.
     *
     * @param allowReassociation whether EC2 may move it from where it is associated now
     */
    public String associate(String allocationId, String instanceId, boolean allowReassociation, Instant deadline)
            throws Ec2Exception, InterruptedException {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("AllocationId", allocationId);
        parameters.put("InstanceId", instanceId);
        if (allowReassociation) {
            parameters.put("AllowReassociation", "true");
        }
        Element root = client.call("AssociateAddress", parameters, deadline);
        String association = Ec2QueryClient.textOf(root, "associationId");
        if (association == null) {
            throw new Ec2Exception(
                    "AssociateAddress",
                    Ec2Exception.BAD_RESPONSE,
                    "the answer has no associationId (root element " + root.getLocalName() + ")",
                    200);
        }
        return association;
    }

    private List<Ec2Address> describe(Map<String, String> parameters, Instant deadline)
            throws Ec2Exception, InterruptedException {
        Element root = client.call("DescribeAddresses", parameters, deadline);
        Element set = Ec2QueryClient.first(root, "addressesSet");
        if (set == null) {
            throw new Ec2Exception(
                    "DescribeAddresses",
                    Ec2Exception.BAD_RESPONSE,
                    "the answer has no addressesSet (root element " + root.getLocalName() + ")",
                    200);
        }
        List<Ec2Address> addresses = new ArrayList<>();
        // Only the set's own items: an address's tagSet has items too.
        for (Node n = set.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element item && "item".equals(item.getLocalName())) {
                addresses.add(new Ec2Address(
                        Ec2QueryClient.textOf(item, "publicIp"),
                        Ec2QueryClient.textOf(item, "allocationId"),
                        Ec2QueryClient.textOf(item, "domain"),
                        Ec2QueryClient.textOf(item, "instanceId"),
                        Ec2QueryClient.textOf(item, "associationId"),
                        Ec2QueryClient.textOf(item, "networkInterfaceId"),
                        Ec2QueryClient.textOf(item, "privateIpAddress")));
            }
        }
        return addresses;
    }
}
