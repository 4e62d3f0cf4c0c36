package org.seedagent.eip;

import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.testing.FakeEc2.ACCESS_KEY_ID;
import static org.seedagent.testing.FakeEc2.ROLE;
import static org.seedagent.testing.FakeEc2.SECRET;
import static org.seedagent.testing.FakeEc2.TOKEN;
import static org.seedagent.testing.FakeEc2.action;
import static org.seedagent.testing.FakeEc2.associateAddress;
import static org.seedagent.testing.FakeEc2.describeAddresses;
import static org.seedagent.testing.FakeEc2.error;
import static org.seedagent.testing.FakeEc2.item;
import static org.seedagent.testing.FakeEc2.requests;
import static org.seedagent.testing.FakeImds.item;
import static org.seedagent.testing.FakeImds.stubItem;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seedagent.config.ElasticIpSettings;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.testing.Await;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.FakeEc2;
import org.seedagent.testing.FakeImds;
import org.seedagent.testing.RecordingSleeper;
import org.seedagent.testing.SigV4Verifier;

/**
 * The claim against two stand-ins on 127.0.0.1: IMDSv2 (with the instance profile's credentials, served as
 * EC2 serves them) and the EC2 Query API answering with EC2's XML. Time is a fake clock moved by the sleeps.
 */
class ElasticIpClaimTest {
    @RegisterExtension
    static final WireMockExtension imds = FakeImds.extension();

    @RegisterExtension
    static final WireMockExtension ec2 = FakeImds.extension();

    static final String INSTANCE = "i-0123456789abcdef0";
    static final String OTHER = "i-0fedcba9876543210";
    static final String ALLOCATION = "eipalloc-0a1b2c3d4e5f60718";
    static final String EIP = "198.51.100.7";
    static final String EPHEMERAL = "203.0.113.10";
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private ImdsMetadataSource source;
    private InstanceProfileCredentials credentials;
    private Ec2QueryClient client;
    private ElasticIpClaim claim;

    @BeforeEach
    void setUp() {
        FakeEc2.stubInstanceProfile(imds);
        source = new ImdsMetadataSource(
                FakeImds.settings(imds, Duration.ofSeconds(2), Duration.ofSeconds(10)), clock, sleeper);
        InstanceMetadata metadata = new InstanceMetadata(source);
        credentials = new InstanceProfileCredentials(
                metadata,
                FakeImds.settings(imds, Duration.ofSeconds(2), Duration.ofSeconds(10))
                        .endpoint(),
                Duration.ofSeconds(2));
        client = new Ec2QueryClient(
                URI.create("http://127.0.0.1:" + ec2.getPort()),
                "us-east-1",
                credentials,
                Duration.ofSeconds(5),
                clock,
                sleeper,
                new SplittableRandom(7));
        claim = new ElasticIpClaim(new Ec2Addresses(client), metadata, clock, sleeper, credentials::role);
    }

    @AfterEach
    void tearDown() {
        client.close();
        source.close();
    }

    private ClaimOutcome claim(boolean allowReassociation) throws InterruptedException {
        return claim.claim(
                new ElasticIpSettings(ALLOCATION, null, allowReassociation, DEADLINE, null),
                INSTANCE,
                clock.instant().plus(DEADLINE));
    }

    /**
     * IMDS is read only after AssociateAddress: it shows the ephemeral address at the first read (EC2 takes
     * seconds to update it), the Elastic IP from then on.
     */
    private void imdsFollowsAssociation() {
        imds.stubFor(item("public-ipv4", FakeImds.TOKEN)
                .inScenario("eip")
                .whenScenarioStateIs(STARTED)
                .willReturn(ok(EPHEMERAL))
                .willSetStateTo("visible"));
        imds.stubFor(item("public-ipv4", FakeImds.TOKEN)
                .inScenario("eip")
                .whenScenarioStateIs("visible")
                .willReturn(ok(EIP)));
        ec2.stubFor(action("AssociateAddress").willReturn(associateAddress("eipassoc-0123456789abcdef0")));
    }

