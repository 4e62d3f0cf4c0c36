package org.seedagent.checks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSource;

/** A metadata source serving fixed items; a missing item is a 404; {@link #failing} fails every read. */
public final class FakeMetadata implements MetadataSource {
    private final Map<String, String> items;
    private final MetadataException failure;
    /** Every path read, in order. */
    public final List<String> reads = new ArrayList<>();

    public boolean closed;

    private FakeMetadata(Map<String, String> items, MetadataException failure) {
        this.items = new HashMap<>(items);
        this.failure = failure;
    }

    /** An on-demand instance with public IP 203.0.113.10 and an instance profile. */
    public static FakeMetadata seed() {
        return new FakeMetadata(
                Map.of(
                        "public-ipv4", "203.0.113.10",
                        "local-ipv4", "10.0.0.5",
                        "instance-id", "i-0123456789abcdef0",
                        "instance-type", "t3.small",
                        "placement/region", "us-east-1",
                        "instance-life-cycle", "on-demand",
                        "iam/info",
                                "{\"Code\":\"Success\",\"InstanceProfileArn\":\"arn:aws:iam::123456789012:instance-profile/seed\"}"),
                null);
    }

    public static FakeMetadata failing() {
        return new FakeMetadata(
                Map.of(),
                new MetadataException(
                        MetadataException.Kind.UNAVAILABLE,
                        "public-ipv4",
                        "metadata service did not answer within 1s (connection refused)"));
    }

    public FakeMetadata with(String path, String value) {
        items.put(path, value);
        return this;
    }

    public FakeMetadata without(String path) {
        items.remove(path);
        return this;
    }

    @Override
    public Optional<String> get(String path) throws MetadataException {
        reads.add(path);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(items.get(path));
    }

    @Override
    public void close() {
        closed = true;
    }
}
