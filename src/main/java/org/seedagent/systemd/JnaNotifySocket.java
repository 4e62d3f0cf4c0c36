package org.seedagent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link NotifySocket} through libc, called with JNA: {@code socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC)}
 * and {@code sendto(2)}. Java 17 cannot open AF_UNIX datagram sockets itself, and neither libsystemd
 * (not always installed) nor a {@code systemd-notify} child (a different PID, which
 * {@code NotifyAccess=main} ignores) will do. This class is loaded only when a message is first sent.
 */
final class JnaNotifySocket implements NotifySocket {
    // Linux values (generic ABI: x86-64, aarch64).
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDTIMEO = 21;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** A full receive queue makes sendto block; the daemon loop must not hang on it. */
    private static final long SEND_TIMEOUT_SECONDS = 2;

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private final byte[] sockaddr;
    private final int fd;

    private JnaNotifySocket(NotifyAddress address, int fd) {
        this.sockaddr = address.sockaddr();
        this.fd = fd;
    }

    static NotifySocket open(NotifyAddress address) throws IOException {
        if (!Platform.isLinux()) {
            throw new IOException("sd_notify is implemented for Linux only");
        }
        LibC libc = Holder.LIBC;
        int fd;
        try {
            fd = libc.socket(NotifyAddress.AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure("socket(AF_UNIX, SOCK_DGRAM)", e);
        }
        try {
            byte[] timeval = timeval(SEND_TIMEOUT_SECONDS);
            libc.setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, timeval, timeval.length);
        } catch (LastErrorException e) {
            // Not fatal: sends are then merely unbounded, as libsystemd's are.
        }
        return new JnaNotifySocket(address, fd);
    }

    @Override
    public void send(byte[] message) throws IOException {
        long sent;
        try {
            sent = Holder.LIBC
                    .sendto(fd, message, new NativeLong(message.length), MSG_NOSIGNAL, sockaddr, sockaddr.length)
                    .longValue();
        } catch (LastErrorException e) {
            throw failure("sendto", e);
        }
        if (sent != message.length) {
            throw new IOException("sendto sent " + sent + " of " + message.length + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Holder.LIBC.close(fd);
        } catch (LastErrorException e) {
            throw failure("close", e);
        }
    }

    /** A {@code struct timeval} ({@code long tv_sec; long tv_usec;}) in host layout. */
    private static byte[] timeval(long seconds) {
        ByteBuffer value = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
        if (Native.LONG_SIZE == 8) {
            value.putLong(seconds).putLong(0);
        } else {
            value.putInt((int) seconds).putInt(0);
        }
        return value.array();
    }

    private static IOException failure(String call, LastErrorException e) {
        return new IOException(call + " failed: " + e.getMessage(), e);
    }
}
