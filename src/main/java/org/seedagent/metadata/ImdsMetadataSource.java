package org.seedagent.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.seedagent.metadata.MetadataException.Kind;
import org.seedagent.support.Backoff;
import org.seedagent.support.BoundedBodyHttpClient;
import org.seedagent.support.Durations;
import org.seedagent.support.Retry;
import org.seedagent.support.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.imds.Ec2MetadataRetryPolicy;

/**
 * IMDSv2 through the AWS SDK's {@link Ec2MetadataClient}, which fetches the session token and caches it
 * until near its expiry. On top of it, what a long-running agent needs and the SDK lacks: retries with
 * capped, jittered back-off up to {@link MetadataSettings#deadline()}, a new token when IMDS rejects the
 * cached one, a bound on body size, and one classification of every failure (see {@link ImdsFailure}):
 *
 * <ul>
 *   <li>200: the body; 404 on the item: empty, at once;
 *   <li>403: {@link MetadataException.Kind#DISABLED}, at once;
 *   <li>401: a new client (so a new token), then retried like the transient failures;
 *   <li>5xx, 408, 429, time-outs, refused or broken connections: retried until the deadline, then
 *       {@link MetadataException.Kind#UNAVAILABLE};
 *   <li>other statuses (400, 405, a redirect, 404 on the token request): UNAVAILABLE at once, as the same
 *       request would be refused again;
 *   <li>a body over {@value #MAX_BODY_BYTES} bytes, or a token response the SDK cannot use:
 *       {@link MetadataException.Kind#INVALID_RESPONSE}, at once.
 * </ul>
 *
 * <p>The deadline is measured with the injected clock from the first attempt, and no wait goes past it.
 * Each attempt is bounded as a whole by {@link MetadataSettings#requestTimeout()}, however slowly the
 * service trickles its answer (a body is checked after each read, so one more read time-out may pass). The
 * last attempt may start just before the deadline, so a call can overrun it by up to two request
 * time-outs. One caller at a time: calls are serialised.
 */
public final class ImdsMetadataSource implements MetadataSource {
    private static final Logger log = LoggerFactory.getLogger(ImdsMetadataSource.class);

    /** Largest body accepted; items such as {@code public-ipv4} and the token are tens of bytes. */
    static final int MAX_BODY_BYTES = 4096;

    /** The first retry waits 50-100 ms, which is enough for a restarted IMDS; waits grow to 2.5-5 s. */
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    private static final String ITEM_PREFIX = "/latest/meta-data/";

    private final MetadataSettings settings;
    private final Retry retry;

    // Built on the first get, not in the constructor: loading the SDK costs time on the boot path, and a
    // command that never reads metadata should not pay it.
    private SdkHttpClient httpClient;
    // Replaced after a 401: the SDK keeps a rejected token cached for its whole lifetime.
    private Ec2MetadataClient client;
    private boolean closed;
    /** Where "still waiting" lines go while the service does not answer (the CLI's commands); null: nowhere. */
    private java.util.function.Consumer<String> progress;

    public ImdsMetadataSource(MetadataSettings settings, Clock clock, Sleeper sleeper) {
        this(settings, clock, sleeper, new SplittableRandom());
    }

    /** As the public constructor, with the source of back-off jitter given, so tests are repeatable. */
    ImdsMetadataSource(MetadataSettings settings, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retry = new Retry(BACKOFF, clock, sleeper, random, true);
    }

    /**
     * Says where things stand while the service does not answer: a line after {@link #FIRST_PROGRESS}, then every
     * {@link #PROGRESS_EVERY} (issue 22: once and check printed nothing for up to the whole deadline).
     */
    public ImdsMetadataSource withProgress(java.util.function.Consumer<String> lines) {
        this.progress = lines;
        return this;
    }

