package org.seedagent.eip;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.testing.FakeEc2.ACCESS_KEY_ID;
import static org.seedagent.testing.FakeEc2.action;
import static org.seedagent.testing.FakeEc2.error;
import static org.seedagent.testing.FakeEc2.requests;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.FakeEc2;
import org.seedagent.testing.FakeImds;
import org.seedagent.testing.RecordingSleeper;

/**
 * Issue 21: the hop limit in force, read with one DescribeInstances (the instance cannot read it from inside),
 * against IMDS and EC2 stand-ins on 127.0.0.1 answering as EC2 does (metadataOptions as in EC2's
 * DescribeInstances XML: state, httpTokens, httpPutResponseHopLimit, httpEndpoint).
 */
class MetadataOptionsTest {
    @RegisterExtension
    static final WireMockExtension imds = FakeImds.extension();

    @RegisterExtension
    static final WireMockExtension ec2 = FakeImds.extension();

    static final String INSTANCE = "i-0123456789abcdef0";

    private final FakeClock clock = new FakeClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private ImdsMetadataSource source;
    private Ec2QueryClient client;

    @BeforeEach
    void setUp() {
        FakeEc2.stubInstanceProfile(imds);
        source = new ImdsMetadataSource(
                FakeImds.settings(imds, Duration.ofSeconds(2), Duration.ofSeconds(10)), clock, sleeper);
        InstanceProfileCredentials credentials = new InstanceProfileCredentials(
                new InstanceMetadata(source),
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
    }

    @AfterEach
    void tearDown() {
        client.close();
        source.close();
    }

    static String describeInstances(String metadataOptions) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"" + FakeEc2.NS + "\">\n"
                + "  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>\n  <reservationSet>\n    <item>\n"
                + "      <reservationId>r-0123456789abcdef0</reservationId>\n      <ownerId>123456789012</ownerId>\n"
                + "      <groupSet/>\n      <instancesSet>\n        <item>\n          <instanceId>" + INSTANCE
                + "</instanceId>\n          <instanceState><code>16</code><name>running</name></instanceState>\n"
                + "          <tagSet><item><key>Name</key><value>seed</value></item></tagSet>\n"
                + metadataOptions + "        </item>\n      </instancesSet>\n    </item>\n  </reservationSet>\n"
                + "</DescribeInstancesResponse>\n";
    }

    static String options(String tokens, int hopLimit, String state) {
        return "          <metadataOptions>\n            <state>" + state + "</state>\n            <httpTokens>"
                + tokens
                + "</httpTokens>\n            <httpPutResponseHopLimit>" + hopLimit + "</httpPutResponseHopLimit>\n"
                + "            <httpEndpoint>enabled</httpEndpoint>\n            <httpProtocolIpv6>disabled"
                + "</httpProtocolIpv6>\n            <instanceMetadataTags>disabled</instanceMetadataTags>\n"
                + "          </metadataOptions>\n";
    }

    @Test
    void read_theInstancesOptions_oneSignedDescribeInstancesForThisInstance() throws Exception {
        ec2.stubFor(action("DescribeInstances")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody(describeInstances(options("required", 2, "applied")))));

        MetadataOptions.Read read =
                MetadataOptions.read(client, INSTANCE, clock.instant().plusSeconds(30));

        assertNull(read.notRead());
        assertEquals(new MetadataOptions("required", 2, "enabled", "applied"), read.options());
        var requests = requests(ec2, "DescribeInstances");
        assertEquals(1, requests.size());
        String body = requests.get(0).getBodyAsString();
        assertTrue(body.contains("InstanceId.1=" + INSTANCE), body);
        assertTrue(
                requests.get(0)
                        .getHeader("Authorization")
                        .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/"),
                requests.get(0).getHeader("Authorization"));
    }

    @Test
    void read_roleWithoutDescribeInstances_saysWhichPermission() throws Exception {
        ec2.stubFor(action("DescribeInstances")
                .willReturn(
                        error(403, "UnauthorizedOperation", "You are not authorized" + " to perform this operation.")));

        MetadataOptions.Read read =
                MetadataOptions.read(client, INSTANCE, clock.instant().plusSeconds(30));

        assertNull(read.options());
        assertEquals(
                "the instance profile's role does not allow ec2:DescribeInstances (optional: grant it to let check"
                        + " read the hop limit)",
                read.notRead());
    }

    @Test
    void read_noMetadataOptionsOrAHopLimitNotANumber_saysSo() throws Exception {
        ec2.stubFor(action("DescribeInstances")
                .willReturn(aResponse().withStatus(200).withBody(describeInstances(""))));
        assertEquals(
                "DescribeInstances answered without metadataOptions for " + INSTANCE,
                MetadataOptions.read(client, INSTANCE, clock.instant().plusSeconds(30))
                        .notRead());

        ec2.stubFor(action("DescribeInstances")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withBody(describeInstances(
                                options("required", 1, "applied").replace(">1<", ">one<")))));
        assertEquals(
                "DescribeInstances answered a hop limit that is not a number",
                MetadataOptions.read(client, INSTANCE, clock.instant().plusSeconds(30))
                        .notRead());
        assertTrue(new String(requests(ec2, "DescribeInstances").get(0).getBody(), StandardCharsets.UTF_8)
                .contains("Action=DescribeInstances"));
    }
}
