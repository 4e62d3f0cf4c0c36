package org.seedagent.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.seedagent.emulator.MetadataEmulator;

/**
 * The metadata emulator behind a proxy that injects faults: each request is forwarded to a real
 * {@link MetadataEmulator} (tokens, 401 for unknown tokens, items) unless a fault answers instead. Faults
 * come at random, from a seeded generator, at {@link #setFaultRate a rate}, or for every request during
 * an outage ({@link #setOutage}). Counts what it injected.
 */
final class FaultProxy implements AutoCloseable {
    /** What can go wrong with one request. */
    enum Fault {
        STATUS_500,
        STATUS_503,
        STATUS_429,
        RESET,
        HANG_UP,
        SLOW,
        TRUNCATED_BODY,
        TOKENS_FORGOTTEN,
        HOSTILE_BODY,
        ENDLESS_BODY
    }

    private final MetadataEmulator emulator;
    private final RawHttpServer server;
    private final Random random;
    private final Duration slow;
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong forwarded = new AtomicLong();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private volatile double faultRate;
    private volatile boolean outage;

    FaultProxy(MetadataEmulator emulator, long seed, Duration slow) throws IOException {
        this.emulator = emulator;
        this.random = new Random(seed);
        this.slow = slow;
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicLong());
        }
        this.server = RawHttpServer.start(this::handle);
    }

    URI endpoint() {
        return server.endpoint();
    }

    void setFaultRate(double rate) {
        this.faultRate = rate;
    }

    void setOutage(boolean outage) {
        this.outage = outage;
    }

    Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        injected.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    long totalInjected() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long forwarded() {
        return forwarded.get();
    }

    /** Every session token the emulator issued through this proxy. */
    Set<String> tokens() {
        return Set.copyOf(tokens);
    }

    private synchronized Fault pick(boolean item) {
        if (outage) {
            Fault[] outageFaults = {Fault.STATUS_503, Fault.RESET, Fault.STATUS_500, Fault.HANG_UP};
            return outageFaults[random.nextInt(outageFaults.length)];
        }
        if (random.nextDouble() >= faultRate) {
            return null;
        }
        Fault f = Fault.values()[random.nextInt(Fault.values().length)];
        if (!item && (f == Fault.TRUNCATED_BODY || f == Fault.HOSTILE_BODY || f == Fault.ENDLESS_BODY)) {
            return Fault.STATUS_503;
        }
        return f;
    }

    private void handle(RawHttpServer.Request request, RawHttpServer.Exchange exchange)
            throws IOException, InterruptedException {
        boolean item = request.path().equals("/latest/meta-data/public-ipv4");
        Fault fault = pick(item);
        if (fault != null) {
            injected.get(fault).incrementAndGet();
            switch (fault) {
                case STATUS_500 -> exchange.respond(500, "Internal Server Error");
                case STATUS_503 -> exchange.respond(503, "Service Unavailable");
                case STATUS_429 -> exchange.respond(429, "Too Many Requests");
                case RESET -> exchange.reset();
                case HANG_UP -> exchange.hangUp();
                case SLOW -> {
                    Thread.sleep(slow.toMillis());
                    forward(request, exchange);
                }
                case TRUNCATED_BODY -> exchange.truncated(200, 15, "203.0.113.".getBytes(StandardCharsets.US_ASCII));
                case TOKENS_FORGOTTEN -> {
                    emulator.forgetTokens();
                    forward(request, exchange);
                }
                case HOSTILE_BODY ->
                    exchange.respond(200, Map.of(), "203.0.113.10\nALLOW_WRITE = *".getBytes(StandardCharsets.UTF_8));
                case ENDLESS_BODY -> exchange.endless();
            }
            return;
        }
        forward(request, exchange);
    }

    /**
     * Forwards over a new connection per request (Connection: close): on a kept-alive connection the
     * emulator's HttpServer answers ~40 ms late (it sends headers and body in separate writes without
     * TCP_NODELAY, and the client delays its ACK), which 10,000 polls cannot afford.
     */
    private void forward(RawHttpServer.Request request, RawHttpServer.Exchange exchange) throws IOException {
        forwarded.incrementAndGet();
        StringBuilder head = new StringBuilder(request.method())
                .append(' ')
                .append(request.path())
                .append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n");
        for (String header : new String[] {RawImds.TTL_HEADER, RawImds.TOKEN_HEADER}) {
            String value = request.header(header);
            if (value != null) {
                head.append(header).append(": ").append(value).append("\r\n");
            }
        }
        head.append("\r\n");
        byte[] raw;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), emulator.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            raw = socket.getInputStream().readAllBytes();
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).startsWith(RawImds.TTL_HEADER + ":")) {
                headers.put(
                        "X-aws-ec2-metadata-token-ttl-seconds",
                        lines[i].substring(lines[i].indexOf(':') + 1).strip());
            }
        }
        byte[] body = Arrays.copyOfRange(raw, split + 4, raw.length);
        if (status == 200 && request.path().equals("/latest/api/token")) {
            tokens.add(new String(body, StandardCharsets.US_ASCII));
        }
        exchange.respond(status, headers, body);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
