package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.testing.FakeMetadataSource;

class InstanceProfileTest {
    private static final String ARN = "arn:aws:iam::123456789012:instance-profile/seed-role";

    @Test
    void read_iamInfo200_attachedWithArn() throws Exception {
        FakeMetadataSource source = new FakeMetadataSource()
                .with(
                        "iam/info",
                        "{\n  \"Code\" : \"Success\",\n"
                                + "  \"LastUpdated\" : \"2025-01-01T00:00:00Z\",\n  \"InstanceProfileArn\" : \"" + ARN
                                + "\",\n"
                                + "  \"InstanceProfileId\" : \"AIPAJEXAMPLE\"\n}");

        InstanceProfile profile = InstanceProfile.read(new InstanceMetadata(source));

        assertEquals(new InstanceProfile(InstanceProfile.State.ATTACHED, ARN, null), profile);
        assertEquals(java.util.List.of("iam/info"), source.requests(), "only iam/info, never security-credentials");
    }

    @Test
    void read_iamInfo404_none() throws Exception {
        assertEquals(
                InstanceProfile.State.NONE,
                InstanceProfile.read(new InstanceMetadata(new FakeMetadataSource()))
                        .state());
    }

    @Test
    void read_metadataUnavailable_unknownNotThrown() throws Exception {
        FakeMetadataSource source = new FakeMetadataSource()
                .failingWith(new MetadataException(
                        MetadataException.Kind.UNAVAILABLE, "iam/info", "metadata service did not answer within 10s"));

        InstanceProfile profile = InstanceProfile.read(new InstanceMetadata(source));

        assertEquals(InstanceProfile.State.UNKNOWN, profile.state());
        assertEquals("metadata service did not answer within 10s", profile.detail());
    }

    @Test
    void fromBody_oddArnOrNotJson_attachedWithoutArn_escaped() {
        InstanceProfile odd = InstanceProfile.fromBody("{\"InstanceProfileArn\": \"arn:aws:iam::1:x\\nEVIL\"}");
        assertEquals(InstanceProfile.State.ATTACHED, odd.state());
        assertNull(odd.arn());
        assertTrue(odd.detail().contains("\\n"), odd.detail());

        InstanceProfile html = InstanceProfile.fromBody("<html>");
        assertNull(html.arn());
        assertTrue(html.detail().startsWith("iam/info did not answer with JSON"), html.detail());
    }
}
