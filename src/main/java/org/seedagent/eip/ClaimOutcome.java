package org.seedagent.eip;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seedagent.support.JsonNames;

/**
 * What one claim of the Elastic IP did.
 *
 * @param address the Elastic IP's address, when known
 * @param detail one sentence for the journal and status
 * @param fix what the administrator should do, or null when nothing
 * @param associateCalls how many AssociateAddress requests EC2 accepted or refused (0 or 1, plus throttled retries)
 */
public record ClaimOutcome(
        Result result,
        Instant time,
        Duration took,
        String target,
        String address,
        String detail,
        String fix,
        int associateCalls) {

    public enum Result {
        /** The address was already this instance's: no AssociateAddress. */
        ALREADY_HERE,
        /** Associated now, and the metadata service shows it. */
        ASSOCIATED,
        /** Another instance or interface holds it and re-association is not allowed. */
        HELD_ELSEWHERE,
        /** EC2 has no such Elastic IP in this account and region. */
        NOT_FOUND,
        /** The instance profile's role lacks a permission, or there is no instance profile. */
        DENIED,
        /** Associated, but the metadata service did not show the address within the deadline. */
        NOT_VISIBLE,
        /** Anything else: EC2 unreachable, throttled past the deadline, an error EC2 reported. */
        FAILED;

        public String jsonName() {
            return JsonNames.of(this);
        }
    }

    /** Whether the instance holds the address now (the boot goes on with it). */
    public boolean holds() {
        return result == Result.ALREADY_HERE || result == Result.ASSOCIATED;
    }

    /** How long the claim took, in seconds to a tenth. */
    public double seconds() {
        return Math.round(took.toMillis() / 100.0) / 10.0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time.toString());
        map.put("result", result.jsonName());
        map.put("target", target);
        map.put("address", address);
        map.put("detail", detail);
        map.put("fix", fix);
        map.put("associate_calls", associateCalls);
        map.put("seconds", seconds());
        return map;
    }
}
