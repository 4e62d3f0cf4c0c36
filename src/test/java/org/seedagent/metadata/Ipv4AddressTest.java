package org.seedagent.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "1.2.3.4", "10.0.0.1", "203.0.113.10", "199.200.249.100"})
    void parse_canonicalDottedQuad_keepsText(String text) {
        assertTrue(Ipv4Address.isValid(text));
        assertNull(Ipv4Address.whyInvalid(text));
        assertEquals(text, Ipv4Address.parse(text).text());
        assertEquals(text, Ipv4Address.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.4.5",
                "1..2.3",
                "256.1.1.1",
                "1.2.3.256",
                "01.2.3.4",
                "1.2.3.00",
                "1.2.3.4 ",
                " 1.2.3.4",
                "+1.2.3.4",
                "1.2.3.-4",
                "1.2.3.4\n",
                "1.2.3.",
                ".1.2.3",
                "1.2.3.4/32",
                "0x1.2.3.4",
                "1.2.3.1000",
                "1.2.3.4:80",
                "\uff11.2.3.4",
                "\u0661.2.3.4",
                "1.2.3.4\0",
                "1234.1.1.1",
                "a.b.c.d",
                "1,2,3,4",
            })
    void parse_notCanonicalDottedQuad_rejectedWithReason(String text) {
        assertFalse(Ipv4Address.isValid(text));
        assertNotNull(Ipv4Address.whyInvalid(text));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
    }

    @Test
    void parse_null_rejected() {
        assertFalse(Ipv4Address.isValid(null));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(null));
    }

    @Test
    void whyInvalid_leadingZero_namesOctet() {
        assertEquals("octet 01 has a leading zero", Ipv4Address.whyInvalid("01.2.3.4"));
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, true",
        "127.0.0.1, true",
        "172.16.0.1, true",
        "172.31.255.255, true",
        "172.32.0.1, false",
        "172.15.0.1, false",
        "192.168.1.1, true",
        "169.254.169.254, true",
        "100.64.0.1, true",
        "100.127.255.255, true",
        "100.128.0.1, false",
        "203.0.113.10, false",
        "8.8.8.8, false",
    })
    void isPrivate_address_matchesRanges(String text, boolean expected) {
        assertEquals(expected, Ipv4Address.parse(text).isPrivate());
    }

    @Test
    void octets_address_decimalValues() {
        assertArrayEquals(
                new int[] {203, 0, 113, 10}, Ipv4Address.parse("203.0.113.10").octets());
    }
}
