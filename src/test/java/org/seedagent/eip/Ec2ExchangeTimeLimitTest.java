package org.seedagent.eip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.seedagent.emulator.MetadataEmulator;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.support.Sleeper;

/**
 * Issue 23: the EC2 client bounds each exchange as a whole by its request time-out, as the metadata client does.
 * An endpoint on loopback that answers a byte every 300 ms keeps every read within the 500 ms read time-out, yet its
 * answer would take over a minute; the call gives up by its deadline (plus two request time-outs), saying it got no
 * complete answer. Bounds are loose: they tell "bounded by the deadline" from "bounded by the server's patience".
 */
class Ec2ExchangeTimeLimitTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final long GAP_MILLIS = 300;
    private static final String ANSWER =
            "<DescribeAddressesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                    + "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><addressesSet/></DescribeAddressesResponse>";

    @Test
    void answerTrickled_givesUpByTheDeadline_noCompleteAnswer() throws Exception {
        try (MetadataEmulator imds =
                        MetadataEmulator.start(0, MetadataEmulator.sampleInstance("203.0.113.10"), Clock.systemUTC());
                ServerSocket ec2 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            imds.enableEc2(null, null, Set.of()); // the instance profile's credentials
            Thread trickler = new Thread(() -> serveTrickled(ec2), "trickling-ec2");
            trickler.setDaemon(true);
            trickler.start();
            try (ImdsMetadataSource source = new ImdsMetadataSource(
                            new MetadataSettings(
                                    imds.endpoint(),
                                    Duration.ofHours(6),
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(20)),
                            Clock.systemUTC(),
                            Sleeper.SYSTEM);
                    Ec2QueryClient client = new Ec2QueryClient(
                            URI.create("http://127.0.0.1:" + ec2.getLocalPort()),
                            "us-east-1",
                            new InstanceProfileCredentials(
                                    new InstanceMetadata(source), imds.endpoint(), Duration.ofSeconds(5)),
                            REQUEST_TIMEOUT,
                            Clock.systemUTC(),
                            Sleeper.SYSTEM)) {
                long start = System.nanoTime();
                Ec2Exception e = assertThrows(
                        Ec2Exception.class,
                        () -> client.call(
                                "DescribeAddresses", Map.of(), Instant.now().plusSeconds(1)));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertEquals(Ec2Exception.NO_ANSWER, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("no complete answer to POST / within 500 ms"), e.getMessage());
                // Deadline 1 s + two request time-outs, plus slack for a loaded machine; the trickled answer
                // alone takes ANSWER.length() * 300 ms (over a minute).
                assertTrue(
                        took.compareTo(Duration.ofSeconds(4)) < 0,
                        "took " + took.toMillis() + " ms: " + e.getMessage());
            }
        }
    }

    /** Reads each request's headers and body, then answers 200 with the whole length declared, a byte at a time. */
    private static void serveTrickled(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                int length = 0;
                StringBuilder line = new StringBuilder();
                while (true) {
                    int c = in.read();
                    if (c < 0) {
                        break;
                    }
                    if (c == '\n') {
                        String header = line.toString().strip();
                        if (header.isEmpty()) {
                            break;
                        }
                        if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(
                                    header.substring("content-length:".length()).strip());
                        }
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
                in.readNBytes(length);
                OutputStream out = socket.getOutputStream();
                byte[] body = ANSWER.getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(GAP_MILLIS);
                }
            } catch (IOException e) {
                // the client gave up on this exchange: take the next one
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
