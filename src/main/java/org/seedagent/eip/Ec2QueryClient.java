package org.seedagent.eip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.seedagent.support.Backoff;
import org.seedagent.support.BoundedBodyHttpClient;
import org.seedagent.support.Retry;
import org.seedagent.support.Sleeper;
import org.seedagent.support.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The EC2 Query API (version {@value #API_VERSION}) for the few actions seed-agent makes: a form-encoded
 * POST to the regional endpoint, signed with the SDK's own SigV4 signer, sent with the SDK's
 * URLConnection client (the one the metadata client uses), its XML answer parsed with the JDK's DOM
 * parser with DTDs and external entities off. This keeps the SDK's 26 MB {@code ec2} module out of the
 * agent (docs/PERFORMANCE.md).
 *
 * <p>{@link #call} retries throttling, 5xx answers and requests that got no answer, with the agent's capped,
 * jittered {@link Backoff}, never past the caller's deadline; each exchange is bounded as a whole by the request
 * time-out ({@link BoundedBodyHttpClient}, as the metadata client's are); credentials EC2 refuses are read again once. Everything
 * else fails at once with an {@link Ec2Exception} carrying EC2's {@code Code} and {@code Message}.
 */
public final class Ec2QueryClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ec2QueryClient.class);

    static final String API_VERSION = "2016-11-15";
    /** Answers to the calls made here are a few kilobytes; anything far larger is not one. */
    static final int MAX_BODY_BYTES = 1 << 20;

    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(4));

    private final URI endpoint;
    private final String region;
    private final InstanceProfileCredentials credentials;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Retry retry;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private SdkHttpClient http;

    public Ec2QueryClient(
            URI endpoint,
            String region,
            InstanceProfileCredentials credentials,
            Duration requestTimeout,
            Clock clock,
            Sleeper sleeper) {
        this(endpoint, region, credentials, requestTimeout, clock, sleeper, new SplittableRandom());
    }

    Ec2QueryClient(
            URI endpoint,
            String region,
            InstanceProfileCredentials credentials,
            Duration requestTimeout,
            Clock clock,
            Sleeper sleeper,
            RandomGenerator random) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.retry = new Retry(BACKOFF, clock, sleeper, random, false);
    }

    /** The regional endpoint, {@code https://ec2.REGION.amazonaws.com}, unless {@code override} names one. */
    public static URI endpointFor(String region, URI override) {
        return override != null ? override : URI.create("https://ec2." + region + ".amazonaws.com");
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Makes {@code action} with {@code parameters} and returns the answer's document element.
     *
     * @param deadline no attempt starts, and no wait lasts, past this
     */
    public Element call(String action, Map<String, String> parameters, Instant deadline)
            throws Ec2Exception, InterruptedException {
        boolean[] credentialsRetried = {false};
        Ec2Exception[] last = {null};
        Retry.Outcome<Element> outcome = retry.run(
                Duration.between(clock.instant(), deadline),
                attempt -> {
                    Ec2Exception failure;
                    try {
                        return Retry.done(once(action, parameters));
                    } catch (Ec2Exception e) {
                        failure = e;
                    }
                    last[0] = failure;
                    if (failure.authenticationFailed() && !credentialsRetried[0]) {
                        credentialsRetried[0] = true;
                        credentials.invalidate();
                        log.debug(
                                "EC2 {} refused the credentials ({}); reading them again", action, failure.describe());
                        return Retry.atOnce(failure.describe(), failure);
                    }
                    if (!failure.retryable()) {
                        throw failure;
                    }
                    return Retry.again(failure.describe(), failure);
                },
                (attempt, detail, elapsed, wait) -> log.debug(
                        "EC2 {}: attempt {} failed ({}); retrying in {} ms", action, attempt, detail, wait.toMillis()));
        if (outcome.succeeded()) {
            return outcome.value();
        }
        Ec2Exception failure = last[0];
        int attempts = outcome.gaveUp().attempts();
        throw new Ec2Exception(
                action,
                failure.code(),
                failure.getMessage() + " (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                        + ", deadline reached)",
                failure.httpStatus(),
                failure);
    }

    private Element once(String action, Map<String, String> parameters) throws Ec2Exception, InterruptedException {
        AwsSessionCredentialsIdentity identity = credentials.get();
        Map<String, String> form = new TreeMap<>(parameters);
        form.put("Action", action);
        form.put("Version", API_VERSION);
        byte[] body = formEncode(form).getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                // No charset parameter: the form is ASCII, and a proxy or server normalising its case would
                // break the signature over it.
                .putHeader("Content-Type", "application/x-www-form-urlencoded")
                .putHeader("Content-Length", String.valueOf(body.length))
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        int status;
        byte[] answer;
        try {
            HttpExecuteResponse response = http().prepareRequest(HttpExecuteRequest.builder()
                            .request(signed.request())
                            .contentStreamProvider(signed.payload().orElse(null))
                            .build())
                    .call();
            status = response.httpResponse().statusCode();
            // Bounded in size and time by BoundedBodyHttpClient (http()).
            answer = response.responseBody().isPresent()
                    ? readAll(response.responseBody().get())
                    : new byte[0];
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted during EC2 " + action);
            }
            Exception cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            throw new Ec2Exception(
                    action,
                    Ec2Exception.NO_ANSWER,
                    "no answer from " + endpoint + ": " + org.seedagent.support.Failures.plain(cause),
                    0,
                    e);
        }
        Element root = parse(action, status, answer);
        if (status / 100 == 2 && !"Response".equals(root.getLocalName())) {
            return root;
        }
        Element error = first(first(root, "Errors"), "Error");
        String code = textOf(error, "Code");
        String message = textOf(error, "Message");
        if (code == null) {
            throw new Ec2Exception(
                    action,
                    Ec2Exception.BAD_RESPONSE,
                    "HTTP " + status + " without an EC2 error document: "
                            + Text.quote(new String(answer, StandardCharsets.UTF_8), 120),
                    status);
        }
        throw new Ec2Exception(action, code, message == null ? "(no message)" : Text.quote(message, 300), status);
    }

    private synchronized SdkHttpClient http() {
        if (http == null) {
            // Each exchange bounded as a whole, as the metadata client's are: the read time-out bounds each read,
            // so an endpoint trickling its answer could otherwise hold one attempt, and the deadline, for ever.
            http = new BoundedBodyHttpClient(
                    UrlConnectionHttpClient.create(this::openConnection), MAX_BODY_BYTES, requestTimeout, true);
        }
        return http;
    }

    /** Time-outs on every connection; the JDK's proxy settings apply, as a seed may reach EC2 through one. */
    private HttpURLConnection openConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            int timeout = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
            connection.setConnectTimeout(timeout);
            connection.setReadTimeout(timeout);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String formEncode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            out.append(out.length() == 0 ? "" : "&")
                    .append(encode(e.getKey()))
                    .append('=')
                    .append(encode(e.getValue()));
        }
        return out.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /**
     * Parses an answer with DTDs, external entities and XInclude off: it comes over the network. The JDK's own
     * parser, named directly ({@code newDefaultInstance}): {@code newInstance} would look for another one first (a
     * system property, {@code jaxp.properties}, a service on the class path), which the boot path with an Elastic IP
     * paid for in milliseconds, and which would only ever find none (issue 24).
     */
    static Element parse(String action, int status, byte[] answer) throws Ec2Exception {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(answer));
            return document.getDocumentElement();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured safely", e);
        } catch (SAXException | IOException e) {
            throw new Ec2Exception(
                    action,
                    status >= 500 ? "InternalError" : Ec2Exception.BAD_RESPONSE,
                    "HTTP " + status
                            + " with a body that is not XML (" + e.getMessage() + "): "
                            + Text.quote(new String(answer, StandardCharsets.UTF_8), 120),
                    status);
        }
    }

    /** The first child element of {@code parent} named {@code name} (any namespace), or null. */
    static Element first(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** The text of the child element {@code name}, stripped; null when absent or empty. */
    static String textOf(Element parent, String name) {
        Element e = first(parent, name);
        if (e == null) {
            return null;
        }
        String text = e.getTextContent().strip();
        return text.isEmpty() ? null : text;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
