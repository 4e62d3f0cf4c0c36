package org.seedagent.realcondor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.testing.Await;

/**
 * The namespace the real-pool tests run in: addresses made local there are not on this host, and closing it
 * leaves none of its processes running, not even one that detached itself (setsid, orphaned) as the
 * systemctl stand-in's condor_master does.
 */
class NetNamespaceTest {
    @Test
    void addressesStayInside_andCloseKillsEveryProcessInIt_detachedOnesToo() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (unshare -n)");
        Process inside;
        long detached;
        long holder;
        try (NetNamespace ns = NetNamespace.create()) {
            holder = ns.holderPid();
            assertNotEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                    Files.readSymbolicLink(Path.of("/proc", Long.toString(holder), "ns", "net")),
                    "a namespace of its own");
            ns.addAddress("203.0.113.99");
            assertTrue(
                    ns.check("ip", "-o", "addr", "show", "dev", "lo").stdout().contains("inet 203.0.113.99/32"));
            assertTrue(
                    ns.check("ip", "-o", "link", "show", "dev", "lo").stdout().contains("UP"), "lo is up");
            ProcessResult host =
                    new SystemProcessRunner().run(List.of("ip", "-o", "addr", "show"), Duration.ofSeconds(30));
            assertFalse(host.stdout().contains("203.0.113.99"), "the address is not on this host: " + host.stdout());

            inside = ns.builder(List.of("sleep", "1000")).start();
            ProcessResult spawned =
                    ns.run(Map.of(), List.of("sh", "-c", "setsid sleep 1001 >/dev/null 2>&1 </dev/null & echo $!"));
            detached = Long.parseLong(spawned.stdout().strip());
            List<Long> started = List.of(inside.pid(), detached);
            Await.that("processes " + started + " in the namespace", Duration.ofSeconds(10))
                    .every(Duration.ofMillis(50))
                    .until(ns::processes, pids -> pids.containsAll(started));
            assertFalse(ns.processes().contains(holder), "the holder is not counted among them");
        }
        assertFalse(inside.isAlive(), "the process started inside is gone");
        assertFalse(NetNamespace.alive(detached), "the detached process is gone");
        assertFalse(NetNamespace.alive(holder), "the namespace holder is gone");
    }
}
