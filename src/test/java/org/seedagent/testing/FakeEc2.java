package org.seedagent.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * An EC2 Query API stand-in in WireMock, answering with the documents EC2 sends (API version 2016-11-15):
 * DescribeAddressesResponse, AssociateAddressResponse, and the error document
 * {@code <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>}. And the
 * instance profile's credentials as IMDS serves them.
 */
public final class FakeEc2 {
    public static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static final String ROLE = "seed-role";
    public static final String ACCESS_KEY_ID = "ASIAFAKEACCESSKEY123";
    public static final String SECRET = "fakeSecretKeyForTests/abcdefghijklmnopqrstuv";
    public static final String TOKEN = "IQoJb3JpZ2luX2VjEFakeSessionTokenForTests==";

    private FakeEc2() {}

    /** A request for {@code action}: a form POST to / naming it. */
    public static MappingBuilder action(String action) {
        return post(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
    }

    public static List<LoggedRequest> requests(WireMockExtension ec2, String action) {
        return ec2.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=" + action + "&")));
    }

    /** One addressesSet item; null fields are left out, as EC2 does. */
    public static String item(String publicIp, String allocationId, String instanceId, String associationId) {
        StringBuilder x = new StringBuilder("<item>");
        x.append("<publicIp>").append(publicIp).append("</publicIp>");
        x.append("<allocationId>").append(allocationId).append("</allocationId>");
        x.append("<domain>vpc</domain>");
        if (instanceId != null) {
            x.append("<instanceId>").append(instanceId).append("</instanceId>");
            x.append("<associationId>").append(associationId).append("</associationId>");
            x.append("<networkInterfaceId>eni-0a1b2c3d4e5f60718</networkInterfaceId>");
            x.append("<networkInterfaceOwnerId>123456789012</networkInterfaceOwnerId>");
            x.append("<privateIpAddress>172.31.16.20</privateIpAddress>");
        }
        x.append("<tagSet><item><key>Name</key><value>pool</value></item></tagSet>");
        x.append("<publicIpv4Pool>amazon</publicIpv4Pool><networkBorderGroup>us-east-1</networkBorderGroup>");
        return x.append("</item>").toString();
    }

    public static ResponseDefinitionBuilder describeAddresses(String... items) {
        return xml(
                200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeAddressesResponse xmlns=\"" + NS + "\">"
                        + "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><addressesSet>"
                        + String.join("", items)
                        + "</addressesSet></DescribeAddressesResponse>");
    }

    public static ResponseDefinitionBuilder associateAddress(String associationId) {
        return xml(
                200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AssociateAddressResponse xmlns=\"" + NS + "\">"
                        + "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><return>true</return>"
                        + "<associationId>" + associationId + "</associationId></AssociateAddressResponse>");
    }

    public static ResponseDefinitionBuilder error(int status, String code, String message) {
        return xml(
                status,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error></Errors>"
                        + "<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>");
    }

    private static ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody(body);
    }

    /**
     * An Expiration {@code d} from now by the wall clock, as EC2 writes it: the SDK's provider decides when to
     * read credentials again by the wall clock, which a test's FakeClock does not move.
     */
    public static String expiresIn(java.time.Duration d) {
        return java.time.Instant.now()
                .plus(d)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
    }

    /** The role's credentials document as IMDS serves it at iam/security-credentials/ROLE. */
    /**
     * IMDS serving an instance profile: a session token, the role's name under iam/security-credentials/ and its
     * credentials ({@link #ACCESS_KEY_ID}, {@link #SECRET}, {@link #TOKEN}, six hours left).
     */
    public static void stubInstanceProfile(WireMockExtension imds) {
        FakeImds.stubToken(imds);
        FakeImds.stubItem(imds, "iam/security-credentials/", ok(ROLE));
        FakeImds.stubItem(
                imds,
                "iam/security-credentials/" + ROLE,
                credentials(ACCESS_KEY_ID, SECRET, TOKEN, expiresIn(java.time.Duration.ofHours(6))));
    }

    public static ResponseDefinitionBuilder credentials(
            String accessKeyId, String secret, String token, String expiration) {
        return ok(
                "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2025-01-01T00:00:00Z\",\n  \"Type\" : \"AWS-HMAC\",\n"
                        + "  \"AccessKeyId\" : \"" + accessKeyId + "\",\n  \"SecretAccessKey\" : \"" + secret + "\",\n"
                        + "  \"Token\" : \"" + token + "\",\n  \"Expiration\" : \"" + expiration + "\"\n}");
    }
}
