package org.seedagent.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The address in {@code NOTIFY_SOCKET}, encoded as the Linux {@code struct sockaddr_un} that
 * {@code sendto(2)} takes: a {@code sa_family_t sun_family} (2 bytes, host byte order) followed by
 * {@code char sun_path[108]}.
 *
 * <ul>
 *   <li>{@code /path}: the NUL-terminated path; the address length is {@code 2 + path bytes + 1}.
 *   <li>{@code @name}: an abstract socket: {@code sun_path} starts with a NUL byte and the name is
 *       NOT NUL-terminated; the address length is exactly {@code 2 + 1 + name bytes}, because the
 *       kernel treats every byte within that length (trailing NULs included) as part of the name.
 * </ul>
 * Anything else (a relative path, systemd's newer {@code vsock:} form) is rejected.
 */
final class NotifyAddress {
    static final int AF_UNIX = 1;
    /** {@code offsetof(struct sockaddr_un, sun_path)} on Linux. */
    static final int SUN_PATH_OFFSET = 2;
    /** {@code sizeof(((struct sockaddr_un) 0).sun_path)} on Linux. */
    static final int SUN_PATH_SIZE = 108;

    private final String text;
    private final byte[] sockaddr;

    private NotifyAddress(String text, byte[] sockaddr) {
        this.text = text;
        this.sockaddr = sockaddr;
    }

    /**
     * Parses a {@code NOTIFY_SOCKET} value.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static NotifyAddress parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("it is empty");
        }
        boolean isAbstract = value.charAt(0) == '@';
        if (!isAbstract && value.charAt(0) != '/') {
            throw new IllegalArgumentException(
                    "it is neither an absolute path nor an abstract socket name starting with @");
        }
        byte[] name = (isAbstract ? value.substring(1) : value).getBytes(StandardCharsets.UTF_8);
        if (isAbstract && name.length == 0) {
            throw new IllegalArgumentException("the abstract socket name after @ is empty");
        }
        for (byte b : name) {
            if (b == 0) {
                throw new IllegalArgumentException("it contains a NUL character");
            }
        }
        // Both forms use one byte of sun_path besides the name: the leading NUL or the terminating NUL.
        if (name.length + 1 > SUN_PATH_SIZE) {
            throw new IllegalArgumentException(
                    "it is " + name.length + " bytes long; at most " + (SUN_PATH_SIZE - 1) + " fit");
        }
        ByteBuffer address =
                ByteBuffer.allocate(SUN_PATH_OFFSET + 1 + name.length).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX);
        if (isAbstract) {
            address.put((byte) 0).put(name);
        } else {
            address.put(name).put((byte) 0);
        }
        return new NotifyAddress(value, address.array());
    }

    /** The bytes to pass as {@code dest_addr}; their count is {@code addrlen}. */
    byte[] sockaddr() {
        return sockaddr.clone();
    }

    boolean isAbstract() {
        return text.charAt(0) == '@';
    }

    /** The {@code NOTIFY_SOCKET} value, as systemd wrote it. */
    @Override
    public String toString() {
        return text;
    }
}
