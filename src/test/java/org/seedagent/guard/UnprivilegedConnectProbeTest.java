package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.support.SystemProcessRunner;

/**
 * The probe with real processes (setpriv, bash) on 127.0.0.1. Whether the guard's rule set stops
 * it is proven in a network namespace by ImdsGuardKernelIT.
 */
class UnprivilegedConnectProbeTest {
    @TempDir
    Path tmp;

    @Test
    void probe_asRoot_listener_connectedAsNobody() throws Exception {
        assumeTrue(
                UnprivilegedConnectProbe.missingPrivilege(Path.of("/proc/self/status")) == null,
                "needs root with CAP_SETUID/CAP_SETGID");
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            MetadataAccess access = new UnprivilegedConnectProbe(new SystemProcessRunner())
                    .probe(URI.create("http://127.0.0.1:" + listener.getLocalPort()));

            assertEquals(MetadataAccess.Outcome.CONNECTED, access.outcome(), access.toString());
            assertEquals("127.0.0.1:" + listener.getLocalPort(), access.target());
            assertTrue(
                    access.method().startsWith("a child process as uid 65534 (setpriv --reuid=65534"), access.method());
        }
    }

    @Test
    void probe_asRoot_closedPort_refusedAtOnce() throws Exception {
        assumeTrue(
                UnprivilegedConnectProbe.missingPrivilege(Path.of("/proc/self/status")) == null,
                "needs root with CAP_SETUID/CAP_SETGID");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        MetadataAccess access =
                new UnprivilegedConnectProbe(new SystemProcessRunner()).probe(URI.create("http://127.0.0.1:" + port));

        assertEquals(MetadataAccess.Outcome.REFUSED, access.outcome(), access.toString());
        assertEquals("Connection refused", access.detail());
        System.out.println("probe of a closed port: refused after " + access.millis() + " ms");
    }

    @Test
    void probe_setprivMissing_failedNotGuessed() throws Exception {
        Path status = Files.writeString(tmp.resolve("status"), "Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n");
        MetadataAccess access = new UnprivilegedConnectProbe(
                        new SystemProcessRunner(), status, "/nonexistent/setpriv", "/bin/bash", Duration.ofSeconds(2))
                .probe(URI.create("http://[fd00:ec2::254]"));

        assertEquals(MetadataAccess.Outcome.FAILED, access.outcome());
        assertEquals("[fd00:ec2::254]:80", access.target());
        assertTrue(access.detail().startsWith("cannot run /nonexistent/setpriv"), access.detail());
    }

    @Test
    void missingPrivilege_readsUidAndCapabilities() throws Exception {
        assertTrue(UnprivilegedConnectProbe.missingPrivilege(status("1000", "000001ffffffffff"))
                .startsWith("it needs root, to start a process as an unprivileged user (running as uid 1000)"));
        assertTrue(UnprivilegedConnectProbe.missingPrivilege(status("0", "0000000000000000"))
                .startsWith("this process has no CAP_SETUID/CAP_SETGID"));
        assertTrue(
                UnprivilegedConnectProbe.missingPrivilege(status("0", "0000000000000080")) != null,
                "CAP_SETUID without CAP_SETGID is not enough");
        assertNull(UnprivilegedConnectProbe.missingPrivilege(status("0", "00000000000000c0")));
        assertTrue(UnprivilegedConnectProbe.missingPrivilege(tmp.resolve("missing"))
                .startsWith("cannot tell"));
    }

    @Test
    void connectError_andBlocked_fromBashMessages() {
        assertEquals(
                "Connection refused",
                UnprivilegedConnectProbe.connectError(
                        "seed-agent-probe: connect: Connection refused\nseed-agent-probe: line 1: /dev/tcp/1/80: Connection refused\n"));
        assertNull(UnprivilegedConnectProbe.connectError("setpriv: setresuid failed: Operation not permitted\n"));
        assertTrue(UnprivilegedConnectProbe.blocked("No route to host"));
        assertTrue(UnprivilegedConnectProbe.blocked("Operation not permitted"));
        assertTrue(!UnprivilegedConnectProbe.blocked("Name or service not known"));
    }

    private Path status(String uid, String capEff) throws Exception {
        return Files.writeString(
                tmp.resolve("status-" + uid + "-" + capEff),
                "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nCapEff:\t" + capEff + "\n");
    }
}
