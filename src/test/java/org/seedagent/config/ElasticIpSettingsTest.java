package org.seedagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eip.* and ec2.endpoint keys, read from a real file. */
class ElasticIpSettingsTest {
    @TempDir
    Path dir;

    private AgentConfig load(String text) throws Exception {
        Path file = dir.resolve("seed-agent.conf");
        Files.writeString(file, text);
        return new AgentConfigLoader().load(file, true);
    }

    @Test
    void defaults_claimNothing() {
        ElasticIpSettings settings = new AgentConfigLoader().defaults().elasticIp();
        assertFalse(settings.claims());
        assertNull(settings.ec2Endpoint());
        assertFalse(settings.allowReassociation());
        assertEquals(Duration.ofSeconds(30), settings.deadline());
    }

    @Test
    void allocationId_allowReassociation_deadline_endpoint_read() throws Exception {
        ElasticIpSettings settings = load("eip.allocation-id = eipalloc-0123456789abcdef0\n"
                        + "eip.allow-reassociation = true\neip.deadline = 45s\nec2.endpoint = https://vpce-0abc.ec2.us-east-1.vpce.amazonaws.com\n")
                .elasticIp();
        assertTrue(settings.claims());
        assertEquals("eipalloc-0123456789abcdef0", settings.target());
        assertTrue(settings.allowReassociation());
        assertEquals(Duration.ofSeconds(45), settings.deadline());
        assertEquals(URI.create("https://vpce-0abc.ec2.us-east-1.vpce.amazonaws.com"), settings.ec2Endpoint());
    }

    @Test
    void address_insteadOfAllocationId() throws Exception {
        ElasticIpSettings settings = load("eip.address = 198.51.100.7\n").elasticIp();
        assertEquals("198.51.100.7", settings.target());
        assertNull(settings.allocationId());
    }

    @Test
    void both_rejectedNamingTheKeys() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load("eip.allocation-id = eipalloc-0123456789abcdef0\neip.address = 198.51.100.7\n"));
        assertTrue(e.getMessage().contains("eip.address"), e.getMessage());
        assertTrue(e.getMessage().contains("eip.allocation-id is set"), e.getMessage());
    }

    @Test
    void ec2Endpoint_httpOnlyOnLoopback() throws Exception {
        ConfigException e =
                assertThrows(ConfigException.class, () -> load("ec2.endpoint = http://ec2.us-east-1.amazonaws.com\n"));
        assertTrue(
                e.getMessage().contains("ec2.endpoint")
                        && e.getMessage().contains("an https:// URL (http:// only on a" + " loopback address"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> load("ec2.endpoint = http://10.0.0.9:8080\n"));
        assertThrows(ConfigException.class, () -> load("ec2.endpoint = http://127.example.com\n"));
        assertEquals(
                "http://127.0.0.1:8169",
                load("ec2.endpoint = http://127.0.0.1:8169\n")
                        .elasticIp()
                        .ec2Endpoint()
                        .toString());
        assertEquals(
                "http://localhost:8169",
                load("ec2.endpoint = http://localhost:8169\n")
                        .elasticIp()
                        .ec2Endpoint()
                        .toString());
        assertEquals(
                "https://vpce-0abc.ec2.us-east-1.vpce.amazonaws.com",
                load("ec2.endpoint = https://vpce-0abc.ec2.us-east-1.vpce.amazonaws.com\n")
                        .elasticIp()
                        .ec2Endpoint()
                        .toString());
    }

    @Test
    void hostileValues_rejected() {
        for (String line : new String[] {
            "eip.allocation-id = eipalloc-0123456789abcdef0\\nALLOW_WRITE=*",
            "eip.allocation-id = eipalloc-XYZ",
            "eip.address = 198.51.100.07",
            "eip.address = 198.51.100.7/32",
            "ec2.endpoint = https://ec2.us-east-1.amazonaws.com/path",
            "eip.deadline = 11m"
        }) {
            assertThrows(ConfigException.class, () -> load(line + "\n"), line);
        }
    }
}
