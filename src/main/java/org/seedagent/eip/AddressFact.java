package org.seedagent.eip;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seedagent.support.JsonNames;

/**
 * Whether the public address in force survives a stop/start, as EC2 said (DescribeAddresses), never
 * guessed: {@link Kind#UNKNOWN} names what kept seed-agent from asking.
 */
public record AddressFact(Kind kind, Instant checked, String address, String allocationId, String detail, String fix) {

    public enum Kind {
        /** An Elastic IP: it stays with the instance across stop/start. */
        ELASTIC,
        /** An address EC2 assigned at launch: the next stop/start replaces it. */
        EPHEMERAL,
        /** Not asked, or EC2 could not be asked (no permission, no instance profile, no answer). */
        UNKNOWN;

        public String jsonName() {
            return JsonNames.of(this);
        }
    }

    public static AddressFact elastic(Instant now, String address, String allocationId) {
        return new AddressFact(
                Kind.ELASTIC, now, address, allocationId, "Elastic IP " + allocationId + ": survives stop/start", null);
    }

    public static AddressFact ephemeral(Instant now, String address) {
        return new AddressFact(
                Kind.EPHEMERAL,
                now,
                address,
                null,
                "an ephemeral address: the next stop/start changes it",
                "allocate and associate an Elastic IP (aws ec2 allocate-address; aws ec2 associate-address --instance-id"
                        + " <id> --allocation-id <eipalloc-id>), or configure seed-agent to claim one (eip.allocation-id"
                        + " in /etc/seed-agent/seed-agent.conf)");
    }

    public static AddressFact unknown(Instant now, String address, String why, String fix) {
        return new AddressFact(Kind.UNKNOWN, now, address, null, "unknown: " + why, fix);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("checked", checked.toString());
        map.put("address", address);
        map.put("kind", kind.jsonName());
        map.put("allocation_id", allocationId);
        map.put("detail", detail);
        map.put("fix", fix);
        return map;
    }
}
