package org.seedagent.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The EC2 side of the emulator: the instance profile's credentials as IMDS serves them, and the EC2 Query
 * API actions seed-agent makes (DescribeAddresses, AssociateAddress for one Elastic IP; DescribeInstances for
 * this instance's metadata options; version 2016-11-15), answered with EC2's XML and error documents. Requests must be SigV4-signed with the served
 * credentials (checked as EC2 does: the signature over the canonical request). After an association the
 * metadata service shows the new public address only after {@link #VISIBILITY_LAG}, as on EC2.
 *
 * <p>Not thread-safe on its own: the emulator serves requests on one thread.
 */
final class Ec2Emulator {
    static final String ROLE = "seed-annex";
    static final String ACCESS_KEY_ID = "ASIAEMULATOREXAMPLE1";
    static final String SECRET = "emulatorSecretAccessKeyEXAMPLEKEY0123456";
    static final Duration VISIBILITY_LAG = Duration.ofSeconds(2);
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Pattern AUTHORIZATION =
            Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/ec2/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    private final Clock clock;
    private final Map<String, String> items;
    private final String token;
    private final String elasticIp;
    private final String allocationId;
    private final Set<String> denied;
    private String holder;
    private String association;
    private Instant visibleAt;
    private final AtomicLong associateCalls = new AtomicLong();
    private final AtomicLong describeCalls = new AtomicLong();

    /**
     * @param elasticIp the Elastic IP the account has, or null for none (DescribeAddresses finds nothing)
     * @param holder the instance it is associated with at the start, or null
     * @param denied actions the role is not allowed (answered 403 UnauthorizedOperation)
     */
    Ec2Emulator(Clock clock, Map<String, String> items, String elasticIp, String holder, Set<String> denied) {
        this.clock = clock;
        this.items = items;
        this.elasticIp = elasticIp;
        this.allocationId = elasticIp == null ? null : allocationIdOf(elasticIp);
        this.holder = holder;
        this.association = holder == null ? null : "eipassoc-" + allocationId.substring("eipalloc-".length());
        this.denied = Set.copyOf(denied);
        this.token = "IQoJb3JpZ2luX2VjEmulatorSessionToken" + Long.toHexString(clock.millis());
        items.put("iam/security-credentials/", ROLE);
        refreshCredentials();
        if (holder != null && holder.equals(items.get("instance-id"))) {
            items.put("public-ipv4", elasticIp);
        }
    }

    /** The allocation id the emulator gives {@code address}: stable, so a configuration can name it. */
    static String allocationIdOf(String address) {
        long n = 0;
        for (String octet : address.split("\\.")) {
            n = n * 256 + Integer.parseInt(octet);
        }
        return String.format("eipalloc-0e%015x", n);
    }

    String allocationId() {
        return allocationId;
    }

    long associateCalls() {
        return associateCalls.get();
    }

    long describeCalls() {
        return describeCalls.get();
    }

    /** Before each metadata read: the credentials' expiry moves on, and an association becomes visible. */
    void beforeItem() {
        refreshCredentials();
        if (visibleAt != null && !clock.instant().isBefore(visibleAt)) {
            visibleAt = null;
            items.put("public-ipv4", elasticIp);
        }
    }

    /** Another instance takes the Elastic IP (a control request): this one falls back to an ephemeral address. */
    void takeAway(String otherInstance, String ephemeral) {
        holder = otherInstance;
        association = "eipassoc-0f" + Long.toHexString(clock.millis());
        visibleAt = null;
        items.put("public-ipv4", ephemeral);
    }

    private void refreshCredentials() {
        String expiration = DateTimeFormatter.ISO_INSTANT.format(
                clock.instant().plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        items.put(
                "iam/security-credentials/" + ROLE,
                "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \""
                        + DateTimeFormatter.ISO_INSTANT.format(
                                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + "\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"" + ACCESS_KEY_ID + "\",\n"
                        + "  \"SecretAccessKey\" : \"" + SECRET + "\",\n  \"Token\" : \"" + token + "\",\n"
                        + "  \"Expiration\" : \"" + expiration + "\"\n}");
    }

    /** Answers one EC2 Query API request: the status and the XML body. */
    Response handle(String method, String path, Function<String, String> header, byte[] body) {
        if (!method.equals("POST") || !path.equals("/")) {
            return error(400, "InvalidAction", "The action or operation requested is invalid.");
        }
        String auth = header.apply("Authorization");
        Matcher m = AUTHORIZATION.matcher(auth == null ? "" : auth);
        if (!m.matches()) {
            return error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
        }
        if (!m.group(1).equals(ACCESS_KEY_ID) || !token.equals(header.apply("X-Amz-Security-Token"))) {
            return error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
        }
        if (!signatureValid(m, method, path, header, body)) {
            return error(
                    403,
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the" + " signature you provided.");
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        if (!"2016-11-15".equals(form.get("Version"))) {
            return error(400, "InvalidParameterValue", "Version is not 2016-11-15");
        }
        String action = form.getOrDefault("Action", "");
        if (denied.contains(action)) {
            return error(
                    403,
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation. User:"
                            + " arn:aws:sts::123456789012:assumed-role/" + ROLE + "/" + items.get("instance-id")
                            + " is not authorized to perform: ec2:" + action);
        }
        return switch (action) {
            case "DescribeAddresses" -> describe(form);
            case "AssociateAddress" -> associate(form);
            case "DescribeInstances" -> instances(form);
            default -> error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    private Response describe(Map<String, String> form) {
        describeCalls.incrementAndGet();
        String byAllocation = form.get("AllocationId.1");
        String byFilter = "public-ip".equals(form.get("Filter.1.Name")) ? form.get("Filter.1.Value.1") : null;
        boolean match;
        if (byAllocation != null) {
            if (!byAllocation.equals(allocationId)) {
                return error(
                        400, "InvalidAllocationID.NotFound", "The allocation ID '" + byAllocation + "' does not exist");
            }
            match = true;
        } else {
            match = elasticIp != null && (byFilter == null || byFilter.equals(elasticIp));
        }
        StringBuilder xml = new StringBuilder(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeAddressesResponse xmlns=\"")
                .append(NS)
                .append("\">\n    <requestId>")
                .append(requestId())
                .append("</requestId>\n    <addressesSet>\n");
        if (match) {
            xml.append("        <item>\n            <publicIp>")
                    .append(elasticIp)
                    .append("</publicIp>\n")
                    .append("            <allocationId>")
                    .append(allocationId)
                    .append("</allocationId>\n")
                    .append("            <domain>vpc</domain>\n");
            if (holder != null) {
                xml.append("            <instanceId>")
                        .append(holder)
                        .append("</instanceId>\n")
                        .append("            <associationId>")
                        .append(association)
                        .append("</associationId>\n")
                        .append("            <networkInterfaceId>eni-0e1a2b3c4d5e6f708</networkInterfaceId>\n")
                        .append("            <networkInterfaceOwnerId>123456789012</networkInterfaceOwnerId>\n")
                        .append("            <privateIpAddress>")
                        .append(items.getOrDefault("local-ipv4", "172.31.16.20"))
                        .append("</privateIpAddress>\n");
            }
            xml.append("            <publicIpv4Pool>amazon</publicIpv4Pool>\n")
                    .append("            <networkBorderGroup>")
                    .append(items.getOrDefault("placement/region", "us-east-1"))
                    .append("</networkBorderGroup>\n        </item>\n");
        }
        xml.append("    </addressesSet>\n</DescribeAddressesResponse>\n");
        return new Response(200, xml.toString());
    }

    /**
     * DescribeInstances for this instance, with only what check asks for: its metadata options, as an instance
     * of this emulator has them (tokens required, as its metadata service requires them; hop limit 1).
     */
    private Response instances(Map<String, String> form) {
        String instance = form.get("InstanceId.1");
        if (instance == null || !instance.equals(items.get("instance-id"))) {
            return error(400, "InvalidInstanceID.NotFound", "The instance ID '" + instance + "' does not exist");
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"" + NS + "\">\n"
                + "    <requestId>" + requestId() + "</requestId>\n    <reservationSet>\n        <item>\n"
                + "            <instancesSet>\n                <item>\n                    <instanceId>" + instance
                + "</instanceId>\n                    <metadataOptions>\n                        <state>applied</state>\n"
                + "                        <httpTokens>required</httpTokens>\n"
                + "                        <httpPutResponseHopLimit>1</httpPutResponseHopLimit>\n"
                + "                        <httpEndpoint>enabled</httpEndpoint>\n"
                + "                    </metadataOptions>\n                </item>\n            </instancesSet>\n"
                + "        </item>\n    </reservationSet>\n</DescribeInstancesResponse>\n";
        return new Response(200, xml);
    }

    private Response associate(Map<String, String> form) {
        associateCalls.incrementAndGet();
        String allocation = form.get("AllocationId");
        String instance = form.get("InstanceId");
        if (allocation == null || !allocation.equals(allocationId)) {
            return error(400, "InvalidAllocationID.NotFound", "The allocation ID '" + allocation + "' does not exist");
        }
        if (instance == null || !instance.equals(items.get("instance-id"))) {
            return error(400, "InvalidInstanceID.NotFound", "The instance ID '" + instance + "' does not exist");
        }
        if (holder != null && !holder.equals(instance) && !"true".equals(form.get("AllowReassociation"))) {
            return error(
                    400,
                    "Resource.AlreadyAssociated",
                    "resource " + allocation + " is already associated with" + " associate-id " + association);
        }
        if (!instance.equals(holder)) {
            holder = instance;
            association = "eipassoc-0a" + Long.toHexString(clock.millis());
            visibleAt = clock.instant().plus(VISIBILITY_LAG);
        }
        return new Response(
                200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AssociateAddressResponse xmlns=\"" + NS
                        + "\">\n    <requestId>" + requestId()
                        + "</requestId>\n    <return>true</return>\n    <associationId>"
                        + association + "</associationId>\n</AssociateAddressResponse>\n");
    }

    private static Response error(int status, String code, String message) {
        return new Response(
                status,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>" + requestId()
                        + "</RequestID></Response>");
    }

    private static String requestId() {
        return java.util.UUID.randomUUID().toString();
    }

    /** The status and XML body of an answer. */
    record Response(int status, String body) {}

    private static boolean signatureValid(
            Matcher auth, String method, String path, Function<String, String> header, byte[] body) {
        StringBuilder headers = new StringBuilder();
        for (String name : auth.group(4).split(";")) {
            String value = header.apply(name);
            if (value == null) {
                return false;
            }
            headers.append(name)
                    .append(':')
                    .append(value.strip().replaceAll("\\s+", " "))
                    .append('\n');
        }
        String canonical = method + "\n" + path + "\n\n" + headers + "\n" + auth.group(4) + "\n" + hex(sha256(body));
        String scope = auth.group(2) + "/" + auth.group(3) + "/ec2/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + header.apply("X-Amz-Date") + "\n" + scope + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), auth.group(2));
        key = hmac(key, auth.group(3));
        key = hmac(key, "ec2");
        key = hmac(key, "aws4_request");
        return MessageDigest.isEqual(
                hex(hmac(key, toSign)).getBytes(StandardCharsets.US_ASCII),
                auth.group(5).getBytes(StandardCharsets.US_ASCII));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
