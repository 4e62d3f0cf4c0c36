package org.seedagent.eip;

import java.time.Instant;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * What the instance metadata service enforces for this instance (EC2's {@code metadataOptions}), which cannot be
 * read from inside the instance: whether tokens are required, and the PUT response's hop limit (a hop limit of 1
 * keeps a token from reaching a container behind the host; images marked {@code ImdsSupport=v2.0} default to 2).
 *
 * @param httpTokens {@code required} or {@code optional}, or null when EC2 did not say
 * @param hopLimit the hop limit, or null when EC2 did not say
 * @param httpEndpoint {@code enabled} or {@code disabled}, or null
 * @param state {@code applied} or {@code pending} (a change not yet in force), or null
 */
public record MetadataOptions(String httpTokens, Integer hopLimit, String httpEndpoint, String state) {

    /** What {@link #read} found: the options, or why they were not read. */
    public record Read(MetadataOptions options, String notRead) {
        public static Read not(String why) {
            return new Read(null, why);
        }
    }

    /** One DescribeInstances for {@code instanceId}; never throws for EC2, only says why not. */
    public static Read read(Ec2QueryClient client, String instanceId, Instant deadline) throws InterruptedException {
        Element root;
        try {
            root = client.call("DescribeInstances", Map.of("InstanceId.1", instanceId), deadline);
        } catch (Ec2Exception e) {
            return Read.not(
                    e.permissionDenied()
                            ? "the instance profile's role does not allow " + e.iamAction()
                                    + " (optional: grant it to let check read the hop limit)"
                            : e.describe());
        }
        Element instance = Ec2QueryClient.first(
                Ec2QueryClient.first(
                        Ec2QueryClient.first(Ec2QueryClient.first(root, "reservationSet"), "item"), "instancesSet"),
                "item");
        Element options = Ec2QueryClient.first(instance, "metadataOptions");
        if (options == null) {
            return Read.not("DescribeInstances answered without metadataOptions for " + instanceId);
        }
        String hop = Ec2QueryClient.textOf(options, "httpPutResponseHopLimit");
        Integer hopLimit;
        try {
            hopLimit = hop == null ? null : Integer.valueOf(hop);
        } catch (NumberFormatException e) {
            return Read.not("DescribeInstances answered a hop limit that is not a number");
        }
        return new Read(
                new MetadataOptions(
                        Ec2QueryClient.textOf(options, "httpTokens"),
                        hopLimit,
                        Ec2QueryClient.textOf(options, "httpEndpoint"),
                        Ec2QueryClient.textOf(options, "state")),
                null);
    }
}
