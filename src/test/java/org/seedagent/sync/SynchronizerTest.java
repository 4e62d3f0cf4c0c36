package org.seedagent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.NoPublicIpPolicy;
import org.seedagent.fragment.FragmentFile;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;

class SynchronizerTest {
    @TempDir
    Path dir;

    private static final InstanceFacts FACTS = new InstanceFacts(
            "i-0123456789abcdef0", "m6i.large", "us-east-1", "on-demand", Ipv4Address.parse("172.31.16.20"));
    private static final Optional<Ipv4Address> IP_A = Optional.of(Ipv4Address.parse("203.0.113.10"));
    private static final Optional<Ipv4Address> IP_B = Optional.of(Ipv4Address.parse("198.51.100.7"));

    private Path fragment() {
        return dir.resolve("50-seed-agent.conf");
    }

    private Synchronizer synchronizer(NoPublicIpPolicy policy) {
        return new Synchronizer(new FragmentFile(fragment()), policy);
    }

    @Test
    void apply_firstTime_writesAndReportsChange() throws Exception {
        SyncResult result = synchronizer(NoPublicIpPolicy.LOCAL_IPV4).apply(IP_A, FACTS);
        assertEquals(SyncResult.Action.WRITTEN, result.action());
        assertTrue(result.addressChanged());
        assertEquals("wrote " + fragment() + ": TCP_FORWARDING_HOST = 203.0.113.10", result.describe());
        assertTrue(Files.readString(fragment()).contains("TCP_FORWARDING_HOST = 203.0.113.10\n"));
        assertTrue(Files.readString(fragment()).contains("EC2InstanceID = \"i-0123456789abcdef0\"\n"));
    }

    @Test
    void apply_sameAddress_unchanged() throws Exception {
        Synchronizer sync = synchronizer(NoPublicIpPolicy.LOCAL_IPV4);
        sync.apply(IP_A, FACTS);
        SyncResult result = sync.apply(IP_A, FACTS);
        assertEquals(SyncResult.Action.UNCHANGED, result.action());
        assertFalse(result.addressChanged());
        assertEquals("unchanged " + fragment() + ": TCP_FORWARDING_HOST = 203.0.113.10", result.describe());
    }

    @Test
    void apply_newAddress_rewrittenWithPrevious() throws Exception {
        Synchronizer sync = synchronizer(NoPublicIpPolicy.LOCAL_IPV4);
        sync.apply(IP_A, FACTS);
        SyncResult result = sync.apply(IP_B, FACTS);
        assertEquals(SyncResult.Action.WRITTEN, result.action());
        assertEquals("203.0.113.10", result.previousHost());
        assertTrue(result.addressChanged());
        assertTrue(
                result.describe().endsWith("TCP_FORWARDING_HOST = 198.51.100.7 (was 203.0.113.10)"), result.describe());
    }

    @Test
    void apply_handEditedFragment_restored() throws Exception {
        Synchronizer sync = synchronizer(NoPublicIpPolicy.LOCAL_IPV4);
        sync.apply(IP_A, FACTS);
        Files.writeString(fragment(), Files.readString(fragment()) + "ALLOW_WRITE = *\n");
        SyncResult result = sync.apply(IP_A, FACTS);
        assertEquals(SyncResult.Action.WRITTEN, result.action());
        assertTrue(result.previousEdited());
        assertFalse(result.addressChanged());
        assertTrue(result.describe().endsWith("(restored: the file had been edited)"), result.describe());
        assertFalse(Files.readString(fragment()).contains("ALLOW_WRITE"));
    }

    @Test
    void apply_noPublicIpLocalPolicy_writesPrivateAddress() throws Exception {
        SyncResult result = synchronizer(NoPublicIpPolicy.LOCAL_IPV4).apply(Optional.empty(), FACTS);
        assertEquals(SyncResult.Action.WRITTEN, result.action());
        assertEquals("172.31.16.20", result.fragment().forwardingHost().text());
        assertTrue(
                result.describe().contains("no public IPv4 on this instance; private address used"), result.describe());
    }

    @Test
    void apply_noPublicIpLocalPolicyNoLocalAddress_failsAndKeepsFile() throws Exception {
        Synchronizer sync = synchronizer(NoPublicIpPolicy.LOCAL_IPV4);
        sync.apply(IP_A, FACTS);
        String before = Files.readString(fragment());
        InstanceFacts noLocal = new InstanceFacts("i-0123456789abcdef0", null, null, null, null);
        SyncException e = assertThrows(SyncException.class, () -> sync.apply(Optional.empty(), noLocal));
        assertTrue(e.getMessage().contains("was left as it was"), e.getMessage());
        assertEquals(before, Files.readString(fragment()));
    }

    @Test
    void apply_noPublicIpRemovePolicy_removesFragment() throws Exception {
        Synchronizer sync = synchronizer(NoPublicIpPolicy.REMOVE);
        sync.apply(IP_A, FACTS);
        SyncResult result = sync.apply(Optional.empty(), FACTS);
        assertEquals(SyncResult.Action.REMOVED, result.action());
        assertTrue(result.addressChanged());
        assertFalse(Files.exists(fragment()));
        assertEquals(
                SyncResult.Action.ABSENT, sync.apply(Optional.empty(), FACTS).action());
    }

    @Test
    void apply_noPublicIpKeepPolicy_leavesFile() throws Exception {
        Synchronizer sync = synchronizer(NoPublicIpPolicy.KEEP);
        sync.apply(IP_A, FACTS);
        String before = Files.readString(fragment());
        SyncResult result = sync.apply(Optional.empty(), FACTS);
        assertEquals(SyncResult.Action.KEPT, result.action());
        assertNull(result.fragment());
        assertFalse(result.addressChanged());
        assertEquals(before, Files.readString(fragment()));
    }

    @Test
    void apply_foreignFileAtPath_replaced() throws IOException, Exception {
        Files.writeString(fragment(), "TCP_FORWARDING_HOST = 10.0.0.1\n");
        SyncResult result = synchronizer(NoPublicIpPolicy.LOCAL_IPV4).apply(IP_A, FACTS);
        assertEquals(SyncResult.Action.WRITTEN, result.action());
        assertTrue(result.describe().contains("replaced a file that was not seed-agent's"), result.describe());
    }
}
