package org.seedagent.metadata;

import java.util.Optional;
import java.util.regex.Pattern;
import org.seedagent.support.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's metadata as validated values. Every value that may end up in an HTCondor config
 * file is checked here against the exact shape it must have; anything else is an error, never a
 * value.
 */
public final class InstanceMetadata {
    private static final Logger log = LoggerFactory.getLogger(InstanceMetadata.class);

    public static final String PUBLIC_IPV4 = "public-ipv4";
    public static final String LOCAL_IPV4 = "local-ipv4";
    public static final String INSTANCE_ID = "instance-id";
    public static final String INSTANCE_TYPE = "instance-type";
    public static final String REGION = "placement/region";
    public static final String LIFE_CYCLE = "instance-life-cycle";

    private static final Pattern INSTANCE_ID_SHAPE = Pattern.compile("i-[0-9a-f]{8,17}");
    private static final Pattern INSTANCE_TYPE_SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,39}");
    private static final Pattern REGION_SHAPE = Pattern.compile("[a-z]{2}(-[a-z0-9]+){1,4}");
    private static final Pattern LIFE_CYCLE_SHAPE = Pattern.compile("[a-z][a-z-]{0,19}");

    private final MetadataSource source;

    public InstanceMetadata(MetadataSource source) {
        this.source = source;
    }

    /**
     * The public IPv4 address, or empty when the instance has none (a 404 on {@code public-ipv4}:
     * a private subnet or no auto-assigned address; not an error of the agent).
     */
    public Optional<Ipv4Address> publicIpv4() throws MetadataException, InterruptedException {
        return address(PUBLIC_IPV4);
    }

    /** The primary private IPv4 address, or empty when the service has none. */
    public Optional<Ipv4Address> localIpv4() throws MetadataException, InterruptedException {
        return address(LOCAL_IPV4);
    }

    /**
     * The facts besides the public address; failures are logged at debug and leave a field null.
     * After the first item the service fails to serve, the rest are not asked for: each read may
     * take a whole deadline, and a best-effort read must not multiply it.
     */
    public InstanceFacts facts() throws InterruptedException {
        BestEffort reads = new BestEffort();
        return new InstanceFacts(
                reads.text(INSTANCE_ID, INSTANCE_ID_SHAPE),
                reads.text(INSTANCE_TYPE, INSTANCE_TYPE_SHAPE),
                reads.text(REGION, REGION_SHAPE),
                reads.text(LIFE_CYCLE, LIFE_CYCLE_SHAPE),
                reads.address(LOCAL_IPV4));
    }

    /**
     * Only what the fragment needs when the instance has a public address: the instance id. The boot
     * job reads this instead of {@link #facts()}, four requests fewer on the boot path.
     */
    public InstanceFacts identity() throws InterruptedException {
        return new InstanceFacts(new BestEffort().text(INSTANCE_ID, INSTANCE_ID_SHAPE), null, null, null, null);
    }

    /** Reads an item that is only reported, never written to a config file; empty on 404. */
    public Optional<String> raw(String path) throws MetadataException, InterruptedException {
        return source.get(path);
    }

    private Optional<Ipv4Address> address(String path) throws MetadataException, InterruptedException {
        Optional<String> body = source.get(path);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        String problem = Ipv4Address.whyInvalid(body.get());
        if (problem != null) {
            throw new MetadataException(
                    MetadataException.Kind.INVALID_RESPONSE,
                    path,
                    "metadata item " + path + " returned " + Text.quote(body.get())
                            + ", which is not a dotted-quad IPv4 address (" + problem + ")");
        }
        return Optional.of(Ipv4Address.parse(body.get()));
    }

    /** Best-effort reads that give up on the service after its first failure. */
    private final class BestEffort {
        private boolean failed;

        String text(String path, Pattern shape) throws InterruptedException {
            if (failed) {
                return null;
            }
            try {
                Optional<String> body = source.get(path);
                if (body.isPresent() && shape.matcher(body.get()).matches()) {
                    return body.get();
                }
                body.ifPresent(b -> log.warn("ignoring metadata item {}: unexpected value {}", path, Text.quote(b)));
            } catch (MetadataException e) {
                giveUp(path, e);
            }
            return null;
        }

        Ipv4Address address(String path) throws InterruptedException {
            if (failed) {
                return null;
            }
            try {
                return InstanceMetadata.this.address(path).orElse(null);
            } catch (MetadataException e) {
                if (e.kind() == MetadataException.Kind.INVALID_RESPONSE) {
                    log.warn("ignoring metadata item {}: {}", path, e.getMessage());
                } else {
                    giveUp(path, e);
                }
                return null;
            }
        }

        private void giveUp(String path, MetadataException e) {
            failed = e.kind() != MetadataException.Kind.INVALID_RESPONSE;
            log.debug("metadata item {} not read: {}", path, e.getMessage());
        }
    }
}
