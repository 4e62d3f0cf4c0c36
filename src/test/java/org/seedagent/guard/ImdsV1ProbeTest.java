package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.seedagent.emulator.MetadataEmulator;

/** The IMDSv1 question over real HTTP on 127.0.0.1: an IMDSv2-only service, one that answers without a token, none. */
class ImdsV1ProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void probe_tokensRequired_401() throws Exception {
        try (MetadataEmulator emulator =
                MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC())) {
            ImdsV1Probe.Result result = ImdsV1Probe.probe(emulator.endpoint(), TIMEOUT);

            assertEquals(ImdsV1Probe.Outcome.REQUIRES_TOKEN, result.outcome(), String.valueOf(result.detail()));
        }
    }

    @Test
    void probe_answersWithoutAToken_200() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/latest/meta-data/", exchange -> {
            byte[] body = "ami-id\ninstance-id\n".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ImdsV1Probe.Result result = ImdsV1Probe.probe(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), TIMEOUT);

            assertEquals(ImdsV1Probe.Outcome.ANSWERS, result.outcome());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void probe_nothingListening_notChecked_saysWhy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }

        ImdsV1Probe.Result result = ImdsV1Probe.probe(URI.create("http://127.0.0.1:" + port), TIMEOUT);

        assertEquals(ImdsV1Probe.Outcome.NOT_CHECKED, result.outcome());
        assertTrue(result.detail().startsWith("a GET without a token failed: "), result.detail());
    }
}
