package org.seedagent.eip;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.seedagent.config.ElasticIpSettings;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the configured Elastic IP is this instance's, idempotently and within a deadline:
 * DescribeAddresses first; already here: no AssociateAddress; held elsewhere: taken over only when
 * re-association is allowed, else the holder is named; otherwise one AssociateAddress. Then the metadata
 * service's {@code public-ipv4} is polled until it shows the address (EC2 takes seconds to update it).
 * Never throws for an EC2 failure: the outcome says what happened and what to do.
 */
public final class ElasticIpClaim {
    private static final Logger log = LoggerFactory.getLogger(ElasticIpClaim.class);
    static final Duration VISIBILITY_POLL = Duration.ofMillis(500);

    private final Ec2Addresses ec2;
    private final InstanceMetadata metadata;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Supplier<String> role;

    public ElasticIpClaim(
            Ec2Addresses ec2, InstanceMetadata metadata, Clock clock, Sleeper sleeper, Supplier<String> role) {
        this.ec2 = ec2;
        this.metadata = metadata;
        this.clock = clock;
        this.sleeper = sleeper;
        this.role = role;
    }

    public ClaimOutcome claim(ElasticIpSettings settings, String instanceId, Instant deadline)
            throws InterruptedException {
        Instant start = clock.instant();
        String target = settings.target();
        int calls = 0;
        String address = settings.address();
        try {
            List<Ec2Address> found = settings.allocationId() != null
                    ? ec2.byAllocationId(settings.allocationId(), deadline)
                    : ec2.byPublicIp(settings.address(), deadline);
            if (found.isEmpty()) {
                return outcome(
                        ClaimOutcome.Result.NOT_FOUND,
                        start,
                        target,
                        address,
                        "there is no Elastic IP " + target + " in this account and region",
                        "allocate it, or correct "
                                + (settings.allocationId() != null ? "eip.allocation-id" : "eip.address")
                                + " in /etc/seed-agent/seed-agent.conf",
                        calls);
            }
            Ec2Address eip = found.get(0);
            address = eip.publicIp();
            if (eip.allocationId() == null) {
                return outcome(
                        ClaimOutcome.Result.FAILED,
                        start,
                        target,
                        address,
                        "Elastic IP " + target
                                + " has no allocation id (an EC2-Classic address?) and cannot be associated by allocation",
                        "use a VPC Elastic IP",
                        calls);
            }
            ClaimOutcome.Result result;
            if (eip.associatedWith(instanceId)) {
                result = ClaimOutcome.Result.ALREADY_HERE;
                log.debug(
                        "Elastic IP {} ({}) is already associated with this instance {}",
                        address,
                        eip.allocationId(),
                        instanceId);
            } else {
                if (eip.associated() && !settings.allowReassociation()) {
                    return outcome(
                            ClaimOutcome.Result.HELD_ELSEWHERE,
                            start,
                            target,
                            address,
                            "Elastic IP " + address
                                    + " (" + eip.allocationId() + ") is associated with " + eip.holder()
                                    + ", not with this instance " + instanceId
                                    + "; left there because eip.allow-reassociation"
                                    + " is false",
                            "if " + eip.holder() + " is gone or a stale seed, set eip.allow-reassociation = true (or"
                                    + " run `aws ec2 disassociate-address --association-id " + eip.associationId()
                                    + "`) and restart seed-agent",
                            calls);
                }
                if (eip.associated()) {
                    log.warn(
                            "taking Elastic IP {} ({}) over from {} (eip.allow-reassociation = true)",
                            address,
                            eip.allocationId(),
                            eip.holder());
                }
                calls++;
                try {
                    String association =
                            ec2.associate(eip.allocationId(), instanceId, settings.allowReassociation(), deadline);
                    log.debug(
                            "associated Elastic IP {} ({}) with this instance {} ({})",
                            address,
                            eip.allocationId(),
                            instanceId,
                            association);
                } catch (Ec2Exception e) {
                    // A retried request whose first attempt went through (a 5xx after the fact) finds the
                    // address already associated; ask EC2 whose it is before calling that a failure.
                    if (!e.code().startsWith("Resource.AlreadyAssociated")
                            || !heldHere(settings, instanceId, deadline)) {
                        throw e;
                    }
                }
                result = ClaimOutcome.Result.ASSOCIATED;
            }
            return waitUntilVisible(result, start, target, address, deadline, calls);
        } catch (Ec2Exception e) {
            return failure(e, start, target, address, calls);
        }
    }

