package org.seedagent.reliability;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.seedagent.emulator.MetadataEmulator;

/**
 * An IMDSv2 on {@link RawHttpServer} whose token endpoint and {@code public-ipv4} item can be given any
 * fault. Healthy, it behaves as the real service for what the agent reads: {@code PUT
 * /latest/api/token} with a TTL header issues a token (a new one each time), GETs need a token it issued
 * ({@link #forgetTokens} invalidates them all, as a restart of the service does, giving 401), a missing
 * item is 404. A {@link Fault} set on the token endpoint or on {@code public-ipv4} answers instead, for as
 * many requests as it was given (or for ever).
 */
final class RawImds implements AutoCloseable {
    static final String TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "x-aws-ec2-metadata-token";
    static final String TOKEN_PREFIX = "AQAEA-rawimds-secret-token-";

    /** Answers one request in place of the healthy service. */
    @FunctionalInterface
    interface Fault {
        void answer(RawHttpServer.Request request, RawHttpServer.Exchange exchange)
                throws IOException, InterruptedException;
    }

    private final RawHttpServer server;
    private final Map<String, String> items = new ConcurrentHashMap<>(MetadataEmulator.sampleInstance(null));
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger itemRequests = new AtomicInteger();
    private volatile byte[] publicIpv4;
    private volatile Fault tokenFault;
    private volatile Fault itemFault;
    private final AtomicInteger tokenFaultsLeft = new AtomicInteger();
    private final AtomicInteger itemFaultsLeft = new AtomicInteger();

    private RawImds(String publicIpv4) throws IOException {
        items.put(
                "iam/info",
                "{\"Code\": \"Success\", \"InstanceProfileArn\": \"arn:aws:iam::123456789012:instance-profile/seed\"}");
        setPublicIpv4(publicIpv4);
        server = RawHttpServer.start(this::handle);
    }

    static RawImds start(String publicIpv4) throws IOException {
        return new RawImds(publicIpv4);
    }

    URI endpoint() {
        return server.endpoint();
    }

    void setPublicIpv4(String ip) {
        publicIpv4 = ip == null ? null : ip.getBytes(StandardCharsets.UTF_8);
    }

    /** The exact bytes {@code public-ipv4} answers with, healthy (200). */
    void setPublicIpv4Bytes(byte[] body) {
        publicIpv4 = body;
    }

    /** Every token issued so far is rejected from now on (401), as after a restart of the service. */
    void forgetTokens() {
        tokens.clear();
    }

    /** {@code fault} answers the next {@code times} token requests ({@link Integer#MAX_VALUE}: all). */
    void failTokens(Fault fault, int times) {
        tokenFaultsLeft.set(times);
        tokenFault = fault;
    }

    /** {@code fault} answers the next {@code times} requests for {@code public-ipv4}. */
    void failPublicIpv4(Fault fault, int times) {
        itemFaultsLeft.set(times);
        itemFault = fault;
    }

    void heal() {
        tokenFault = null;
        itemFault = null;
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    int itemRequests() {
        return itemRequests.get();
    }

    /** Whether {@code text} contains any token this service issued. */
    boolean containsAnyToken(String text) {
        for (int i = 1; i <= issued.get(); i++) {
            if (text.contains(token(i))) {
                return true;
            }
        }
        return false;
    }

    private static String token(int n) {
        return TOKEN_PREFIX + n;
    }

    private void handle(RawHttpServer.Request request, RawHttpServer.Exchange exchange)
            throws IOException, InterruptedException {
        if (request.path().equals("/latest/api/token")) {
            tokenRequests.incrementAndGet();
            if (take(tokenFault, tokenFaultsLeft)) {
                tokenFault.answer(request, exchange);
                return;
            }
            String ttl = request.header(TTL_HEADER);
            if (!request.method().equals("PUT") || ttl == null) {
                exchange.respond(400, "Bad Request");
                return;
            }
            String token = token(issued.incrementAndGet());
            tokens.add(token);
            exchange.respond(
                    200,
                    Map.of("X-aws-ec2-metadata-token-ttl-seconds", ttl),
                    token.getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (!request.path().startsWith("/latest/meta-data/")) {
            exchange.respond(404, "Not Found");
            return;
        }
        itemRequests.incrementAndGet();
        String item = request.path().substring("/latest/meta-data/".length());
        String token = request.header(TOKEN_HEADER);
        if (token == null || !tokens.contains(token)) {
            exchange.respond(401, "Unauthorized");
            return;
        }
        if (item.equals("public-ipv4")) {
            if (take(itemFault, itemFaultsLeft)) {
                itemFault.answer(request, exchange);
                return;
            }
            byte[] body = publicIpv4;
            if (body == null) {
                exchange.respond(404, "Not Found");
            } else {
                exchange.respond(200, Map.of(), body);
            }
            return;
        }
        String value = items.get(item);
        if (value == null) {
            exchange.respond(404, "Not Found");
        } else {
            exchange.respond(200, value);
        }
    }

    private static boolean take(Fault fault, AtomicInteger left) {
        if (fault == null) {
            return false;
        }
        return left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
