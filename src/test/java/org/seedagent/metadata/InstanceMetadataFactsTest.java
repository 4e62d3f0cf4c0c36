package org.seedagent.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.testing.FakeMetadataSource;

class InstanceMetadataFactsTest {
    @Test
    void facts_serviceUnavailable_givesUpAfterFirstItem() throws InterruptedException {
        FakeMetadataSource source = new FakeMetadataSource()
                .failingWith(new MetadataException(
                        MetadataException.Kind.UNAVAILABLE, "instance-id", "HTTP 503 until the deadline"));
        assertEquals(InstanceFacts.UNKNOWN, new InstanceMetadata(source).facts());
        assertEquals(List.of(InstanceMetadata.INSTANCE_ID), source.requests());
    }

    @Test
    void facts_garbageInOneItem_othersStillRead() throws InterruptedException {
        FakeMetadataSource source = new FakeMetadataSource()
                .with(InstanceMetadata.INSTANCE_ID, "i-0123456789abcdef0")
                .with(InstanceMetadata.INSTANCE_TYPE, "<html>")
                .with(InstanceMetadata.REGION, "eu-west-1")
                .with(InstanceMetadata.LIFE_CYCLE, "spot")
                .with(InstanceMetadata.LOCAL_IPV4, "10.0.0.5\n");
        InstanceFacts facts = new InstanceMetadata(source).facts();
        assertEquals(new InstanceFacts("i-0123456789abcdef0", null, "eu-west-1", "spot", null), facts);
        assertEquals(5, source.requests().size());
    }

    @Test
    void identity_readsOnlyTheInstanceId() throws InterruptedException {
        FakeMetadataSource source = new FakeMetadataSource()
                .with(InstanceMetadata.INSTANCE_ID, "i-0123456789abcdef0")
                .with(InstanceMetadata.LOCAL_IPV4, "10.0.0.5");
        assertEquals(
                new InstanceFacts("i-0123456789abcdef0", null, null, null, null),
                new InstanceMetadata(source).identity());
        assertEquals(List.of(InstanceMetadata.INSTANCE_ID), source.requests());
    }
}
