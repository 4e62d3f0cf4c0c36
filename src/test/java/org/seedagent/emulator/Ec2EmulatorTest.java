package org.seedagent.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.seedagent.eip.Ec2Address;
import org.seedagent.eip.Ec2Addresses;
import org.seedagent.eip.Ec2Exception;
import org.seedagent.eip.Ec2QueryClient;
import org.seedagent.eip.InstanceProfileCredentials;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.support.Sleeper;

/** The emulator's EC2 side, through the agent's real client: what it serves, what it refuses. */
class Ec2EmulatorTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private interface Body {
        void run(MetadataEmulator emulator, Ec2Addresses ec2) throws Exception;
    }

    private static void with(String elasticIp, String holder, Set<String> denied, Body body) throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC())) {
            emulator.enableEc2(elasticIp, holder, denied);
            try (ImdsMetadataSource source = new ImdsMetadataSource(
                            new MetadataSettings(
                                    emulator.endpoint(),
                                    Duration.ofHours(6),
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(20)),
                            Clock.systemUTC(),
                            Sleeper.SYSTEM);
                    Ec2QueryClient client = new Ec2QueryClient(
                            emulator.endpoint(),
                            "us-east-1",
                            new InstanceProfileCredentials(
                                    new InstanceMetadata(source), emulator.endpoint(), Duration.ofSeconds(5)),
                            Duration.ofSeconds(5),
                            Clock.systemUTC(),
                            Sleeper.SYSTEM)) {
                body.run(emulator, new Ec2Addresses(client));
            }
        }
    }

    /** Issue 21: check reads the hop limit with DescribeInstances; the emulator answers for its own instance. */
    @Test
    void describeInstances_metadataOptionsOfThisInstance_unknownInstanceNotFound() throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC())) {
            emulator.enableEc2(null, null, Set.of());
            try (ImdsMetadataSource source = new ImdsMetadataSource(
                            new MetadataSettings(
                                    emulator.endpoint(),
                                    Duration.ofHours(6),
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(20)),
                            Clock.systemUTC(),
                            Sleeper.SYSTEM);
                    Ec2QueryClient client = new Ec2QueryClient(
                            emulator.endpoint(),
                            "us-east-1",
                            new InstanceProfileCredentials(
                                    new InstanceMetadata(source), emulator.endpoint(), Duration.ofSeconds(5)),
                            Duration.ofSeconds(5),
                            Clock.systemUTC(),
                            Sleeper.SYSTEM)) {
                org.seedagent.eip.MetadataOptions.Read read = org.seedagent.eip.MetadataOptions.read(
                        client, "i-0123456789abcdef0", Instant.now().plus(DEADLINE));
                assertEquals(
                        new org.seedagent.eip.MetadataOptions("required", 1, "enabled", "applied"),
                        read.options(),
                        String.valueOf(read.notRead()));
                String other = org.seedagent.eip.MetadataOptions.read(
                                client, "i-0fedcba9876543210", Instant.now().plus(DEADLINE))
                        .notRead();
                assertTrue(other.startsWith("DescribeInstances failed: InvalidInstanceID.NotFound (HTTP 400)"), other);
            }
        }
    }

    @Test
    void describeAndAssociate_signedWithTheServedCredentials_served() throws Exception {
        with("198.51.100.7", null, Set.of(), (emulator, ec2) -> {
            String allocation = MetadataEmulator.allocationIdOf("198.51.100.7");
            List<Ec2Address> found =
                    ec2.byAllocationId(allocation, Instant.now().plus(DEADLINE));
            assertEquals(1, found.size());
            assertEquals("198.51.100.7", found.get(0).publicIp());
            assertTrue(!found.get(0).associated());
            assertTrue(ec2.associate(
                            allocation,
                            "i-0123456789abcdef0",
                            false,
                            Instant.now().plus(DEADLINE))
                    .startsWith("eipassoc-"));
            assertEquals(
                    "i-0123456789abcdef0",
                    ec2.byPublicIp("198.51.100.7", Instant.now().plus(DEADLINE))
                            .get(0)
                            .instanceId());
            assertEquals(List.of(), ec2.byPublicIp("203.0.113.10", Instant.now().plus(DEADLINE)), "not an Elastic IP");
        });
    }

    @Test
    void heldElsewhere_withoutAllowReassociation_refusedAsEc2Does() throws Exception {
        with("198.51.100.7", "i-0fedcba9876543210", Set.of(), (emulator, ec2) -> {
            Ec2Exception e = assertThrows(
                    Ec2Exception.class,
                    () -> ec2.associate(
                            MetadataEmulator.allocationIdOf("198.51.100.7"),
                            "i-0123456789abcdef0",
                            false,
                            Instant.now().plus(DEADLINE)));
            assertEquals("Resource.AlreadyAssociated", e.code());
        });
    }

    @Test
    void deniedAction_unauthorizedOperation() throws Exception {
        with(null, null, Set.of("DescribeAddresses"), (emulator, ec2) -> {
            Ec2Exception e = assertThrows(
                    Ec2Exception.class,
                    () -> ec2.byPublicIp("203.0.113.10", Instant.now().plus(DEADLINE)));
            assertEquals("UnauthorizedOperation", e.code());
            assertTrue(e.permissionDenied());
        });
    }

    @Test
    void request_withTheRightCredentialsButABadSignature_refused() throws Exception {
        with("198.51.100.7", null, Set.of(), (emulator, ec2) -> {
            String token;
            try (ImdsMetadataSource source = new ImdsMetadataSource(
                    new MetadataSettings(
                            emulator.endpoint(), Duration.ofHours(6), Duration.ofSeconds(5), Duration.ofSeconds(20)),
                    Clock.systemUTC(),
                    Sleeper.SYSTEM)) {
                token = new InstanceProfileCredentials(
                                new InstanceMetadata(source), emulator.endpoint(), Duration.ofSeconds(5))
                        .get()
                        .sessionToken();
            }
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .header("X-Amz-Date", "20250101T000000Z")
                                    .header("X-Amz-Security-Token", token)
                                    .header(
                                            "Authorization",
                                            "AWS4-HMAC-SHA256 Credential=" + Ec2Emulator.ACCESS_KEY_ID
                                                    + "/20250101/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
                                                    + "0".repeat(64))
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "Action=DescribeAddresses&Version=2016-11-15"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode());
            assertTrue(response.body().contains("<Code>SignatureDoesNotMatch</Code>"), response.body());
        });
    }
}