    static final Duration FIRST_PROGRESS = Duration.ofSeconds(5);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    @Override
    public synchronized Optional<String> get(String path) throws MetadataException, InterruptedException {
        Objects.requireNonNull(path, "path");
        Duration[] nextProgress = {FIRST_PROGRESS};
        Retry.Outcome<Optional<String>> outcome = retry.run(
                settings.deadline(),
                attempt -> {
                    SdkClientException error;
                    try {
                        return Retry.done(
                                Optional.of(client().get(ITEM_PREFIX + path).asString()));
                    } catch (SdkClientException e) {
                        error = e;
                    }
                    ImdsFailure failure = ImdsFailure.of(error);
                    switch (failure.type()) {
                        case MISSING -> {
                            return Retry.done(Optional.empty());
                        }
                        case DISABLED ->
                            throw new MetadataException(
                                    Kind.DISABLED,
                                    path,
                                    "the instance metadata service is disabled or refuses this request ("
                                            + failure.detail()
                                            + " reading metadata item " + path + "); enable it with `aws ec2 "
                                            + "modify-instance-metadata-options --instance-id <id> --http-endpoint enabled`",
                                    error);
                        case REFUSED ->
                            throw new MetadataException(
                                    Kind.UNAVAILABLE,
                                    path,
                                    cannotRead(path)
                                            + ": the service answered " + failure.detail()
                                            + " (not retried: the same request would be refused again)",
                                    error);
                        case TOO_LARGE, MALFORMED ->
                            throw new MetadataException(
                                    Kind.INVALID_RESPONSE,
                                    path,
                                    "metadata item " + path + " could not be read: " + failure.detail(),
                                    error);
                        case TOKEN_REJECTED -> discardClient();
                        case TRANSIENT -> {}
                    }
                    return Retry.again(failure.detail(), error);
                },
                (attempt, detail, elapsed, wait) -> {
                    if (progress != null && elapsed.compareTo(nextProgress[0]) >= 0) {
                        progress.accept("still waiting for the metadata service at " + settings.endpoint() + ": "
                                + detail + ", " + attempt + (attempt == 1 ? " attempt, " : " attempts, ")
                                + elapsed.toSeconds() + " s of "
                                + settings.deadline().toSeconds() + " s");
                        while (nextProgress[0].compareTo(elapsed) <= 0) {
                            nextProgress[0] = nextProgress[0].plus(PROGRESS_EVERY);
                        }
                    }
                    log.debug(
                            "metadata item {}: attempt {} failed ({}); retrying in {} ms",
                            path,
                            attempt,
                            detail,
                            wait.toMillis());
                });
        if (outcome.succeeded()) {
            return outcome.value();
        }
        Retry.GaveUp gaveUp = outcome.gaveUp();
        throw new MetadataException(
                Kind.UNAVAILABLE,
                path,
                cannotRead(path) + ": " + gaveUp.attempts()
                        + (gaveUp.attempts() == 1 ? " attempt" : " attempts") + " over "
                        + Durations.tenths(gaveUp.elapsed())
                        + " failed; last error: " + gaveUp.detail(),
                gaveUp.cause());
    }

    @Override
    public synchronized void close() {
        closed = true;
        discardClient();
        if (httpClient != null) {
            httpClient.close();
            httpClient = null;
        }
    }

    private Ec2MetadataClient client() {
        if (closed) {
            throw new IllegalStateException("the metadata source is closed");
        }
        if (httpClient == null) {
            httpClient = new BoundedBodyHttpClient(
                    UrlConnectionHttpClient.create(this::openConnection), MAX_BODY_BYTES, settings.requestTimeout());
        }
        if (client == null) {
            client = Ec2MetadataClient.builder()
                    .endpoint(settings.endpoint())
                    .tokenTtl(settings.tokenTtl())
                    .retryPolicy(Ec2MetadataRetryPolicy.none())
                    .httpClient(httpClient)
                    .build();
        }
        return client;
    }

    /**
     * Opens each connection ourselves. IMDS is link-local and its token must stay on the host, so no
     * proxy is ever used (the SDK's default client would honour HTTP_PROXY: measured). And with a
     * connection factory the SDK builds no TLS context, which IMDS (plain HTTP) never needs and which
     * costs about a tenth of a second of start-up.
     */
    private HttpURLConnection openConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            int timeout =
                    (int) Math.min(Integer.MAX_VALUE, settings.requestTimeout().toMillis());
            connection.setConnectTimeout(timeout);
            connection.setReadTimeout(timeout);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the SDK client and its cached token; the HTTP client, which it does not own, stays. */
    private void discardClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private String cannotRead(String path) {
        return "could not read metadata item " + path + " from " + settings.endpoint();
    }
}
