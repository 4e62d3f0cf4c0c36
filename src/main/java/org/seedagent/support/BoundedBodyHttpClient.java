package org.seedagent.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An {@link SdkHttpClient} that never lets its caller read more than a limit of any response body.
 *
 * <p>Used by the metadata client and the EC2 client. The SDK's IMDS client reads each body whole into a string. Metadata items and tokens are tens of
 * bytes, so a longer body is not an answer from IMDS, and an endless one must not fill the heap. A
 * successful response's body fails with {@link BodyTooLargeException} once it passes the limit, and the
 * connection is aborted rather than drained. An error response's body is dropped unread: the SDK only
 * logs it, and the status code alone decides what the failure means.
 *
 * <p>A successful body that ends before its {@code Content-Length} fails with {@link TruncatedBodyException}:
 * the JDK's HTTP client reports such an early end of a fixed-length body as a normal end of stream
 * (measured), so a connection cut after {@code 203.0.113.1} of {@code 203.0.113.10} would otherwise read as a
 * valid, wrong address.
 *
 * <p>With a time budget, an exchange also fails with a {@link SocketTimeoutException} once it has taken
 * longer than the budget as a whole: the JDK's read time-out bounds each read, not the answer, so a server
 * that trickles its headers or body a byte at a time could otherwise hold one request (and the metadata
 * deadline above it) for as long as it likes. Waiting for the headers is cut by aborting the request from
 * a timer thread (the JDK then closes the socket); a body is checked after every read, so an exchange
 * lasts at most the budget plus one read time-out.
 */
