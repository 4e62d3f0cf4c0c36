package org.seedagent.eip;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.ElasticIpSettings;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of Elastic IPs, out of SeedDaemon: the claim at boot (only when {@code eip.*} names
 * one), the watch for the address being taken away at each poll (no request unless the metadata service
 * shows another address), and the fact whether the address in force is an Elastic IP, asked at boot and
 * after a change of address, never at every poll. The EC2 client is built on first use, so a daemon that
 * never reaches EC2 (no instance profile, or no public address) never loads it.
 */
public final class ElasticIpWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ElasticIpWatch.class);

    private final Clock clock;
    private final Sleeper sleeper;
    private InstanceMetadata metadata;
    private InstanceProfileCredentials credentials;
    private Ec2QueryClient client;
    private URI clientEndpoint;
    private ClaimOutcome lastClaim;
    /** The Elastic IP's address, once a claim left it with this instance; null before. */
    private String heldAddress;
    /** When a poll last tried to take the address back; at most once per poll interval. */
    private Instant lastReclaim;
    /** The address the metadata service showed instead of the Elastic IP, as last logged. */
    private String takenAwayLogged;

    private AddressFact fact;

    public ElasticIpWatch(Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * The claim at boot, before the fragment is written; null when no Elastic IP is configured. Never throws
     * for EC2: a failed claim is logged and returned, and the boot goes on with the address the instance has.
     *
     * @throws MetadataException when the metadata service does not answer: the boot sync's own fallback applies
     */
    public ClaimOutcome claimAtBoot(AgentConfig config, InstanceMetadata metadata)
            throws MetadataException, InterruptedException {
        ElasticIpSettings settings = config.elasticIp();
        if (!settings.claims()) {
            return null;
        }
        Instant start = clock.instant();
        Instant deadline = start.plus(settings.deadline());
        metadata.publicIpv4();
        InstanceFacts facts = metadata.facts();
        ClaimOutcome outcome;
        if (facts.instanceId() == null || facts.region() == null) {
            outcome = new ClaimOutcome(
                    ClaimOutcome.Result.FAILED,
                    start,
                    Duration.between(start, clock.instant()),
                    settings.target(),
                    settings.address(),
                    "the instance id or region could not be read from the" + " metadata service, so Elastic IP "
                            + settings.target() + " was not claimed",
                    "seed-agent tries again at the next boot; check the metadata service",
                    0);
        } else {
            outcome = claim(config, metadata, facts, deadline);
        }
        remember(outcome);
        report(outcome);
        return outcome;
    }

    /**
     * At a poll, with the address the metadata service shows: when the Elastic IP this instance held is no
     * longer its public address, says so once, and takes it back only when re-association is allowed, at most
     * once per poll interval. Returns whether it did (the caller reads the address again).
     */
    public boolean watchAtPoll(
            AgentConfig config, InstanceMetadata metadata, Optional<Ipv4Address> seen, InstanceFacts facts, Instant now)
            throws InterruptedException {
        ElasticIpSettings settings = config.elasticIp();
        if (!settings.claims()
                || lastClaim == null
                || heldAddress == null
                || !Objects.equals(settings.target(), lastClaim.target())) {
            // Never held here (the boot's claim failed): nothing was taken away; the next boot claims again.
            return false;
        }
        String eip = heldAddress;
        String shown = seen.map(Ipv4Address::text).orElse(null);
        if (eip.equals(shown)) {
            takenAwayLogged = null;
            if (!lastClaim.holds()) {
                // Shown late (NOT_VISIBLE), given back by hand, or taken back by an earlier poll's claim.
                lastClaim = new ClaimOutcome(
                        ClaimOutcome.Result.ALREADY_HERE,
                        now,
                        Duration.ZERO,
                        settings.target(),
                        eip,
                        "Elastic IP " + eip + " (" + settings.target() + ") is this instance's public address again",
                        null,
                        lastClaim.associateCalls());
                log.info("{}", lastClaim.detail());
            }
            return false;
        }
        if (lastClaim.result() == ClaimOutcome.Result.NOT_VISIBLE) {
            return false; // associated, the metadata service not showing it yet: no second AssociateAddress
        }
        if (!Objects.equals(takenAwayLogged, shown)) {
            takenAwayLogged = shown;
            log.warn(
                    "Elastic IP {} ({}) is no longer this instance's public address (the metadata service shows {}); {}",
                    eip,
                    settings.target(),
                    shown == null ? "no public IPv4" : shown,
                    settings.allowReassociation()
                            ? "taking it back (eip.allow-reassociation = true)"
                            : "not taking it back: eip.allow-reassociation is false");
        }
        if (!settings.allowReassociation()) {
            lastClaim = new ClaimOutcome(
                    ClaimOutcome.Result.HELD_ELSEWHERE,
                    now,
                    Duration.ZERO,
                    settings.target(),
                    eip,
                    "Elastic IP " + eip + " (" + settings.target() + ") was taken away from this instance (the metadata"
                            + " service shows " + (shown == null ? "no public IPv4" : shown) + ")",
                    "associate it again (aws ec2 associate-address --instance-id " + facts.instanceId()
                            + " --allocation-id <eipalloc-id>) and find out what took it, or set"
                            + " eip.allow-reassociation = true",
                    lastClaim.associateCalls());
            return false;
        }
        if (facts.instanceId() == null || facts.region() == null) {
            return false;
        }
        if (lastReclaim != null && Duration.between(lastReclaim, now).compareTo(config.pollInterval()) < 0) {
            return false;
        }
        lastReclaim = now;
        ClaimOutcome outcome = claim(config, metadata, facts, now.plus(settings.deadline()));
        remember(outcome);
        report(outcome);
        return outcome.holds();
    }

    /** Keeps the outcome, and the Elastic IP's address once this instance has held it. */
    private void remember(ClaimOutcome outcome) {
        lastClaim = outcome;
        if ((outcome.holds() || outcome.result() == ClaimOutcome.Result.NOT_VISIBLE) && outcome.address() != null) {
            heldAddress = outcome.address();
        }
    }

    /**
     * Asks EC2 whether {@code address}, this instance's public address, is an Elastic IP. Null address (no
     * public IPv4): nothing asked, the fact is cleared.
     */
    public AddressFact assess(AgentConfig config, InstanceMetadata metadata, String address, InstanceFacts facts)
            throws InterruptedException {
        Instant now = clock.instant();
        if (address == null) {
            fact = null;
            return null;
        }
        if (lastClaim != null
                && lastClaim.holds()
                && address.equals(lastClaim.address())
                && lastClaim.target().startsWith("eipalloc-")) {
            // The claim has just asked EC2: no second request.
            fact = AddressFact.elastic(now, address, lastClaim.target());
            return fact;
        }
        if (facts.region() == null) {
            fact = AddressFact.unknown(
                    now,
                    address,
                    "the region could not be read from the metadata service",
                    "run seed-agent check again; check the metadata service");
            return fact;
        }
        try {
            // Credentials first: without an instance profile nothing of the EC2 client is loaded at all.
            credentialsFor(config, metadata).get();
        } catch (Ec2Exception e) {
            fact = AddressFacts.unknown(e, null, address, now);
            log.debug("public address {}: {}", address, fact.detail());
            return fact;
        }
        fact = AddressFacts.ask(
                addresses(config, metadata, facts.region()),
                credentials.role(),
                address,
                facts.instanceId(),
                now,
                now.plus(config.elasticIp().deadline()));
        log.debug("public address {}: {}", address, fact.detail());
        return fact;
    }

    /**
     * The instance's metadata options (one DescribeInstances), through the same EC2 session: what {@code check}
     * reports beside IMDSv1. Never throws for EC2 or credentials; says why not.
     */
    public MetadataOptions.Read metadataOptions(AgentConfig config, InstanceMetadata metadata, InstanceFacts facts)
            throws InterruptedException {
        if (facts.instanceId() == null || facts.region() == null) {
            return MetadataOptions.Read.not("the instance id or region could not be read from the metadata service");
        }
        try {
            credentialsFor(config, metadata).get();
        } catch (Ec2Exception e) {
            return MetadataOptions.Read.not(e.getMessage());
        }
        return MetadataOptions.read(
                client(config, metadata, facts.region()),
                facts.instanceId(),
                clock.instant().plus(config.elasticIp().deadline()));
    }

    public AddressFact fact() {
        return fact;
    }

    public ClaimOutcome lastClaim() {
        return lastClaim;
    }

    private ClaimOutcome claim(AgentConfig config, InstanceMetadata metadata, InstanceFacts facts, Instant deadline)
            throws InterruptedException {
        Ec2Addresses ec2 = addresses(config, metadata, facts.region());
        return new ElasticIpClaim(ec2, metadata, clock, sleeper, credentials::role)
                .claim(config.elasticIp(), facts.instanceId(), deadline);
    }

    private void report(ClaimOutcome outcome) {
        if (outcome.holds()) {
            log.info("{}", outcome.detail());
        } else {
            log.error("{}; fix: {}", outcome.detail(), outcome.fix());
        }
    }

    private Ec2Addresses addresses(AgentConfig config, InstanceMetadata metadata, String region) {
        return new Ec2Addresses(client(config, metadata, region));
    }

    private Ec2QueryClient client(AgentConfig config, InstanceMetadata metadata, String region) {
        URI endpoint = Ec2QueryClient.endpointFor(region, config.elasticIp().ec2Endpoint());
        credentialsFor(config, metadata);
        if (client == null || !endpoint.equals(clientEndpoint)) {
            closeClient();
            client = new Ec2QueryClient(
                    endpoint, region, credentials, config.requestTimeout().multipliedBy(5), clock, sleeper);
            clientEndpoint = endpoint;
        }
        return client;
    }

    private InstanceProfileCredentials credentialsFor(AgentConfig config, InstanceMetadata source) {
        if (this.metadata != source || credentials == null) {
            // New credentials (another metadata client, after a reload): the EC2 client signs with them from now on.
            close();
            this.metadata = source;
            credentials = new InstanceProfileCredentials(source, config.metadataEndpoint(), config.requestTimeout());
        }
        return credentials;
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() {
        closeClient();
        if (credentials != null) {
            credentials.close();
            credentials = null;
        }
    }

    /** Turns what DescribeAddresses said, or why it could not be asked, into the fact. */
    static final class AddressFacts {
        private AddressFacts() {}

        static AddressFact ask(
                Ec2Addresses ec2, String role, String address, String instanceId, Instant now, Instant deadline)
                throws InterruptedException {
            try {
                List<Ec2Address> found = ec2.byPublicIp(address, deadline);
                if (found.isEmpty()) {
                    return AddressFact.ephemeral(now, address);
                }
                Ec2Address eip = found.get(0);
                if (instanceId != null && eip.instanceId() != null && !eip.associatedWith(instanceId)) {
                    return AddressFact.unknown(
                            now,
                            address,
                            "EC2 says Elastic IP " + address + " ("
                                    + eip.allocationId() + ") is associated with " + eip.holder()
                                    + ", not this instance "
                                    + instanceId,
                            "run seed-agent check again in a minute");
                }
                return AddressFact.elastic(now, address, eip.allocationId());
            } catch (Ec2Exception e) {
                return unknown(e, role, address, now);
            }
        }

        static AddressFact unknown(Ec2Exception e, String role, String address, Instant now) {
            if (Ec2Exception.NO_CREDENTIALS.equals(e.code())) {
                return AddressFact.unknown(
                        now,
                        address,
                        e.getMessage(),
                        "give the instance an instance profile with a role that allows ec2:DescribeAddresses (a"
                                + " profile without a role serves no credentials: aws iam add-role-to-instance-profile)");
            }
            if (e.permissionDenied()) {
                return AddressFact.unknown(
                        now,
                        address,
                        "the instance profile's role" + (role == null ? "" : " " + role)
                                + " is not allowed ec2:DescribeAddresses (" + e.code() + ")",
                        "allow ec2:DescribeAddresses in the role's policy (README: Keeping the address)");
            }
            return AddressFact.unknown(
                    now,
                    address,
                    "EC2 could not be asked: " + e.describe(),
                    "check that this instance reaches the EC2 endpoint");
        }
    }
}
