package org.seedagent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.emulator.MetadataEmulator;
import org.seedagent.systemd.UnixDatagramReceiver;
import org.seedagent.testing.Await;
import org.seedagent.testing.Dist;

/**
 * The real program under a NOTIFY_SOCKET, with an Elastic IP configured, against the emulator's IMDSv2 and
 * EC2 sides on 127.0.0.1 (requests SigV4-signed with the instance profile's credentials, which the emulator
 * checks): READY=1 only once the address is associated and the metadata service shows it, the fragment
 * carrying it; a claim that cannot be made still lets HTCondor start, and status shows why and the fix.
 */
class ElasticIpDaemonIT {
    static final String EIP = "198.51.100.7";
    static final String EPHEMERAL = "203.0.113.10";
    static final String OTHER = "i-0fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void boot_unassociatedElasticIp_readyOnlyAfterAssociationThenTakenBackAfterItIsTakenAway() throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance(EPHEMERAL), Clock.systemUTC())) {
            String allocation = emulator.enableEc2(EIP, null, Set.of());
            try (Agent agent =
                    new Agent(emulator, "eip.allocation-id = " + allocation, "eip.allow-reassociation = true")) {
                Instant start = Instant.now();
                String ready = agent.await("READY=1", Duration.ofSeconds(90));
                double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                assertTrue(agent.fragment().contains("TCP_FORWARDING_HOST = " + EIP + "\n"), agent.fragment());
                assertTrue(ready.contains("STATUS=TCP_FORWARDING_HOST = " + EIP), ready);
                assertEquals(1, emulator.associateCalls());
                Map<String, Object> claim = claim(agent);
                assertEquals("associated", claim.get("result"), claim.toString());
                System.out.println("FIGURE\teip-boot\tready_after_s=" + seconds + "\tclaim_s=" + claim.get("seconds")
                        + "\t(the emulator shows the address 2 s after AssociateAddress)");

                // After READY the fact is known from the claim, without asking EC2 again.
                Map<String, Object> fact = awaitFact(agent);
                assertEquals("elastic", fact.get("kind"), fact.toString());

                // Another instance takes the address: the next poll notices and, re-association being allowed,
                // takes it back within that poll, so HTCondor is never told the ephemeral address.
                post(emulator, "/emulator/ec2/take-away", OTHER);
                agent.awaitLog(
                        "associated Elastic IP " + EIP + " (" + allocation + ") with this instance; the metadata"
                                + " service showed it",
                        2,
                        Duration.ofSeconds(60));
                agent.await("WATCHDOG=1", Duration.ofSeconds(10)); // polls go on
                assertEquals(2, emulator.associateCalls(), "one claim back, not one per poll");
                assertTrue(agent.fragment().contains("TCP_FORWARDING_HOST = " + EIP + "\n"), agent.fragment());
                assertFalse(agent.log().contains("public address changed"), agent.log());
                String log = agent.log();
                assertTrue(log.contains("is no longer this instance's public address"), log);
                assertTrue(
                        log.contains("taking Elastic IP " + EIP + " (" + allocation + ") over from instance " + OTHER),
                        log);
            }
        }
    }

    @Test
    void boot_elasticIpHeldElsewhereWithoutReassociation_readyWithTheAddressItHasAndStatusNamesTheHolder()
            throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance(EPHEMERAL), Clock.systemUTC())) {
            String allocation = emulator.enableEc2(EIP, OTHER, Set.of());
            try (Agent agent = new Agent(emulator, "eip.allocation-id = " + allocation)) {
                String ready = agent.await("READY=1", Duration.ofSeconds(90));
                assertTrue(agent.fragment().contains("TCP_FORWARDING_HOST = " + EPHEMERAL + "\n"), agent.fragment());
                assertTrue(ready.contains("not claimed (held-elsewhere)"), ready);
                assertEquals(0, emulator.associateCalls());
                Map<String, Object> fact = awaitFact(agent);
                assertEquals("ephemeral", fact.get("kind"), fact.toString());

                String status = agent.status();
                assertTrue(status.contains("Elastic IP:"), status);
                assertTrue(status.contains("is associated with instance " + OTHER), status);
                assertTrue(status.contains("eip.allow-reassociation = true"), status);
                assertTrue(status.contains("an ephemeral address: the next stop/start changes it"), status);
            }
        }
    }

    @Test
    void boot_associateNotAllowed_readyAnywayAndTheMissingIamActionNamed() throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance(EPHEMERAL), Clock.systemUTC())) {
            String allocation = emulator.enableEc2(EIP, null, Set.of("AssociateAddress"));
            try (Agent agent = new Agent(emulator, "eip.allocation-id = " + allocation)) {
                agent.await("READY=1", Duration.ofSeconds(90));
                assertTrue(agent.fragment().contains("TCP_FORWARDING_HOST = " + EPHEMERAL + "\n"), agent.fragment());
                Map<String, Object> claim = claim(agent);
                assertEquals("denied", claim.get("result"), claim.toString());
                assertTrue(
                        String.valueOf(claim.get("detail")).contains("not allowed ec2:AssociateAddress"),
                        claim.toString());
                assertTrue(String.valueOf(claim.get("fix")).contains("allow ec2:AssociateAddress"), claim.toString());
                assertTrue(
                        agent.log()
                                .contains("<3>the instance profile's role seed-annex is not allowed"
                                        + " ec2:AssociateAddress"),
                        agent.log());
            }
        }
    }

    @Test
    void boot_noElasticIpConfiguredDescribeNotAllowed_factUnknownNamingThePermission() throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance(EPHEMERAL), Clock.systemUTC())) {
            emulator.enableEc2(null, null, Set.of("DescribeAddresses"));
            try (Agent agent = new Agent(emulator)) {
                agent.await("READY=1", Duration.ofSeconds(90));
                Map<String, Object> fact = awaitFact(agent);
                assertEquals("unknown", fact.get("kind"), fact.toString());
                assertTrue(
                        String.valueOf(fact.get("detail")).contains("not allowed ec2:DescribeAddresses"),
                        fact.toString());
                assertEquals(0, emulator.associateCalls());
                assertFalse(agent.status().contains("claim of"), "nothing is claimed when nothing is configured");
            }
        }
    }

    /** The last claim as the state file holds it (read as JSON, not through the codec under test). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> claim(Agent agent) throws Exception {
        Map<String, Object> elasticIp = (Map<String, Object>) agent.stateFile().get("elastic_ip");
        assertNotNull(elasticIp, "elastic_ip in the state file");
        return (Map<String, Object>) elasticIp.get("claim");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitFact(Agent agent) throws Exception {
        return Await.that("elastic_ip.address in the state file", Duration.ofSeconds(30))
                .every(Duration.ofMillis(200))
                .detail(agent::log)
                .until(
                        () -> {
                            Map<String, Object> file = agent.stateFile();
                            return file == null || !(file.get("elastic_ip") instanceof Map<?, ?> eip)
                                    ? null
                                    : (Map<String, Object>) eip.get("address");
                        },
                        fact -> fact != null);
    }

    private static void post(MetadataEmulator emulator, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(emulator.endpoint() + path))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(204, response.statusCode());
    }

    /** seed-agent run under a NOTIFY_SOCKET; stopped (SIGTERM, then killed) on close. */
    private final class Agent implements AutoCloseable {
        private final UnixDatagramReceiver notify;
        private final Process process;
        private final Path conf = dir.resolve("seed-agent.conf");
        private final Path fragment;

        Agent(MetadataEmulator emulator, String... extra) throws Exception {
            Path configDir = Files.createDirectories(dir.resolve("config.d"));
            fragment = configDir.resolve("50-seed-agent.conf");
            Path condorConfig = dir.resolve("condor_config");
            Files.writeString(condorConfig, "LOCAL_CONFIG_DIR = " + configDir + "\n");
            List<String> lines = new ArrayList<>(List.of(
                    "metadata.endpoint = " + emulator.endpoint(),
                    "ec2.endpoint = " + emulator.endpoint(),
                    "fragment.path = " + fragment,
                    "state.directory = " + dir.resolve("state"),
                    "poll.interval = 500ms",
                    "reload.method = none",
                    "condor.config-val = " + Dist.fakeCondorConfigVal(dir, condorConfig)));
            lines.addAll(List.of(extra));
            Files.writeString(conf, String.join("\n", lines) + "\n");
            notify = UnixDatagramReceiver.bindPath(dir.resolve("notify.sock"));
            ProcessBuilder builder = new ProcessBuilder(Dist.launcher().toString(), "--config", conf.toString(), "run")
                    .redirectOutput(dir.resolve("stdout").toFile())
                    .redirectError(dir.resolve("stderr").toFile());
            builder.environment().put("NOTIFY_SOCKET", notify.notifySocket());
            builder.environment().put("JOURNAL_STREAM", "8:1234");
            builder.environment().put("WATCHDOG_USEC", "2000000");
            // The SDK's credentials provider must use metadata.endpoint and nothing else: the environment and an
            // AWS config file (its default profile and the one AWS_PROFILE names) both point it at a loopback port
            // where nothing listens (the discard port); were either consulted, no credentials would be read.
            Path awsConfig = dir.resolve("aws-config");
            Files.writeString(
                    awsConfig,
                    "[default]\nec2_metadata_service_endpoint = http://127.0.0.1:9\n"
                            + "[profile elsewhere]\nec2_metadata_service_endpoint = http://127.0.0.1:9\n");
            builder.environment().put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
            builder.environment().put("AWS_CONFIG_FILE", awsConfig.toString());
            builder.environment().put("AWS_PROFILE", "elsewhere");
            process = builder.start();
        }

        String await(String wanted, Duration timeout) throws Exception {
            return notify.await(wanted, timeout, process, this::log);
        }

        void awaitLog(String wanted, int times, Duration timeout) throws Exception {
            Await.that("the log to say " + times + " times: " + wanted, timeout)
                    .whileAlive(process)
                    .every(Duration.ofMillis(200))
                    .detail(this::log)
                    .until(() -> log().split(java.util.regex.Pattern.quote(wanted), -1).length - 1 >= times);
        }

        String fragment() throws Exception {
            return Files.readString(fragment);
        }

        /** state.json as plain JSON; null before the agent first writes it. */
        Map<String, Object> stateFile() throws Exception {
            Path file = dir.resolve("state").resolve("state.json");
            return Files.exists(file) ? com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(file)) : null;
        }

        String log() throws Exception {
            return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        }

        String status() throws Exception {
            Process status = new ProcessBuilder(Dist.launcher().toString(), "--config", conf.toString(), "status")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(status.waitFor(60, TimeUnit.SECONDS), "status did not finish");
            return out;
        }

        @Override
        public void close() throws Exception {
            try {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } finally {
                notify.close();
            }
        }
    }
}