public final class BoundedBodyHttpClient implements SdkHttpClient {
    /**
     * One daemon thread for every client, started when an exchange begins; it only ever aborts requests. It ends
     * once no exchange has been under way for {@link #IDLE_SECONDS} (the daemon polls once a minute by default: the
     * thread is there for a second or two of it), and the next exchange starts it again.
     */
    private static final class Timer {
        static final long IDLE_SECONDS = 2;
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "seed-agent-metadata-timeout");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            // A worker only times out with its queue empty (cancelled alarms are removed): an alarm pending is
            // never left without a thread, and schedule() starts a new one when there is none.
            timer.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
            return timer;
        }
    }

    private final SdkHttpClient delegate;
    private final long limit;
    private final Duration budget;
    /** Whether an error response's body is read (bounded as a successful one's) rather than dropped. */
    private final boolean errorBodies;

    public BoundedBodyHttpClient(SdkHttpClient delegate, long limit) {
        this(delegate, limit, null);
    }

    /** As {@link #BoundedBodyHttpClient(SdkHttpClient, long)}, with every exchange bounded by {@code budget}. */
    public BoundedBodyHttpClient(SdkHttpClient delegate, long limit, Duration budget) {
        this(delegate, limit, budget, false);
    }

    /**
     * As above; {@code errorBodies}: an error response's body is read too, bounded the same way (EC2 says in it what
     * went wrong).
     */
    public BoundedBodyHttpClient(SdkHttpClient delegate, long limit, Duration budget, boolean errorBodies) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        this.limit = limit;
        this.budget = budget;
        this.errorBodies = errorBodies;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        SdkHttpRequest http = request.httpRequest();
        String what = http.method() + " " + http.encodedPath();
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (budget == null) {
                    return bounded(prepared.call(), what, -1);
                }
                long start = System.nanoTime();
                AtomicBoolean cut = new AtomicBoolean();
                ScheduledFuture<?> alarm = Timer.INSTANCE.schedule(
                        () -> {
                            cut.set(true);
                            prepared.abort();
                        },
                        budget.toNanos(),
                        TimeUnit.NANOSECONDS);
                HttpExecuteResponse response;
                try {
                    response = prepared.call();
                } catch (IOException e) {
                    if (cut.get()) {
                        throw timedOut(what, e);
                    }
                    throw e;
                } finally {
                    alarm.cancel(false);
                }
                if (cut.get()) {
                    throw timedOut(what, null);
                }
                return bounded(response, what, start + budget.toNanos());
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private SocketTimeoutException timedOut(String what, IOException cause) {
        SocketTimeoutException e =
                new SocketTimeoutException("no complete answer to " + what + " within " + budget.toMillis() + " ms");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** {@code response} with its body bounded in size and, when {@code end} is not -1, in time (System.nanoTime). */
    private HttpExecuteResponse bounded(HttpExecuteResponse response, String what, long end) {
        Optional<AbortableInputStream> body = response.responseBody();
        if (body.isEmpty()) {
            return response;
        }
        HttpExecuteResponse.Builder bounded = HttpExecuteResponse.builder().response(response.httpResponse());
        if (!response.httpResponse().isSuccessful() && !errorBodies) {
            discard(body.get());
            return bounded.build();
        }
        AbortableInputStream source = body.get();
        long declared = response.httpResponse()
                .firstMatchingHeader("Content-Length")
                .map(BoundedBodyHttpClient::length)
                .orElse(-1L);
        return bounded.responseBody(AbortableInputStream.create(
                        new BoundedInputStream(
                                source,
                                limit,
                                declared,
                                what,
                                end == -1
                                        ? null
                                        : () -> {
                                            if (System.nanoTime() - end > 0) {
                                                throw timedOut(what, null);
                                            }
                                        }),
                        source))
                .build();
    }

    private static long length(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void discard(AbortableInputStream body) {
        body.abort();
        try {
            body.close();
        } catch (IOException e) {
            // Already aborted: closing only releases what is left, and a failure there changes nothing.
        }
    }

    /** A successful response's body was longer than the limit. */
    public static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        public BodyTooLargeException(String what, long limit) {
            super("the response to " + what + " has more than " + limit + " bytes");
        }
    }

    /** A successful response's body ended before the length its Content-Length header declared. */
    public static final class TruncatedBodyException extends IOException {
        private static final long serialVersionUID = 1L;

        public TruncatedBodyException(String what, long received, long declared) {
            super("the response to " + what + " ended after " + received + " of its " + declared + " bytes");
        }
    }

    /** Throws when an exchange has run out of time. */
    @FunctionalInterface
    private interface Clock {
        void check() throws IOException;
    }

    /**
     * Counts what is read and fails at the first byte past the limit, aborting the connection; fails at an
     * end of stream that comes before the declared length, and after a read that ends past the time budget.
     */
    private static final class BoundedInputStream extends FilterInputStream {
        private final AbortableInputStream source;
        private final long limit;
        private final long declared;
        private final String what;
        private final Clock clock;
        private long count;

        BoundedInputStream(AbortableInputStream source, long limit, long declared, String what, Clock clock) {
            super(source);
            this.source = source;
            this.limit = limit;
            this.declared = declared;
            this.what = what;
            this.clock = clock;
        }

        @Override
        public int read() throws IOException {
            room();
            int b = in.read();
            inTime();
            if (b >= 0) {
                counted(1);
            } else {
                ended();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            // Asking for at most one byte past the limit is enough to tell an over-long body.
            int n = in.read(buffer, offset, (int) Math.min(length, room()));
            inTime();
            if (n > 0) {
                counted(n);
            } else if (n < 0) {
                ended();
            }
            return n;
        }

        private void inTime() throws IOException {
            if (clock == null) {
                return;
            }
            try {
                clock.check();
            } catch (IOException e) {
                source.abort();
                throw e;
            }
        }

        private void ended() throws IOException {
            if (declared >= 0 && count < declared) {
                source.abort();
                throw new TruncatedBodyException(what, count, declared);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, room()));
            inTime();
            if (skipped > 0) {
                counted(skipped);
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** How many more bytes may be requested: up to one past the limit. */
        private long room() throws IOException {
            if (count > limit) {
                throw new BodyTooLargeException(what, limit);
            }
            return limit + 1 - count;
        }

        private void counted(long n) throws IOException {
            count += n;
            if (count > limit) {
                source.abort();
                throw new BodyTooLargeException(what, limit);
            }
        }
    }
}
