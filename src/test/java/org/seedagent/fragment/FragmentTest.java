package org.seedagent.fragment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.seedagent.metadata.Ipv4Address;

/**
 * Golden-file tests: the exact bytes of the fragment. To regenerate after a deliberate change, run
 * {@code mvn test -Dtest=FragmentTest -Dseedagent.updateGolden=true} and review the diff.
 */
class FragmentTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void text_publicAddress_matchesGoldenFile() throws IOException {
        Fragment fragment =
                new Fragment(Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0");
        assertGolden("fragment-public.conf", fragment.text());
    }

    @Test
    void text_privateAddressWithoutInstanceId_matchesGoldenFile() throws IOException {
        Fragment fragment = new Fragment(Ipv4Address.parse("172.31.16.20"), Fragment.AddressKind.PRIVATE, null);
        assertGolden("fragment-private-no-id.conf", fragment.text());
    }

    @Test
    void text_sameFacts_sameBytes() {
        Fragment a =
                new Fragment(Ipv4Address.parse("198.51.100.7"), Fragment.AddressKind.PUBLIC, "i-0abcdef1234567890");
        Fragment b =
                new Fragment(Ipv4Address.parse("198.51.100.7"), Fragment.AddressKind.PUBLIC, "i-0abcdef1234567890");
        assertEquals(a.text(), b.text());
    }

    @Test
    void text_everyLineOfTheFactsIsACommentOrAnAssignment_thenTheFixedCollectorBlock() {
        String text = new Fragment(
                        Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0")
                .text();
        // The one block with $( and an if is fixed text, the same in every fragment (FragmentRealHtcondorTest).
        assertTrue(text.endsWith("\n\n" + Fragment.COLLECTOR_ITSELF), text);
        String facts = text.substring(0, text.length() - Fragment.COLLECTOR_ITSELF.length());
        for (String line : facts.split("\n")) {
            assertTrue(
                    line.isEmpty() || line.startsWith("#") || line.matches("[A-Za-z0-9_]+ = [^\\\\$@]+"),
                    "unexpected line: " + line);
        }
    }

    @Test
    void new_instanceIdWithInjection_rejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Fragment(
                        Ipv4Address.parse("203.0.113.10"),
                        Fragment.AddressKind.PUBLIC,
                        "i-0123456789abcdef0\"\nALLOW_WRITE = *"));
    }

    @Test
    void forwardingHostIn_ourFragment_returnsAddress() {
        String text = new Fragment(Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, null).text();
        assertEquals("203.0.113.10", Fragment.forwardingHostIn(text));
        assertTrue(Fragment.isOurs(text));
    }

    @Test
    void forwardingHostIn_foreignFile_returnsNull() {
        assertNull(Fragment.forwardingHostIn("TCP_FORWARDING_HOST = 1.2.3.4\n"));
        assertFalse(Fragment.isOurs("EC2PublicIP = 1.2.3.4\n"));
    }

    static void assertGolden(String name, String actual) throws IOException {
        org.seedagent.testing.Golden.assertMatches(GOLDEN, name, actual);
    }
}
