package org.seedagent.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small EC2 instance metadata service on 127.0.0.1 that behaves like IMDSv2 for the items
 * seed-agent reads: a token from {@code PUT /latest/api/token} (TTL header required, 1-21600 s,
 * {@code X-Forwarded-For} refused), 401 for a GET without a valid token, 404 for a missing item.
 *
 * <p>For demos, tests and benchmarks it also has a control interface under {@code /emulator/}:
 * {@code PUT /emulator/meta-data/ITEM} (body = new value), {@code DELETE /emulator/meta-data/ITEM},
 * {@code POST /emulator/forget-tokens} (as when IMDS restarts: every token becomes invalid), and
 * {@code GET /emulator/stats} (request counts).
 *
 * <p>With {@link #enableEc2} it emulates the EC2 side too (see {@link Ec2Emulator}): the instance profile's
 * credentials, and DescribeAddresses/AssociateAddress as form POSTs to {@code /} on the same port (so
 * {@code ec2.endpoint} is the emulator's endpoint); {@code POST /emulator/ec2/enable} (body: the Elastic IP,
 * or nothing; answers its allocation id) turns it on while the emulator runs; {@code POST
 * /emulator/ec2/take-away} (body: an instance id) has another instance take the Elastic IP.
 */
public final class MetadataEmulator implements AutoCloseable {
    static final String TOKEN_PATH = "/latest/api/token";
    static final String DATA_PREFIX = "/latest/meta-data/";
    static final String CONTROL_PREFIX = "/emulator/meta-data/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> items = new ConcurrentHashMap<>();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong dataRequests = new AtomicLong();
    private final AtomicLong rejectedRequests = new AtomicLong();
    private final AtomicLong eventRequests = new AtomicLong();
    private volatile Ec2Emulator ec2;

    private MetadataEmulator(HttpServer server, Clock clock, Map<String, String> initialItems) {
        this.server = server;
        this.clock = clock;
        this.items.putAll(initialItems);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "metadata-emulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts on 127.0.0.1:{@code port} (0: any free port) serving {@code items}. */
    public static MetadataEmulator start(int port, Map<String, String> items, Clock clock) throws IOException {
        // The JDK server writes headers and body separately; without TCP_NODELAY every response waits
        // for the client's delayed ACK (~40 ms), which the real IMDS does not do.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        MetadataEmulator emulator = new MetadataEmulator(server, clock, items);
        server.start();
        return emulator;
    }

    /** A plausible on-demand instance with public IPv4 {@code publicIpv4} (null: none). */
    public static Map<String, String> sampleInstance(String publicIpv4) {
        Map<String, String> items = new TreeMap<>();
        if (publicIpv4 != null) {
            items.put("public-ipv4", publicIpv4);
        }
        items.put("local-ipv4", "172.31.16.20");
        items.put("instance-id", "i-0123456789abcdef0");
        items.put("instance-type", "m6i.large");
        items.put("placement/region", "us-east-1");
        items.put("instance-life-cycle", "on-demand");
        items.put("mac", "0e:49:61:0f:c3:11");
        // A seed normally has an instance profile: condor_annex uses it to start annex nodes.
        items.put(
                "iam/info",
                "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-11-25T12:00:00Z\",\n"
                        + "  \"InstanceProfileArn\" : \"arn:aws:iam::123456789012:instance-profile/seed-annex\",\n"
                        + "  \"InstanceProfileId\" : \"AIPAEXAMPLEEXAMPLE0001\"\n}");
        // An EBS-backed instance with no instance-store volumes and nothing scheduled.
        items.put("block-device-mapping/", "ami\nroot");
        items.put("block-device-mapping/ami", "/dev/xvda");
        items.put("block-device-mapping/root", "/dev/xvda");
        items.put(SCHEDULED_EVENTS, "[]");
        return items;
    }

    /** The metadata item of scheduled maintenance events. */
    public static final String SCHEDULED_EVENTS = "events/maintenance/scheduled";

    /**
     * {@code events/maintenance/scheduled} announcing {@code codes} as EC2 does: active, a week from
     * {@code now}, a two-hour window, EC2's time format.
     */
    public static String scheduledEvents(java.util.List<String> codes, Instant now) {
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(
                        "d MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH)
                .withZone(java.time.ZoneOffset.UTC);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < codes.size(); i++) {
            Instant start = now.plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            json.append(i == 0 ? "\n" : ",\n")
                    .append("  {\n")
                    .append("    \"NotBefore\" : \"")
                    .append(format.format(start))
                    .append("\",\n")
                    .append("    \"Code\" : \"")
                    .append(codes.get(i))
                    .append("\",\n")
                    .append("    \"Description\" : \"scheduled ")
                    .append(codes.get(i).replace('-', ' '))
                    .append("\",\n")
                    .append("    \"EventId\" : \"instance-event-0")
                    .append(String.format("%016x", 0x5eedL + i))
                    .append("\",\n")
                    .append("    \"NotAfter\" : \"")
                    .append(format.format(start.plus(Duration.ofHours(2))))
                    .append("\",\n")
                    .append("    \"State\" : \"active\"\n  }");
        }
        return json.append(codes.isEmpty() ? "]" : "\n]").toString();
    }

    /**
     * Emulates the EC2 side: the instance profile's credentials and the EC2 Query API for one Elastic IP.
     *
     * @param elasticIp the account's Elastic IP, or null for none
     * @param holder the instance it is associated with now, or null
     * @param denied EC2 actions the role may not make (403 UnauthorizedOperation)
     * @return the Elastic IP's allocation id, or null
     */
    public String enableEc2(String elasticIp, String holder, java.util.Set<String> denied) {
        Ec2Emulator emulator = new Ec2Emulator(clock, items, elasticIp, holder, denied);
        ec2 = emulator;
        return emulator.allocationId();
    }

    /** The allocation id the emulator gives {@code address} as an Elastic IP. */
    public static String allocationIdOf(String address) {
        return Ec2Emulator.allocationIdOf(address);
    }

    public long associateCalls() {
        Ec2Emulator e = ec2;
        return e == null ? 0 : e.associateCalls();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void set(String item, String value) {
        items.put(item, value);
    }

    /** Told each change made through the control endpoints: the item, and its new value (null: removed). */
    private volatile java.util.function.BiConsumer<String, String> changes = (item, value) -> {};

    /** {@code listener} is told every change made through the control endpoints while it runs. */
    public MetadataEmulator onChange(java.util.function.BiConsumer<String, String> listener) {
        this.changes = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The current answer for {@code item}, or null (404). */
    public String item(String item) {
        return items.get(item);
    }

    public void remove(String item) {
        items.remove(item);
    }

    public void forgetTokens() {
        tokens.clear();
    }

    public long tokenRequests() {
        return tokenRequests.get();
    }

    public long dataRequests() {
        return dataRequests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(TOKEN_PATH)) {
                issueToken(exchange, method);
            } else if (path.startsWith(DATA_PREFIX)) {
                serveItem(exchange, method, path.substring(DATA_PREFIX.length()));
            } else if (path.startsWith("/emulator/")) {
                control(exchange, method, path);
            } else if (path.equals("/") && ec2 != null) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(1 << 16);
                }
                Ec2Emulator.Response answer = ec2.handle(method, path, exchange.getRequestHeaders()::getFirst, body);
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } else {
                respond(exchange, 404, "Not Found");
            }
        }
    }

    private void issueToken(HttpExchange exchange, String method) throws IOException {
        tokenRequests.incrementAndGet();
        if (!method.equals("PUT")) {
            respond(exchange, 405, "Method Not Allowed");
            return;
        }
        if (exchange.getRequestHeaders().containsKey("X-Forwarded-For")) {
            respond(exchange, 403, "Forbidden");
            return;
        }
        String ttlHeader = exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds");
        long ttl;
        try {
            ttl = Long.parseLong(ttlHeader == null ? "" : ttlHeader.strip());
        } catch (NumberFormatException e) {
            ttl = -1;
        }
        if (ttl < 1 || ttl > 21600) {
            respond(exchange, 400, "Bad Request");
            return;
        }
        byte[] raw = new byte[40];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.put(token, clock.instant().plus(Duration.ofSeconds(ttl)));
        exchange.getResponseHeaders().add("X-aws-ec2-metadata-token-ttl-seconds", Long.toString(ttl));
        respond(exchange, 200, token);
    }

    private void serveItem(HttpExchange exchange, String method, String item) throws IOException {
        dataRequests.incrementAndGet();
        if (item.equals(SCHEDULED_EVENTS)) {
            eventRequests.incrementAndGet();
        }
        if (!method.equals("GET")) {
            respond(exchange, 405, "Method Not Allowed");
            return;
        }
        String token = exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token");
        Instant expiry = token == null ? null : tokens.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            rejectedRequests.incrementAndGet();
            respond(exchange, 401, "Unauthorized");
            return;
        }
        Ec2Emulator e = ec2;
        if (e != null) {
            e.beforeItem();
        }
        String value = items.get(item);
        if (value == null) {
            respond(exchange, 404, "Not Found");
        } else {
            respond(exchange, 200, value);
        }
    }

    private void control(HttpExchange exchange, String method, String path) throws IOException {
        if (path.startsWith(CONTROL_PREFIX) && path.length() > CONTROL_PREFIX.length()) {
            String item = path.substring(CONTROL_PREFIX.length());
            if (method.equals("PUT")) {
                String value;
                try (InputStream body = exchange.getRequestBody()) {
                    value = new String(body.readNBytes(1 << 20), StandardCharsets.UTF_8);
                }
                items.put(item, value);
                changes.accept(item, value);
                respond(exchange, 204, "");
                return;
            }
            if (method.equals("DELETE")) {
                items.remove(item);
                changes.accept(item, null);
                respond(exchange, 204, "");
                return;
            }
        } else if (path.equals("/emulator/forget-tokens") && method.equals("POST")) {
            forgetTokens();
            respond(exchange, 204, "");
            return;
        } else if (path.equals("/emulator/ec2/enable") && method.equals("POST")) {
            String elasticIp;
            try (InputStream body = exchange.getRequestBody()) {
                elasticIp = new String(body.readNBytes(64), StandardCharsets.UTF_8).strip();
            }
            if (!elasticIp.isEmpty() && org.seedagent.metadata.Ipv4Address.whyInvalid(elasticIp) != null) {
                respond(exchange, 400, "not an IPv4 address");
                return;
            }
            String allocation = enableEc2(elasticIp.isEmpty() ? null : elasticIp, null, java.util.Set.of());
            respond(exchange, 200, allocation == null ? "" : allocation);
            return;
        } else if (path.equals("/emulator/ec2/take-away") && method.equals("POST") && ec2 != null) {
            String other;
            try (InputStream body = exchange.getRequestBody()) {
                other = new String(body.readNBytes(64), StandardCharsets.UTF_8).strip();
            }
            ec2.takeAway(other.isEmpty() ? "i-0fedcba9876543210" : other, "198.51.100.200");
            respond(exchange, 204, "");
            return;
        } else if (path.equals("/emulator/stats") && method.equals("GET")) {
            respond(
                    exchange,
                    200,
                    "token_requests " + tokenRequests.get() + "\n"
                            + "data_requests " + dataRequests.get() + "\n"
                            + "rejected_requests " + rejectedRequests.get() + "\n"
                            + "event_requests " + eventRequests.get() + "\n"
                            + (ec2 == null
                                    ? ""
                                    : "ec2_describe_addresses " + ec2.describeCalls() + "\n" + "ec2_associate_address "
                                            + ec2.associateCalls() + "\n"));
            return;
        }
        respond(exchange, 404, "Not Found");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        if (status == 204) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
