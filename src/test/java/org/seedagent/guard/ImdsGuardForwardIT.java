package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seedagent.reliability.Figures;
import org.seedagent.testing.Dist;
import org.seedagent.testing.Trees;

/**
 * Issue 21: a process in a container behind a bridge reaches the metadata service through the host's
 * forwarding and masquerade, as any user; the guard's forward chain refuses it. Three network namespaces this
 * test creates, as on EC2: "ec2" holds 169.254.169.254 (a stand-in metadata service) and is reached from "host"
 * over a veth link, the host routes to it and masquerades what it forwards there; "container" sits behind the
 * host's bridge {@code br0}. No packet leaves the namespaces, and the machine's own rule set is never touched.
 */
class ImdsGuardForwardIT {
    private static final String V4 = "169.254.169.254";

    private static Path tmp;
    private static final List<TestNetns> namespaces = new ArrayList<>();
    private static TestNetns host;
    private static TestNetns ec2;
    private static TestNetns container;
    private static Process standIn;
    private static Path config;

    @BeforeAll
    static void hostContainerAndMetadataService() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (CI runs as root)");
        for (String tool : List.of("nft", "unshare", "nsenter", "python3", "curl", "ip")) {
            assumeTrue(TestNetns.onPath(tool), tool + " is not installed");
        }
        tmp = Files.createTempDirectory("seed-agent-guard-forward-it");
        config = tmp.resolve("seed-agent.conf");
        host = namespace();
        ec2 = namespace();
        container = namespace();
        // ec2: the metadata address on lo, a link to the host.
        in(ec2, "ip", "link", "set", "lo", "up").ok();
        in(ec2, "ip", "addr", "add", V4 + "/32", "dev", "lo").ok();
        in(host, "ip", "link", "set", "lo", "up").ok();
        in(
                        host,
                        "ip",
                        "link",
                        "add",
                        "ec2link",
                        "type",
                        "veth",
                        "peer",
                        "name",
                        "eth0",
                        "netns",
                        Long.toString(ec2.pid()))
                .ok();
        in(host, "ip", "addr", "add", "10.99.0.1/30", "dev", "ec2link").ok();
        in(host, "ip", "link", "set", "ec2link", "up").ok();
        in(host, "ip", "route", "add", V4 + "/32", "via", "10.99.0.2").ok();
        in(ec2, "ip", "addr", "add", "10.99.0.2/30", "dev", "eth0").ok();
        in(ec2, "ip", "link", "set", "eth0", "up").ok();
        // container: behind the host's bridge, default route through the host.
        in(host, "ip", "link", "add", "br0", "type", "bridge").ok();
        in(host, "ip", "addr", "add", "172.31.99.1/24", "dev", "br0").ok();
        in(host, "ip", "link", "set", "br0", "up").ok();
        in(
                        host,
                        "ip",
                        "link",
                        "add",
                        "vctr",
                        "type",
                        "veth",
                        "peer",
                        "name",
                        "eth0",
                        "netns",
                        Long.toString(container.pid()))
                .ok();
        in(host, "ip", "link", "set", "vctr", "master", "br0").ok();
        in(host, "ip", "link", "set", "vctr", "up").ok();
        in(container, "ip", "link", "set", "lo", "up").ok();
        in(container, "ip", "addr", "add", "172.31.99.2/24", "dev", "eth0").ok();
        in(container, "ip", "link", "set", "eth0", "up").ok();
        in(container, "ip", "route", "add", "default", "via", "172.31.99.1").ok();
        // The host forwards and masquerades, as Docker sets it up (its own table, not the guard's).
        // /proc/sys/net is the writer's network namespace's: forwarding is on in the test's "host" only. No sysctl
        // (procps), which a fresh CI machine may not have.
        in(host, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward").ok();
        Path nat = tmp.resolve("nat.nft");
        Files.writeString(
                nat,
                "table ip test_nat {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat;"
                        + " policy accept;\n\t\toifname \"ec2link\" masquerade\n\t}\n}\n");
        in(host, "nft", "-f", nat.toString()).ok();
        Path script = Path.of("src/test/resources/guard/imds_standin.py").toAbsolutePath();
        standIn = new ProcessBuilder(nsenter(ec2, "python3", script.toString(), V4))
                .redirectError(tmp.resolve("standin.err()").toFile())
                .start();
        String ready = new String(standIn.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
        assertEquals("ready\n", ready, "stand-in metadata service: " + Files.readString(tmp.resolve("standin.err()")));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (standIn != null) {
            standIn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (TestNetns n : namespaces) {
            n.close();
        }
        if (tmp != null) {
            Trees.delete(tmp);
        }
    }

    @Test
    void containerBehindABridge_reachesMetadataWithoutTheGuard_refusedWithIt_allowedThroughItsListedInterface()
            throws Exception {
        // Without the guard: the container gets through (the rig works; this is the hole).
        assertEquals(0, curl(container).exit(), "without the guard the container reaches the service");
        assertEquals(0, curl(host).exit(), "root on the host reaches it");

        Files.writeString(config, "metadata.endpoint = http://" + V4 + "\n");
        in(
                        host,
                        Dist.launcher().toString(),
                        "--config",
                        config.toString(),
                        "imds-guard",
                        "apply",
                        "--runtime-directory",
                        tmp.resolve("run").toString())
                .ok();
        Curl refused = curl(container);
        // curl's 7 is "could not connect" (a TCP reset); a time-out (a drop) would be 28.
        assertEquals(7, refused.exit(), "the container is refused: " + refused.err());
        assertTrue(
                refused.err().contains("Connection refused") || refused.err().contains("Couldn't connect"),
                refused.err());
        assertEquals(0, curl(host).exit(), "root on the host still reaches it");

        Files.writeString(config, "metadata.endpoint = http://" + V4 + "\nimds-guard.allow-forward-interfaces = br0\n");
        in(
                        host,
                        Dist.launcher().toString(),
                        "--config",
                        config.toString(),
                        "imds-guard",
                        "apply",
                        "--runtime-directory",
                        tmp.resolve("run").toString())
                .ok();
        assertEquals(0, curl(container).exit(), "a listed interface's forwarded packets pass");

        Figures.of("imds-guard forwarded (issue 21)")
                .with("container_refused_ms", refused.millis)
                .with("curl_exit", refused.exit())
                .record();
    }

    private record Curl(int exit, String err, long millis) {}

    private static Curl curl(TestNetns namespace) throws Exception {
        long start = System.nanoTime();
        TestNetns.Result r = in(namespace, "curl", "-sS", "-o", "/dev/null", "--max-time", "10", "http://" + V4 + "/");
        return new Curl(r.exit(), r.err(), (System.nanoTime() - start) / 1_000_000);
    }

    private static TestNetns namespace() throws Exception {
        TestNetns n = TestNetns.create(tmp);
        namespaces.add(n);
        return n;
    }

    private static TestNetns.Result in(TestNetns namespace, String... command) throws Exception {
        return namespace.in(command);
    }

    private static List<String> nsenter(TestNetns namespace, String... command) {
        return namespace.nsenter(command);
    }
}
