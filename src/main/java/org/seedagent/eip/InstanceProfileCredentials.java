package org.seedagent.eip;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.Text;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The instance profile's temporary credentials, read the way the SDK's InstanceProfileCredentialsProvider
 * reads them ({@code iam/security-credentials/} names the role, {@code iam/security-credentials/ROLE} is a
 * JSON document with AccessKeyId, SecretAccessKey, Token and Expiration), but through the agent's own IMDSv2
 * client: so they come from the configured {@code metadata.endpoint} with its token, time-outs and deadline,
 * and no other source (environment, ~/.aws files) is ever consulted. Cached, and read again
 * {@link #REFRESH_BEFORE} before they expire (EC2 has the next set ready well before that), or when EC2
 * refused them ({@link #invalidate()}).
 */
public final class InstanceProfileCredentials {
    static final String LISTING = "iam/security-credentials/";
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(10);
    private static final Pattern ROLE = Pattern.compile("[\\w+=,.@-]{1,128}");

    private final InstanceMetadata metadata;
    private final Clock clock;
    private AwsSessionCredentialsIdentity cached;
    private Instant expiration;
    private String role;

    public InstanceProfileCredentials(InstanceMetadata metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /** The role the credentials belong to, once read; null before. */
    public String role() {
        return role;
    }

    /**
     * Valid credentials, read again when the cached ones are near expiry.
     *
     * @throws Ec2Exception with code {@link Ec2Exception#NO_CREDENTIALS} when no instance profile is attached,
     *     the metadata service does not serve them, or what it serves is not usable
     */
    public AwsSessionCredentialsIdentity get() throws Ec2Exception, InterruptedException {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(expiration.minus(REFRESH_BEFORE))) {
            return cached;
        }
        try {
            Optional<String> listing = metadata.raw(LISTING);
            if (listing.isEmpty() || listing.get().isBlank()) {
                throw noCredentials("no instance profile is attached to this instance (metadata item " + LISTING
                        + " does not exist); attach one whose role allows the EC2 actions seed-agent needs");
            }
            String name = listing.get().lines().findFirst().orElse("").strip();
            if (!ROLE.matcher(name).matches()) {
                throw noCredentials("metadata item " + LISTING + " names no usable role: " + Text.quote(listing.get()));
            }
            Optional<String> document = metadata.raw(LISTING + name);
            if (document.isEmpty()) {
                throw noCredentials("metadata item " + LISTING + name + " does not exist");
            }
            AwsSessionCredentialsIdentity fresh = parse(name, document.get());
            role = name;
            cached = fresh;
            return fresh;
        } catch (MetadataException e) {
            if (cached != null && now.isBefore(expiration)) {
                // Still valid for a while: a metadata hiccup must not stop a request these can sign.
                return cached;
            }
            throw new Ec2Exception("ReadCredentials", Ec2Exception.NO_CREDENTIALS,
                    "the instance profile's credentials could not be read: " + e.getMessage(), 0, e);
        }
    }

    /** Forgets the cached credentials, after EC2 refused them (rotated early, or revoked). */
    public void invalidate() {
        cached = null;
        expiration = null;
    }

    private AwsSessionCredentialsIdentity parse(String name, String body) throws Ec2Exception {
        Map<String, Object> fields;
        try {
            fields = JSON.std.mapFrom(body);
        } catch (IOException | RuntimeException e) {
            throw noCredentials("metadata item " + LISTING + name + " is not a JSON document: " + Text.quote(body, 40));
        }
        Object code = fields.get("Code");
        if (code != null && !"Success".equals(code)) {
            throw noCredentials("the metadata service reports the role's credentials as " + Text.quote(String.valueOf(code))
                    + (fields.get("Message") == null ? "" : ": " + Text.quote(String.valueOf(fields.get("Message")), 200)));
        }
        String accessKeyId = text(fields, "AccessKeyId", name);
        String secret = text(fields, "SecretAccessKey", name);
        String token = text(fields, "Token", name);
        String expires = text(fields, "Expiration", name);
        try {
            expiration = Instant.parse(expires);
        } catch (DateTimeParseException e) {
            throw noCredentials("metadata item " + LISTING + name + " has an Expiration that is not a time: "
                    + Text.quote(expires));
        }
        return AwsSessionCredentialsIdentity.create(accessKeyId, secret, token);
    }

    private static String text(Map<String, Object> fields, String key, String name) throws Ec2Exception {
        Object value = fields.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw noCredentials("metadata item " + LISTING + name + " has no " + key);
        }
        return s;
    }

    private static Ec2Exception noCredentials(String message) {
        return new Ec2Exception("ReadCredentials", Ec2Exception.NO_CREDENTIALS, message, 0);
    }
}
