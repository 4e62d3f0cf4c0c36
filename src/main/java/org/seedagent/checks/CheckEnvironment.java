package org.seedagent.checks;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The host the checks look at: its file system root, name resolution and TCP connections. Tests use a
 * temporary directory tree and fakes; {@link #system()} is the real host.
 *
 * @param root the directory that stands for {@code /} (files, {@code /etc/passwd}, {@code /proc})
 * @param resolver resolves host names to IPv4 addresses
 * @param connector opens (and closes) a TCP connection
 * @param connectTimeout time-out of the self-reachability connection
 */
public record CheckEnvironment(Path root, Resolver resolver, Connector connector, Duration connectTimeout) {
    /** The default time-out of the self-reachability probe: short, a connection to oneself is fast. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** Resolves a host name. */
    @FunctionalInterface
    public interface Resolver {
        /** The IPv4 addresses of {@code host}, as dotted quads. */
        List<String> ipv4Addresses(String host) throws IOException;
    }

    /** Connects to a TCP port. */
    @FunctionalInterface
    public interface Connector {
        /** Connects to {@code address:port} and closes the connection; throws when it cannot connect in time. */
        void connect(String address, int port, Duration timeout) throws IOException;
    }

    public CheckEnvironment {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** This host: {@code /}, the system resolver, real sockets. */
    public static CheckEnvironment system() {
        return new CheckEnvironment(
                Path.of("/"), CheckEnvironment::resolve, CheckEnvironment::connectTo, CONNECT_TIMEOUT);
    }

    private static List<String> resolve(String host) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (address instanceof Inet4Address) {
                addresses.add(address.getHostAddress());
            }
        }
        return addresses;
    }

    private static void connectTo(String address, int port, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), (int) timeout.toMillis());
        }
    }
}
