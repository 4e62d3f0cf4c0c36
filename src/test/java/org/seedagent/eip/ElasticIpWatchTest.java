package org.seedagent.eip;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.testing.FakeEc2.action;
import static org.seedagent.testing.FakeEc2.associateAddress;
import static org.seedagent.testing.FakeEc2.describeAddresses;
import static org.seedagent.testing.FakeEc2.item;
import static org.seedagent.testing.FakeEc2.requests;
import static org.seedagent.testing.FakeImds.stubItem;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.AgentConfigLoader;
import org.seedagent.config.ConfigKey;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.FakeEc2;
import org.seedagent.testing.FakeImds;
import org.seedagent.testing.RecordingSleeper;

/** The daemon's side: the claim at boot, the watch at polls (when it asks EC2, and how often), the fact. */
class ElasticIpWatchTest {
    @RegisterExtension
    static final WireMockExtension imds = FakeImds.extension();

    @RegisterExtension
    static final WireMockExtension ec2 = FakeImds.extension();

    static final String INSTANCE = ElasticIpClaimTest.INSTANCE;
    static final String OTHER = ElasticIpClaimTest.OTHER;
    static final String ALLOCATION = ElasticIpClaimTest.ALLOCATION;
    static final String EIP = ElasticIpClaimTest.EIP;
    static final Optional<Ipv4Address> EPHEMERAL = Optional.of(Ipv4Address.parse(ElasticIpClaimTest.EPHEMERAL));

    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private ImdsMetadataSource source;
    private InstanceMetadata metadata;
    private ElasticIpWatch watch;
    private final InstanceFacts facts = new InstanceFacts(INSTANCE, "m6i.large", "us-east-1", "on-demand", null);

    @BeforeEach
    void setUp() {
        FakeEc2.stubInstanceProfile(imds);
        stubItem(imds, "instance-id", ok(INSTANCE));
        stubItem(imds, "instance-type", ok("m6i.large"));
        stubItem(imds, "placement/region", ok("us-east-1"));
        stubItem(imds, "instance-life-cycle", ok("on-demand"));
        stubItem(imds, "local-ipv4", ok("172.31.16.20"));
        stubItem(imds, "public-ipv4", ok(EIP));
        source = new ImdsMetadataSource(
                FakeImds.settings(imds, Duration.ofSeconds(2), Duration.ofSeconds(10)), clock, sleeper);
        metadata = new InstanceMetadata(source);
        watch = new ElasticIpWatch(clock, sleeper);
    }

    @AfterEach
    void tearDown() {
        watch.close();
        source.close();
    }

    private AgentConfig config(boolean allowReassociation) throws Exception {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        values.put(ConfigKey.EIP_ALLOCATION_ID, ALLOCATION);
        values.put(ConfigKey.EIP_ALLOW_REASSOCIATION, String.valueOf(allowReassociation));
        values.put(ConfigKey.EC2_ENDPOINT, "http://127.0.0.1:" + ec2.getPort());
        values.put(ConfigKey.METADATA_ENDPOINT, "http://127.0.0.1:" + imds.getPort());
        return new AgentConfigLoader().fromValues(null, values);
    }

    @Test
    void claimAtBoot_notConfigured_asksNothing() throws Exception {
        assertNull(watch.claimAtBoot(new AgentConfigLoader().defaults(), metadata));
        assertEquals(0, FakeImds.itemRequests(imds));
    }

