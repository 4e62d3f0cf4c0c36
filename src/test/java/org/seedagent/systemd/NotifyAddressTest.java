package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotifyAddressTest {

    private static byte[] family() {
        return ByteBuffer.allocate(2)
                .order(ByteOrder.nativeOrder())
                .putShort((short) 1)
                .array();
    }

    @Test
    void parse_path_isNulTerminatedWithoutPadding() {
        NotifyAddress address = NotifyAddress.parse("/run/systemd/notify");

        byte[] expected = ByteBuffer.allocate(2 + 19 + 1)
                .put(family())
                .put("/run/systemd/notify".getBytes())
                .put((byte) 0)
                .array();
        assertArrayEquals(expected, address.sockaddr());
        assertEquals("/run/systemd/notify", address.toString());
    }

    @Test
    void parse_abstract_startsWithNulAndLengthCoversOnlyTheName() {
        NotifyAddress address = NotifyAddress.parse("@/org/freedesktop/systemd1/notify/123");

        String name = "/org/freedesktop/systemd1/notify/123";
        byte[] expected = ByteBuffer.allocate(2 + 1 + name.length())
                .put(family())
                .put((byte) 0)
                .put(name.getBytes())
                .array();
        assertArrayEquals(expected, address.sockaddr());
        assertTrue(address.isAbstract());
    }

    @Test
    void parse_longestNamesThatFit() {
        assertEquals(2 + 108, NotifyAddress.parse("/" + "p".repeat(106)).sockaddr().length);
        assertEquals(2 + 108, NotifyAddress.parse("@" + "a".repeat(107)).sockaddr().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "run/notify", "vsock:2:1234", "notify"})
    void parse_unusable_isRejected(String value) {
        assertThrows(IllegalArgumentException.class, () -> NotifyAddress.parse(value));
    }

    @Test
    void parse_tooLong_isRejectedWithReason() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NotifyAddress.parse("/" + "p".repeat(107)));
        assertTrue(e.getMessage().contains("108 bytes long; at most 107"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NotifyAddress.parse("@" + "a".repeat(108)));
    }
}
