package org.seedagent.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/1.1 server on 127.0.0.1 over plain sockets, for the faults an HTTP library will not
 * produce: a body shorter than its Content-Length followed by a close, a reset (RST) in the middle of
 * a body, an endless chunked body, a body trickled one byte at a time, a connection closed without a
 * response, raw bytes that are not UTF-8. Connections are kept alive until a handler ends one, as a
 * real metadata service does. One thread per connection (named {@code raw-http-*}, daemon threads).
 */
final class RawHttpServer implements AutoCloseable {
    /** A parsed request; header names are lower case. */
    record Request(String method, String path, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Answers one request through the exchange; may end the connection. */
    @FunctionalInterface
    interface Handler {
        void handle(Request request, Exchange exchange) throws IOException, InterruptedException;
    }

    static final String THREAD_PREFIX = "raw-http-";

    private final ServerSocket server;
    private final Handler handler;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean closed;

    private RawHttpServer(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, THREAD_PREFIX + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    static RawHttpServer start(Handler handler) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return new RawHttpServer(socket, handler);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                // Head and body leave in separate writes: without this, Nagle's algorithm and the client's
                // delayed ACK add 40 ms to every answer.
                socket.setTcpNoDelay(true);
                connections.incrementAndGet();
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            Exchange exchange = new Exchange(socket);
            while (!closed && !exchange.ended) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                requests.incrementAndGet();
                handler.handle(request, exchange);
            }
        } catch (IOException e) {
            // The client went away or a fault ended the connection: nothing to do.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 65536) {
                throw new IOException("request head too long");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        String length = headers.get("content-length");
        if (length != null) {
            in.readNBytes(Integer.parseInt(length));
        }
        return new Request(first[0], first.length > 1 ? first[1] : "/", headers);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }

    /** The connection of one or more requests; a fault ends it. */
    static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private boolean ended;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** A complete response; the connection stays open for the next request. */
        void respond(int status, Map<String, String> headers, byte[] body) throws IOException {
            byte[] head = head(status, headers, body.length, false);
            byte[] whole = java.util.Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            out.write(whole);
            out.flush();
        }

        void respond(int status, String body) throws IOException {
            respond(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        }

        /** Declares {@code declared} bytes, sends {@code sent} (fewer), then closes normally (FIN). */
        void truncated(int status, int declared, byte[] sent) throws IOException {
            out.write(head(status, Map.of(), declared, false));
            out.write(sent);
            out.flush();
            end(false);
        }

        /** A chunked 200 whose first chunk declares {@code declared} bytes, of which {@code sent} come, then FIN. */
        void truncatedChunked(int declared, byte[] sent) throws IOException {
            out.write(head(200, Map.of(), -1, true));
            out.write((Integer.toHexString(declared) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            end(false);
        }

        /** Declares {@code declared} bytes, sends {@code sent}, then resets the connection (RST). */
        void resetMidBody(int status, int declared, byte[] sent) throws IOException {
            out.write(head(status, Map.of(), declared, false));
            out.write(sent);
            out.flush();
            end(true);
        }

        /** Resets the connection before any response. */
        void reset() throws IOException {
            end(true);
        }

        /** Closes the connection before any response. */
        void hangUp() throws IOException {
            end(false);
        }

        /** A chunked 200 whose body never ends: digits and dots until the client gives up. */
        void endless() throws IOException {
            out.write(head(200, Map.of(), -1, true));
            byte[] chunk = ("2000\r\n" + "1.".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (long sent = 0; sent < (1L << 34); sent += 8192) {
                    out.write(chunk);
                }
            } finally {
                end(false);
            }
        }

        /** A 200 with {@code body} whose headers are sent one byte per {@code gap}. */
        void trickleHeaders(byte[] body, Duration gap) throws IOException, InterruptedException {
            byte[] head = head(200, Map.of("X-Padding", "x".repeat(40)), body.length, false);
            for (byte b : head) {
                out.write(b);
                out.flush();
                Thread.sleep(gap.toMillis());
            }
            out.write(body);
            out.flush();
        }

        /** A 200 with {@code body}, sent one byte per {@code gap}. */
        void trickle(byte[] body, Duration gap) throws IOException, InterruptedException {
            out.write(head(200, Map.of(), body.length, false));
            out.flush();
            for (byte b : body) {
                Thread.sleep(gap.toMillis());
                out.write(b);
                out.flush();
            }
        }

        private void end(boolean reset) throws IOException {
            ended = true;
            try {
                if (reset) {
                    socket.setSoLinger(true, 0);
                }
                socket.close();
            } catch (SocketException e) {
                // Already gone.
            }
        }

        private static byte[] head(int status, Map<String, String> headers, int length, boolean chunked) {
            StringBuilder h = new StringBuilder("HTTP/1.1 ")
                    .append(status)
                    .append(' ')
                    .append(reason(status))
                    .append("\r\n");
            h.append("Content-Type: text/plain\r\n");
            headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
            h.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n");
            h.append("\r\n");
            return h.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
