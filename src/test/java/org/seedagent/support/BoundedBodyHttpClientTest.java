package org.seedagent.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.seedagent.support.BoundedBodyHttpClient.BodyTooLargeException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/** The body limit, against a hand-written HTTP client whose bodies can be endless and count what was read. */
class BoundedBodyHttpClientTest {
    private static final int LIMIT = 16;

    @Test
    void call_bodyWithinLimit_passesWhole() throws IOException {
        byte[] body = "203.0.113.10".getBytes();
        FakeHttpClient delegate = new FakeHttpClient(200, new ByteArrayInputStream(body));

        assertArrayEquals(body, readBody(delegate));
        assertFalse(delegate.aborted);
    }

    @Test
    void call_bodyExactlyAtLimit_passesWhole() throws IOException {
        byte[] body = new byte[LIMIT];
        FakeHttpClient delegate = new FakeHttpClient(200, new ByteArrayInputStream(body));

        assertArrayEquals(body, readBody(delegate));
    }

    @Test
    void call_endlessBody_failsOneBytePastLimitAndAborts() {
        EndlessStream endless = new EndlessStream();
        FakeHttpClient delegate = new FakeHttpClient(200, endless);

        BodyTooLargeException e = assertThrows(BodyTooLargeException.class, () -> readBody(delegate));

        assertEquals("the response to GET /latest/meta-data/public-ipv4 has more than 16 bytes", e.getMessage());
        assertEquals(LIMIT + 1, endless.served);
        assertTrue(delegate.aborted);
    }

    @Test
    void read_byteByByte_failsOneBytePastLimit() throws IOException {
        EndlessStream endless = new EndlessStream();
        try (InputStream body = body(new FakeHttpClient(200, endless))) {
            for (int i = 0; i < LIMIT; i++) {
                assertEquals('x', body.read());
            }
            assertThrows(BodyTooLargeException.class, body::read);
            assertThrows(BodyTooLargeException.class, body::read, "and stays failed");
        }
        assertEquals(LIMIT + 1, endless.served);
    }

    @Test
    void skip_pastLimit_fails() throws IOException {
        try (InputStream body = body(new FakeHttpClient(200, new EndlessStream()))) {
            assertThrows(BodyTooLargeException.class, () -> body.skip(Long.MAX_VALUE));
        }
    }

    @Test
    void call_errorResponse_dropsBodyUnreadAndAborts() throws IOException {
        EndlessStream endless = new EndlessStream();
        FakeHttpClient delegate = new FakeHttpClient(503, endless);

        HttpExecuteResponse response = new BoundedBodyHttpClient(delegate, LIMIT)
                .prepareRequest(request())
                .call();

        assertEquals(503, response.httpResponse().statusCode());
        assertTrue(response.responseBody().isEmpty());
        assertEquals(0, endless.served);
        assertTrue(delegate.aborted);
    }

    @Test
    void close_closesDelegate() {
        FakeHttpClient delegate = new FakeHttpClient(200, InputStream.nullInputStream());

        new BoundedBodyHttpClient(delegate, LIMIT).close();

        assertTrue(delegate.closed);
    }

    @Test
    void timer_threadEndsWhenIdle_andStartsAgainForTheNextExchange() throws Exception {
        Duration budget = Duration.ofMillis(300);
        byte[] body = "203.0.113.10".getBytes();
        try (InputStream in = new BoundedBodyHttpClient(
                        new FakeHttpClient(200, new ByteArrayInputStream(body)), LIMIT, budget)
                .prepareRequest(request())
                .call()
                .responseBody()
                .orElseThrow()) {
            assertArrayEquals(body, in.readAllBytes());
        }
        assertTrue(timerThreads() >= 1, "the timer thread runs while exchanges are under way");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (timerThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, timerThreads(), "the timer thread ends once idle");

        // The next exchange starts it again: one that never answers is still cut at the budget.
        CountDownLatch aborted = new CountDownLatch(1);
        SdkHttpClient silent = new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        try {
                            aborted.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IOException("aborted");
                    }

                    @Override
                    public void abort() {
                        aborted.countDown();
                    }
                };
            }

            @Override
            public void close() {}
        };
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(
                SocketTimeoutException.class,
                () -> new BoundedBodyHttpClient(silent, LIMIT, budget)
                        .prepareRequest(request())
                        .call());
        assertEquals("no complete answer to GET /latest/meta-data/public-ipv4 within 300 ms", e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    private static long timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("seed-agent-metadata-timeout") && t.isAlive())
                .count();
    }

    private static byte[] readBody(SdkHttpClient delegate) throws IOException {
        try (InputStream body = body(delegate)) {
            return body.readAllBytes();
        }
    }

    private static InputStream body(SdkHttpClient delegate) throws IOException {
        return new BoundedBodyHttpClient(delegate, LIMIT)
                .prepareRequest(request())
                .call()
                .responseBody()
                .orElseThrow();
    }

    private static HttpExecuteRequest request() {
        return HttpExecuteRequest.builder()
                .request(SdkHttpRequest.builder()
                        .method(SdkHttpMethod.GET)
                        .uri(URI.create("http://127.0.0.1/latest/meta-data/public-ipv4"))
                        .build())
                .build();
    }

    /** Answers every request with one status and body, and records abort and close. */
    private static final class FakeHttpClient implements SdkHttpClient {
        private final int status;
        private final InputStream body;
        boolean aborted;
        boolean closed;

        FakeHttpClient(int status, InputStream body) {
            this.status = status;
            this.body = body;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(
                                    SdkHttpResponse.builder().statusCode(status).build())
                            .responseBody(AbortableInputStream.create(body, () -> aborted = true))
                            .build();
                }

                @Override
                public void abort() {
                    aborted = true;
                }
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A body that never ends; counts the bytes handed out. */
    private static final class EndlessStream extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            Arrays.fill(buffer, offset, offset + length, (byte) 'x');
            served += length;
            return length;
        }
    }
}
