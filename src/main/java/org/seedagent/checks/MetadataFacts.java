package org.seedagent.checks;

import java.util.Objects;
import java.util.Optional;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;

/**
 * What the instance metadata service said, gathered before the checks run.
 *
 * @param failure why the metadata service could not be read, or {@code null} when it could
 * @param publicIpv4 the public IPv4 address, or {@code null} when the instance has none (or on failure)
 * @param instance the other facts (fields null when unknown)
 * @param instanceProfile whether {@code iam/info} shows an attached instance profile
 */
public record MetadataFacts(
        String failure, Ipv4Address publicIpv4, InstanceFacts instance, InstanceProfile instanceProfile) {

    /** Whether an instance profile is attached ({@code iam/info} answers 200, not 404). */
    public enum InstanceProfile {
        ATTACHED,
        NONE,
        UNKNOWN
    }

    public MetadataFacts {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(instanceProfile, "instanceProfile");
        if (failure != null && publicIpv4 != null) {
            throw new IllegalArgumentException("a failed read has no public address");
        }
    }

    /** The metadata service could not be read at all. */
    public static MetadataFacts unavailable(String failure) {
        return new MetadataFacts(
                Objects.requireNonNull(failure, "failure"), null, InstanceFacts.UNKNOWN, InstanceProfile.UNKNOWN);
    }

    /** The metadata service answered; {@code publicIpv4} is null when the instance has no public address. */
    public static MetadataFacts of(Ipv4Address publicIpv4, InstanceFacts instance, InstanceProfile profile) {
        return new MetadataFacts(null, publicIpv4, instance, profile);
    }

    public boolean available() {
        return failure == null;
    }

    public Optional<Ipv4Address> publicIp() {
        return Optional.ofNullable(publicIpv4);
    }
}