    @Test
    void claim_unassociated_associatesOnceAndWaitsUntilImdsShowsIt() throws Exception {
        ec2.stubFor(action("DescribeAddresses").willReturn(describeAddresses(item(EIP, ALLOCATION, null, null))));
        imdsFollowsAssociation();

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.ASSOCIATED, outcome.result(), outcome.detail());
        assertTrue(outcome.holds());
        assertEquals(EIP, outcome.address());
        assertEquals(1, outcome.associateCalls());
        assertEquals(1, requests(ec2, "AssociateAddress").size());
        assertEquals(1, requests(ec2, "DescribeAddresses").size());
        Map<String, String> form =
                SigV4Verifier.form(requests(ec2, "AssociateAddress").get(0).getBodyAsString());
        assertEquals(
                Map.of(
                        "Action",
                        "AssociateAddress",
                        "Version",
                        "2016-11-15",
                        "AllocationId",
                        ALLOCATION,
                        "InstanceId",
                        INSTANCE),
                form,
                "no AllowReassociation when it is not allowed");
        Map<String, String> describe =
                SigV4Verifier.form(requests(ec2, "DescribeAddresses").get(0).getBodyAsString());
        assertEquals(
                Map.of("Action", "DescribeAddresses", "Version", "2016-11-15", "AllocationId.1", ALLOCATION), describe);
        assertEquals(List.of(ElasticIpClaim.VISIBILITY_POLL), sleeper.sleeps(), "waited once for IMDS to show it");
        assertTrue(outcome.took().compareTo(DEADLINE) < 0);
    }

    @Test
    void requests_areSigV4SignedWithTheSessionCredentials() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        stubItem(imds, "public-ipv4", ok(EIP));

        claim(false);

        LoggedRequest request = requests(ec2, "DescribeAddresses").get(0);
        SigV4Verifier.Authorization auth = SigV4Verifier.parse(request.getHeader("Authorization"));
        assertEquals(ACCESS_KEY_ID, auth.accessKeyId());
        assertEquals("20250101", auth.date());
        assertEquals("us-east-1", auth.region());
        assertEquals("ec2", auth.service());
        for (String signed : List.of("host", "x-amz-date", "x-amz-security-token", "content-type")) {
            assertTrue(
                    List.of(auth.signedHeaders().split(";")).contains(signed), signed + " in " + auth.signedHeaders());
        }
        assertEquals("20250101T000000Z", request.getHeader("X-Amz-Date"));
        assertEquals(TOKEN, request.getHeader("X-Amz-Security-Token"));
        assertTrue(request.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertTrue(
                SigV4Verifier.valid(SECRET, "POST", "/", request::getHeader, request.getBody()),
                "the signature verifies with the role's secret key: " + request);
        assertFalse(
                SigV4Verifier.valid("another secret", "POST", "/", request::getHeader, request.getBody()),
                "and not with another");
        byte[] tampered = request.getBodyAsString()
                .replace(ALLOCATION, "eipalloc-00000000")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(SigV4Verifier.valid(SECRET, "POST", "/", request::getHeader, tampered), "the body is signed");
    }

    @Test
    void claim_alreadyAssociatedHere_makesNoAssociateCall() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        stubItem(imds, "public-ipv4", ok(EIP));

        ClaimOutcome outcome = claim(true);

        assertEquals(ClaimOutcome.Result.ALREADY_HERE, outcome.result());
        assertEquals(0, outcome.associateCalls());
        assertEquals(0, requests(ec2, "AssociateAddress").size());
        assertTrue(outcome.detail().contains("no association needed"), outcome.detail());
    }

    @Test
    void claim_heldByAnotherInstanceWithoutReassociation_namesTheHolderAndLeavesIt() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, OTHER, "eipassoc-0aaaaaaaaaaaaaaaa"))));
        stubItem(imds, "public-ipv4", ok(EPHEMERAL));

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.HELD_ELSEWHERE, outcome.result());
        assertFalse(outcome.holds());
        assertTrue(outcome.detail().contains("instance " + OTHER), outcome.detail());
        assertTrue(outcome.fix().contains("eip.allow-reassociation = true"), outcome.fix());
        assertTrue(outcome.fix().contains("eipassoc-0aaaaaaaaaaaaaaaa"), outcome.fix());
        assertEquals(0, requests(ec2, "AssociateAddress").size());
    }

    @Test
    void claim_heldByAnotherInstanceWithReassociation_takesItOver() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, OTHER, "eipassoc-0aaaaaaaaaaaaaaaa"))));
        imdsFollowsAssociation();

        ClaimOutcome outcome = claim(true);

        assertEquals(ClaimOutcome.Result.ASSOCIATED, outcome.result(), outcome.detail());
        Map<String, String> form =
                SigV4Verifier.form(requests(ec2, "AssociateAddress").get(0).getBodyAsString());
        assertEquals("true", form.get("AllowReassociation"));
        assertEquals(1, requests(ec2, "AssociateAddress").size());
    }

    @Test
    void claim_associateUnauthorized_namesTheMissingIamAction() throws Exception {
        ec2.stubFor(action("DescribeAddresses").willReturn(describeAddresses(item(EIP, ALLOCATION, null, null))));
        ec2.stubFor(
                action("AssociateAddress")
                        .willReturn(
                                error(
                                        403,
                                        "UnauthorizedOperation",
                                        "You are not authorized to perform this operation. Encoded authorization failure message: abc")));
        stubItem(imds, "public-ipv4", ok(EPHEMERAL));

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.DENIED, outcome.result());
        assertTrue(outcome.detail().contains("ec2:AssociateAddress"), outcome.detail());
        assertTrue(outcome.detail().contains(ROLE), outcome.detail());
        assertTrue(outcome.fix().contains("allow ec2:AssociateAddress"), outcome.fix());
        assertEquals(1, requests(ec2, "AssociateAddress").size(), "a refusal is not retried");
    }

    @Test
    void claim_describeUnauthorized_namesDescribeAddresses() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.")));

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.DENIED, outcome.result());
        assertTrue(outcome.detail().contains("ec2:DescribeAddresses"), outcome.detail());
    }

    @Test
    void claim_throttledThenServed_retriesWithBackoff() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .inScenario("throttle")
                .whenScenarioStateIs(STARTED)
                .willReturn(error(503, "RequestLimitExceeded", "Request limit exceeded."))
                .willSetStateTo("once"));
        ec2.stubFor(action("DescribeAddresses")
                .inScenario("throttle")
                .whenScenarioStateIs("once")
                .willReturn(error(500, "InternalError", "An internal error has occurred"))
                .willSetStateTo("served"));
        ec2.stubFor(action("DescribeAddresses")
                .inScenario("throttle")
                .whenScenarioStateIs("served")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        stubItem(imds, "public-ipv4", ok(EIP));

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.ALREADY_HERE, outcome.result(), outcome.detail());
        assertEquals(3, requests(ec2, "DescribeAddresses").size());
        assertEquals(2, sleeper.sleeps().size(), "one back-off per retry: " + sleeper.sleeps());
    }

    @Test
    void claim_ec2FailingUntilTheDeadline_failsWithinIt() throws Exception {
        ec2.stubFor(action("DescribeAddresses").willReturn(error(503, "Unavailable", "The service is unavailable.")));
        Instant start = clock.instant();

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.FAILED, outcome.result());
        assertTrue(outcome.detail().contains("Unavailable"), outcome.detail());
        assertTrue(outcome.detail().contains("deadline reached"), outcome.detail());
        assertTrue(Duration.between(start, clock.instant()).compareTo(DEADLINE) <= 0, "within the deadline");
        assertTrue(requests(ec2, "DescribeAddresses").size() > 3);
    }

    @Test
    void claim_imdsNeverShowsTheAddress_notVisibleAtTheDeadline() throws Exception {
        ec2.stubFor(action("DescribeAddresses").willReturn(describeAddresses(item(EIP, ALLOCATION, null, null))));
        ec2.stubFor(action("AssociateAddress").willReturn(associateAddress("eipassoc-0123456789abcdef0")));
        stubItem(imds, "public-ipv4", ok(EPHEMERAL));
        Instant start = clock.instant();

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.NOT_VISIBLE, outcome.result());
        assertTrue(outcome.detail().contains(EPHEMERAL), outcome.detail());
        assertEquals(1, requests(ec2, "AssociateAddress").size(), "one AssociateAddress, however long the wait");
        assertTrue(Duration.between(start, clock.instant()).compareTo(DEADLINE) <= 0);
    }

    @Test
    void claim_unknownAllocation_notFound() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(error(
                        400, "InvalidAllocationID.NotFound", "The allocation ID '" + ALLOCATION + "' does not exist")));

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.NOT_FOUND, outcome.result());
        assertEquals(1, requests(ec2, "DescribeAddresses").size(), "a client error is not retried");
    }

    @Test
    void claim_noInstanceProfile_deniedWithoutAskingEc2() throws Exception {
        stubItem(imds, InstanceProfileCredentials.LISTING, notFound());

        ClaimOutcome outcome = claim(false);

        assertEquals(ClaimOutcome.Result.DENIED, outcome.result());
        assertTrue(outcome.detail().contains("no instance profile"), outcome.detail());
        assertEquals(0, requests(ec2, "DescribeAddresses").size());
    }

    /**
     * The SDK's provider caches by the wall clock, not the test's: the credentials served expire
     * {@link InstanceProfileCredentials#REFRESH_BEFORE} plus 15 s from now, so they are due for a new read in
     * 15 s, and the test waits (polling, bounded) until a request is signed with the rotated ones.
     */
    @Test
    void credentials_nearExpiry_areReadAgainAndTheNewKeySigns() throws Exception {
        stubItem(
                imds,
                InstanceProfileCredentials.LISTING + ROLE,
                FakeEc2.credentials(
                        ACCESS_KEY_ID,
                        SECRET,
                        TOKEN,
                        FakeEc2.expiresIn(InstanceProfileCredentials.REFRESH_BEFORE.plusSeconds(15))));
        ec2.stubFor(action("DescribeAddresses").willReturn(describeAddresses()));
        Ec2Addresses addresses = new Ec2Addresses(client);

        addresses.byPublicIp(EPHEMERAL, clock.instant().plus(DEADLINE));
        addresses.byPublicIp(EPHEMERAL, clock.instant().plus(DEADLINE));
        assertEquals(1, credentialReads(), "cached while valid");
        assertEquals(ACCESS_KEY_ID, lastDescribeKey());
        stubItem(
                imds,
                InstanceProfileCredentials.LISTING + ROLE,
                FakeEc2.credentials(
                        "ASIAROTATEDKEY456789",
                        "rotatedSecret",
                        "rotatedToken",
                        FakeEc2.expiresIn(Duration.ofHours(6))));
        Duration polled = Await.that("a request signed with the rotated key", Duration.ofSeconds(90))
                .every(Duration.ofMillis(250))
                .detail(() -> "the last one was signed with " + lastDescribeKey())
                .until(() -> {
                    addresses.byPublicIp(EPHEMERAL, clock.instant().plus(DEADLINE));
                    return "ASIAROTATEDKEY456789".equals(lastDescribeKey());
                });

        System.out.printf("credentials read again after %.1f s of polling%n", polled.toMillis() / 1e3);
        LoggedRequest last = lastDescribe();
        assertEquals(
                "ASIAROTATEDKEY456789",
                SigV4Verifier.parse(last.getHeader("Authorization")).accessKeyId());
        assertEquals("rotatedToken", last.getHeader("X-Amz-Security-Token"));
        assertTrue(SigV4Verifier.valid("rotatedSecret", "POST", "/", last::getHeader, last.getBody()));
        assertEquals(2, credentialReads(), "read once more, not at every request");
    }

    /** An interrupt (the daemon stopping) is an InterruptedException, not an SDK error, and asks nothing more. */
    @Test
    void credentials_interrupted_interruptedExceptionNoRequest() throws Exception {
        credentials.get();
        int readsBefore = credentialReads();
        Thread.currentThread().interrupt();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(InterruptedException.class, credentials::get);
        } finally {
            Thread.interrupted();
        }
        assertEquals(readsBefore, credentialReads());
    }

    /** IMDSv2 only: when the provider cannot get a token it fails, and never asks for the credentials without one. */
    @Test
    void credentials_tokenRefusedToTheProvider_failWithoutAskingWithoutAToken() throws Exception {
        ec2.stubFor(action("DescribeAddresses").willReturn(describeAddresses()));
        new Ec2Addresses(client).byPublicIp(EPHEMERAL, clock.instant().plus(DEADLINE));
        int tokensBefore = FakeImds.tokenRequests(imds);
        imds.stubFor(FakeImds.tokenRequest()
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable()));
        credentials.invalidate();

        Ec2Exception e = org.junit.jupiter.api.Assertions.assertThrows(Ec2Exception.class, credentials::get);

        assertEquals(Ec2Exception.NO_CREDENTIALS, e.code());
        assertTrue(e.getMessage().contains("(role " + ROLE + ") could not be read from"), e.getMessage());
        assertTrue(FakeImds.tokenRequests(imds) > tokensBefore, "the provider asked for a token");
        assertEquals(
                0,
                imds.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching(
                                                "/latest/meta-data/.*"))
                                .withoutHeader(FakeImds.TOKEN_HEADER))
                        .size(),
                "no IMDSv1 request");
    }

    private int credentialReads() {
        return imds.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                                "/latest/meta-data/iam/security-credentials/" + ROLE)))
                .size();
    }

    private LoggedRequest lastDescribe() {
        List<LoggedRequest> all = requests(ec2, "DescribeAddresses");
        return all.get(all.size() - 1);
    }

    private String lastDescribeKey() {
        return SigV4Verifier.parse(lastDescribe().getHeader("Authorization")).accessKeyId();
    }

    @Test
    void credentials_refusedByEc2_areReadAgainOnce() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .inScenario("auth")
                .whenScenarioStateIs(STARTED)
                .willReturn(error(401, "AuthFailure", "AWS was not able to validate the provided access credentials"))
                .willSetStateTo("ok"));
        ec2.stubFor(action("DescribeAddresses")
                .inScenario("auth")
                .whenScenarioStateIs("ok")
                .willReturn(describeAddresses()));

        List<Ec2Address> found =
                new Ec2Addresses(client).byPublicIp(EPHEMERAL, clock.instant().plus(DEADLINE));

        assertTrue(found.isEmpty());
        assertEquals(2, requests(ec2, "DescribeAddresses").size());
    }

    @Test
    void answer_withADoctype_isRejectedNotExpanded() throws Exception {
        ec2.stubFor(action("DescribeAddresses")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withStatus(200)
                        .withBody("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                                + "<DescribeAddressesResponse><addressesSet><item><publicIp>&x;</publicIp></item></addressesSet>"
                                + "</DescribeAddressesResponse>")));

        Ec2Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                Ec2Exception.class,
                () -> new Ec2Addresses(client)
                        .byPublicIp(EPHEMERAL, clock.instant().plus(DEADLINE)));

        assertEquals(Ec2Exception.BAD_RESPONSE, e.code());
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    @Test
    void addressFact_tellsElasticEphemeralAndUnknown() throws Exception {
        Ec2Addresses addresses = new Ec2Addresses(client);
        Instant now = clock.instant();
        ec2.stubFor(action("DescribeAddresses").willReturn(describeAddresses()));
        AddressFact ephemeral =
                ElasticIpWatch.AddressFacts.ask(addresses, ROLE, EPHEMERAL, INSTANCE, now, now.plus(DEADLINE));
        assertEquals(AddressFact.Kind.EPHEMERAL, ephemeral.kind());
        assertEquals("an ephemeral address: the next stop/start changes it", ephemeral.detail());
        Map<String, String> form =
                SigV4Verifier.form(requests(ec2, "DescribeAddresses").get(0).getBodyAsString());
        assertEquals("public-ip", form.get("Filter.1.Name"));
        assertEquals(EPHEMERAL, form.get("Filter.1.Value.1"));

        ec2.stubFor(action("DescribeAddresses")
                .willReturn(describeAddresses(item(EIP, ALLOCATION, INSTANCE, "eipassoc-0123456789abcdef0"))));
        AddressFact elastic = ElasticIpWatch.AddressFacts.ask(addresses, ROLE, EIP, INSTANCE, now, now.plus(DEADLINE));
        assertEquals(AddressFact.Kind.ELASTIC, elastic.kind());
        assertEquals("Elastic IP " + ALLOCATION + ": survives stop/start", elastic.detail());
        assertNull(elastic.fix());

        ec2.stubFor(action("DescribeAddresses")
                .willReturn(error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.")));
        AddressFact unknown = ElasticIpWatch.AddressFacts.ask(addresses, ROLE, EIP, INSTANCE, now, now.plus(DEADLINE));
        assertEquals(AddressFact.Kind.UNKNOWN, unknown.kind());
        assertTrue(unknown.detail().startsWith("unknown: "), unknown.detail());
        assertTrue(unknown.detail().contains("ec2:DescribeAddresses"), unknown.detail());
    }
}
