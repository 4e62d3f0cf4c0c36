package org.seedagent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.seedagent.testing.Await;

/**
 * The systemd side of sd_notify for tests: a real AF_UNIX datagram socket bound to a path or an abstract
 * name, read with a receive time-out. Builds its own {@code sockaddr_un} (independently of the code under
 * test), so an abstract address sent with the wrong length does not reach it.
 */
public final class UnixDatagramReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final int fd;
    private final String notifySocket;
    private final List<String> awaited = new ArrayList<>();

    private UnixDatagramReceiver(int fd, String notifySocket) {
        this.fd = fd;
        this.notifySocket = notifySocket;
    }

    /** Binds a socket file at {@code path}. */
    public static UnixDatagramReceiver bindPath(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer address = ByteBuffer.allocate(2 + 108).order(ByteOrder.nativeOrder()); // whole struct, zero-filled
        address.putShort((short) AF_UNIX).put(name);
        return bind(address.array(), address.capacity(), path.toString());
    }

    /** Binds the abstract name {@code name} (NOTIFY_SOCKET {@code @name}). */
    public static UnixDatagramReceiver bindAbstract(String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer address = ByteBuffer.allocate(2 + 1 + bytes.length).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX).put((byte) 0).put(bytes);
        return bind(address.array(), address.capacity(), "@" + name);
    }

    private static UnixDatagramReceiver bind(byte[] address, int length, String notifySocket) throws IOException {
        int fd = LibC.INSTANCE.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            LibC.INSTANCE.bind(fd, address, length);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IOException("bind " + notifySocket + ": " + e.getMessage(), e);
        }
        return new UnixDatagramReceiver(fd, notifySocket);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String notifySocket() {
        return notifySocket;
    }

    /** The next datagram, or empty when none arrives within {@code timeout}. */
    public Optional<byte[]> receive(Duration timeout) {
        ByteBuffer timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        timeval.putLong(timeout.toSeconds()).putLong(timeout.toMillisPart() * 1000L);
        LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval.array(), 16);
        byte[] buffer = new byte[4096];
        try {
            long n = LibC.INSTANCE
                    .recv(fd, buffer, new NativeLong(buffer.length), 0)
                    .longValue();
            return Optional.of(Arrays.copyOf(buffer, (int) n));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The next datagram as UTF-8 text; fails the test when none arrives within 5 s. */
    public String receiveText() {
        return new String(
                receive(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no datagram on " + notifySocket)),
                StandardCharsets.UTF_8);
    }

    /**
     * Receives until a datagram on the socket (which {@code sender} notifies) contains {@code wanted}, and returns it. Fails after
     * {@code timeout}, or once {@code sender} has exited and nothing it sent is left to read, naming every datagram
     * this method received so far, then {@code detail} (a log).
     */
    public String await(String wanted, Duration timeout, Process sender, Callable<String> detail) throws Exception {
        return Await.that(wanted + " on " + notifySocket, timeout)
                .every(Duration.ZERO)
                .detail(() -> "received " + awaited + "\n" + detail.call())
                .until(
                        () -> {
                            // Sampled before the receive: a sender that sent and exited during it is not failed.
                            boolean alive = sender.isAlive();
                            Optional<String> text =
                                    receive(Duration.ofMillis(500)).map(b -> new String(b, StandardCharsets.UTF_8));
                            text.ifPresent(awaited::add);
                            if (text.isEmpty() && !alive) {
                                throw new AssertionError("the sender exited with " + sender.exitValue() + " before "
                                        + wanted + "; received " + awaited + "\n" + detail.call());
                            }
                            return text;
                        },
                        text -> text.isPresent() && text.get().contains(wanted))
                .orElseThrow();
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }
}
