package org.seedagent.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 the way the service does, written from the published algorithm and
 * independent of the SDK: the canonical request from the method, path, headers named in SignedHeaders and
 * the body's hash; the string to sign; the key derived from the secret, date, region and service.
 */
public final class SigV4Verifier {
    private static final Pattern AUTHORIZATION =
            Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, "
                    + "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    /** The parts of an Authorization header. */
    public record Authorization(
            String accessKeyId, String date, String region, String service, String signedHeaders, String signature) {}

    private SigV4Verifier() {}

    public static Authorization parse(String header) {
        Matcher m = AUTHORIZATION.matcher(header == null ? "" : header);
        if (!m.matches()) {
            throw new AssertionError("not a SigV4 Authorization header: " + header);
        }
        return new Authorization(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
    }

    /**
     * Whether the signature is right for {@code secret}.
     *
     * @param header a request header by (case-insensitive) name, null when absent
     */
    public static boolean valid(
            String secret, String method, String path, Function<String, String> header, byte[] body) {
        Authorization auth = parse(header.apply("Authorization"));
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : auth.signedHeaders().split(";")) {
            String value = header.apply(name);
            if (value == null) {
                return false;
            }
            canonicalHeaders
                    .append(name)
                    .append(':')
                    .append(value.strip().replaceAll("\\s+", " "))
                    .append('\n');
        }
        String canonical = method + "\n" + path + "\n" + "\n" + canonicalHeaders + "\n" + auth.signedHeaders() + "\n"
                + hex(sha256(body));
        String amzDate = header.apply("X-Amz-Date");
        String scope = auth.date() + "/" + auth.region() + "/" + auth.service() + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.date());
        key = hmac(key, auth.region());
        key = hmac(key, auth.service());
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign)).equals(auth.signature());
    }

    /** A form-encoded body as a map. */
    public static Map<String, String> form(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