    @Test
    void watchAtPoll_addressStillHere_noEc2Request() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        AgentConfig config = config(true);
        assertTrue(watch.claimAtBoot(config, metadata).holds());

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertFalse(
                    watch.watchAtPoll(config, metadata, Optional.of(Ipv4Address.parse(EIP)), facts, clock.instant()));
        }
        assertEquals(1, requests(ec2, "DescribeAddresses").size(), "only the boot's");
    }

    @Test
    void watchAtPoll_takenAwayWithoutReassociation_reportsTheLossAndCallsNothing() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        AgentConfig config = config(false);
        watch.claimAtBoot(config, metadata);

        clock.advance(Duration.ofMinutes(1));
        assertFalse(watch.watchAtPoll(config, metadata, EPHEMERAL, facts, clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        assertFalse(watch.watchAtPoll(config, metadata, EPHEMERAL, facts, clock.instant()));

        assertEquals(ClaimOutcome.Result.HELD_ELSEWHERE, watch.lastClaim().result());
        assertTrue(
                watch.lastClaim().detail().contains("was taken away"),
                watch.lastClaim().detail());
        assertTrue(
                watch.lastClaim().fix().contains("eip.allow-reassociation = true"),
                watch.lastClaim().fix());
        assertEquals(1, requests(ec2, "DescribeAddresses").size());
        assertEquals(0, requests(ec2, "AssociateAddress").size());
        assertEquals("held-elsewhere", watch.lastClaim().toMap().get("result"));

        // The administrator gives it back by hand: the failure is over, still without a request.
        clock.advance(Duration.ofMinutes(1));
        assertFalse(watch.watchAtPoll(config, metadata, Optional.of(Ipv4Address.parse(EIP)), facts, clock.instant()));
        assertEquals(ClaimOutcome.Result.ALREADY_HERE, watch.lastClaim().result());
        assertEquals(1, requests(ec2, "DescribeAddresses").size());
    }

    @Test
    void watchAtPoll_takenAwayWithReassociation_takesItBackAtMostOncePerPollInterval() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        AgentConfig config = config(true);
        watch.claimAtBoot(config, metadata);
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, OTHER, "eipassoc-0aaaaaaaaaaaaaaaa"))));
        ec2.stubFor(action("AssociateAddress").willReturn(associateAddress("eipassoc-0bbbbbbbbbbbbbbbb")));

        clock.advance(Duration.ofMinutes(1));
        assertTrue(watch.watchAtPoll(config, metadata, EPHEMERAL, facts, clock.instant()), "taken back");
        assertEquals(1, requests(ec2, "AssociateAddress").size());
        assertEquals(
                "true",
                org.seedagent.testing.SigV4Verifier.form(
                                requests(ec2, "AssociateAddress").get(0).getBodyAsString())
                        .get("AllowReassociation"));

        // Taken again at once (the other instance fights back): not before a poll interval has passed.
        clock.advance(Duration.ofSeconds(5));
        assertFalse(watch.watchAtPoll(config, metadata, EPHEMERAL, facts, clock.instant()));
        assertEquals(1, requests(ec2, "AssociateAddress").size(), "at most once per poll interval");
        clock.advance(config.pollInterval());
        watch.watchAtPoll(config, metadata, EPHEMERAL, facts, clock.instant());
        assertEquals(2, requests(ec2, "AssociateAddress").size());
    }

    @Test
    void assess_afterAClaim_answersFromItWithoutAskingAgain() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        AgentConfig config = config(false);
        watch.claimAtBoot(config, metadata);

        AddressFact fact = watch.assess(config, metadata, EIP, facts);

        assertEquals(AddressFact.Kind.ELASTIC, fact.kind());
        assertEquals(1, requests(ec2, "DescribeAddresses").size());
    }

    @Test
    void assess_noInstanceProfile_unknownWithoutEc2() throws Exception {
        stubItem(imds, InstanceProfileCredentials.LISTING, com.github.tomakehurst.wiremock.client.WireMock.notFound());

        AddressFact fact =
                watch.assess(new AgentConfigLoader().defaults(), metadata, ElasticIpClaimTest.EPHEMERAL, facts);

        assertEquals(AddressFact.Kind.UNKNOWN, fact.kind());
        assertTrue(
                fact.detail().contains("the metadata service serves no instance profile credentials"), fact.detail());
        assertEquals(
                0,
                ec2.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))
                        .size());
    }
}