    private boolean heldHere(ElasticIpSettings settings, String instanceId, Instant deadline)
            throws Ec2Exception, InterruptedException {
        List<Ec2Address> found = settings.allocationId() != null
                ? ec2.byAllocationId(settings.allocationId(), deadline)
                : ec2.byPublicIp(settings.address(), deadline);
        return !found.isEmpty() && found.get(0).associatedWith(instanceId);
    }

    private ClaimOutcome waitUntilVisible(
            ClaimOutcome.Result result, Instant start, String target, String address, Instant deadline, int calls)
            throws InterruptedException {
        String seen = null;
        while (true) {
            try {
                Optional<Ipv4Address> now = metadata.publicIpv4();
                seen = now.map(Ipv4Address::text).orElse("no public IPv4");
                if (now.isPresent() && now.get().text().equals(address)) {
                    Duration took = Duration.between(start, clock.instant());
                    return outcome(
                            result,
                            start,
                            target,
                            address,
                            result == ClaimOutcome.Result.ALREADY_HERE
                                    ? "Elastic IP " + address + " (" + target
                                            + ") is this instance's; no association needed"
                                    : "associated Elastic IP " + address + " (" + target
                                            + ") with this instance; the metadata" + " service showed it after "
                                            + took.toMillis() / 100 / 10.0 + " s",
                            null,
                            calls);
                }
            } catch (MetadataException e) {
                seen = "an error (" + e.getMessage() + ")";
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.compareTo(VISIBILITY_POLL) <= 0) {
                return outcome(
                        ClaimOutcome.Result.NOT_VISIBLE,
                        start,
                        target,
                        address,
                        (result == ClaimOutcome.Result.ASSOCIATED ? "associated Elastic IP " : "Elastic IP ") + address
                                + " ("
                                + target + ") is this instance's, but the metadata service still answered " + seen
                                + " for public-ipv4 when eip.deadline ran out; HTCondor starts on what it answered",
                        "seed-agent picks the address up at its next poll; if this recurs, raise eip.deadline",
                        calls);
            }
            sleeper.sleep(VISIBILITY_POLL);
        }
    }

    private ClaimOutcome failure(Ec2Exception e, Instant start, String target, String address, int calls) {
        String who = role.get() == null ? "the instance profile's role" : "the instance profile's role " + role.get();
        if (Ec2Exception.NO_CREDENTIALS.equals(e.code())) {
            return outcome(
                    ClaimOutcome.Result.DENIED,
                    start,
                    target,
                    address,
                    e.getMessage(),
                    "give the instance an instance profile with a role that allows ec2:DescribeAddresses and"
                            + " ec2:AssociateAddress (a profile without a role serves no credentials: aws iam"
                            + " add-role-to-instance-profile; README: Keeping the address)",
                    calls);
        }
        if (e.permissionDenied()) {
            return outcome(
                    ClaimOutcome.Result.DENIED,
                    start,
                    target,
                    address,
                    who + " is not allowed " + e.iamAction() + " (" + e.code() + ")",
                    "allow " + e.iamAction() + " in the role's policy (README: Keeping the" + " address)",
                    calls);
        }
        if (e.code().startsWith("InvalidAllocationID.NotFound") || e.code().startsWith("InvalidAddress.NotFound")) {
            return outcome(
                    ClaimOutcome.Result.NOT_FOUND,
                    start,
                    target,
                    address,
                    "there is no Elastic IP " + target + " in this account and region (" + e.code() + ")",
                    "allocate it, or correct the Elastic IP named" + " in /etc/seed-agent/seed-agent.conf",
                    calls);
        }
        return outcome(
                ClaimOutcome.Result.FAILED,
                start,
                target,
                address,
                e.describe(),
                e.retryable()
                        ? "check that this instance reaches the EC2 endpoint (a NAT or an EC2 VPC endpoint in a"
                                + " private subnet); seed-agent tries again at the next boot"
                        : "see EC2's message",
                calls);
    }

    private ClaimOutcome outcome(
            ClaimOutcome.Result result,
            Instant start,
            String target,
            String address,
            String detail,
            String fix,
            int calls) {
        Instant now = clock.instant();
        return new ClaimOutcome(result, start, Duration.between(start, now), target, address, detail, fix, calls);
    }
}
