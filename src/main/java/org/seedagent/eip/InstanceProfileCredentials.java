package org.seedagent.eip;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.Text;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The instance profile's temporary credentials, read, cached and refreshed by the SDK's standard
 * {@link InstanceProfileCredentialsProvider} (IMDSv2 token, {@code iam/security-credentials/} listing,
 * {@code iam/security-credentials/ROLE} JSON document with AccessKeyId, SecretAccessKey, Token and Expiration)
 * from the configured {@code metadata.endpoint}. The provider is given that endpoint and a profile of the
 * agent's own, so neither ~/.aws files nor {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} can point it elsewhere
 * and its IMDSv1 fallback is off; it connects without a proxy (the SDK opens IMDS connections with
 * {@code Proxy.NO_PROXY}). It reads them again at the first use after its prefetch time (an hour after a read,
 * or halfway to expiry when sooner) and at the latest {@link #REFRESH_BEFORE} before they expire, by the wall
 * clock.
 *
 * <p>The role's name is read once through the agent's own metadata client: messages name the role, and a
 * seed without an instance profile gets a clear message rather than the SDK's generic one.
 */
public final class InstanceProfileCredentials implements AutoCloseable {
    static final String LISTING = "iam/security-credentials/";
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(10);
    private static final Pattern ROLE = Pattern.compile("[\\w+=,.@-]{1,128}");

    private final InstanceMetadata metadata;
    private final URI endpoint;
    private final Duration requestTimeout;
    private InstanceProfileCredentialsProvider provider;
    private String role;

    /**
     * @param endpoint the configured {@code metadata.endpoint}, e.g. {@code http://169.254.169.254}
     * @param requestTimeout the time-out of each of the provider's requests (whole seconds, at least one)
     */
    public InstanceProfileCredentials(InstanceMetadata metadata, URI endpoint, Duration requestTimeout) {
        this.metadata = metadata;
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
    }

    /** The role the credentials belong to, once read; null before. */
    public String role() {
        return role;
    }

    /**
     * Valid credentials: the provider's cached ones, or read again when they are near expiry.
     *
     * @throws Ec2Exception with code {@link Ec2Exception#NO_CREDENTIALS} when no instance profile is attached,
     *     the metadata service does not serve them, or what it serves is not usable
     */
    public AwsSessionCredentialsIdentity get() throws Ec2Exception, InterruptedException {
        if (role == null) {
            try {
                role = roleName();
            } catch (MetadataException e) {
                throw new Ec2Exception(
                        "ReadCredentials",
                        Ec2Exception.NO_CREDENTIALS,
                        "the instance profile's credentials could not be read: " + e.getMessage(),
                        0,
                        e);
            }
        }
        if (provider == null) {
            provider = provider();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before reading the instance profile's credentials");
        }
        AwsCredentials read;
        try {
            read = provider.resolveCredentials();
        } catch (SdkException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while reading the instance profile's credentials");
            }
            throw new Ec2Exception(
                    "ReadCredentials",
                    Ec2Exception.NO_CREDENTIALS,
                    "the instance profile's credentials (role " + role + ") could not be read from " + endpoint + ": "
                            + describe(e),
                    0,
                    e);
        } catch (RuntimeException e) {
            // The SDK's cache says an interrupt while it waits to refresh with IllegalStateException.
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while reading the instance profile's credentials");
            }
            throw e;
        }
        if (!(read instanceof AwsSessionCredentials session)) {
            throw noCredentials("metadata item " + LISTING + role + " has no Token");
        }
        return AwsSessionCredentialsIdentity.create(
                session.accessKeyId(), session.secretAccessKey(), session.sessionToken());
    }

    /**
     * Forgets the credentials after EC2 refused them (rotated early, or revoked): the provider has no such
     * operation, so the next {@link #get()} uses a new one, which reads them (and the role) again.
     */
    public void invalidate() {
        if (provider != null) {
            provider.close();
        }
        provider = null;
        role = null;
    }

    /** Releases the SDK's provider (it holds no thread here: no asynchronous refresh), as {@link #invalidate()}. */
    @Override
    public void close() {
        invalidate();
    }

    private String roleName() throws Ec2Exception, MetadataException, InterruptedException {
        Optional<String> listing = metadata.raw(LISTING);
        if (listing.isEmpty() || listing.get().isBlank()) {
            // Not "no instance profile": a profile without a role (and the emulator without --ec2) answers
            // iam/info all the same, and check's credentials line says a profile is attached.
            throw noCredentials("the metadata service serves no instance profile credentials (metadata item " + LISTING
                    + " does not exist): no instance profile is attached, or the one attached has no role");
        }
        String name = listing.get().lines().findFirst().orElse("").strip();
        if (!ROLE.matcher(name).matches()) {
            throw noCredentials("metadata item " + LISTING + " names no usable role: " + Text.quote(listing.get()));
        }
        return name;
    }

    private InstanceProfileCredentialsProvider provider() {
        // A profile of the agent's own: no ~/.aws file is read, IMDSv1 is never tried, the time-out is the agent's.
        String profile = "[default]\nec2_metadata_v1_disabled = true\nmetadata_service_timeout = "
                + Math.max(1, requestTimeout.toSeconds()) + "\n";
        ProfileFile own = ProfileFile.builder()
                .content(new ByteArrayInputStream(profile.getBytes(StandardCharsets.UTF_8)))
                .type(ProfileFile.Type.CONFIGURATION)
                .build();
        // No background refresh thread: the daemon asks rarely, and a blocking refresh at that moment is enough.
        return InstanceProfileCredentialsProvider.builder()
                .endpoint(endpoint.toString())
                .profileFile(own)
                .profileName("default")
                .staleTime(REFRESH_BEFORE)
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    private static String describe(SdkException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return Text.quote(text.toString(), 300);
    }

    private static Ec2Exception noCredentials(String message) {
        return new Ec2Exception("ReadCredentials", Ec2Exception.NO_CREDENTIALS, message, 0);
    }
}
