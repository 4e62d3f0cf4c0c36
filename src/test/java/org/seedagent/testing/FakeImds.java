package org.seedagent.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import org.seedagent.metadata.MetadataSettings;

/**
 * An IMDSv2 on 127.0.0.1, in WireMock: stubs for the token request and for items that, like the real
 * service, answer only requests carrying the token, and a catch-all 401 for everything else.
 */
public final class FakeImds {
    public static final String TOKEN_PATH = "/latest/api/token";
    public static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    public static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    public static final String TOKEN = "AQAEAFakeTokenForTests_0123456789abcdef==";
    public static final Duration TTL = Duration.ofHours(6);

    private FakeImds() {}

    public static WireMockExtension extension() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
                .build();
    }

    public static MetadataSettings settings(WireMockExtension wm, Duration requestTimeout, Duration deadline) {
        return new MetadataSettings(URI.create("http://127.0.0.1:" + wm.getPort()), TTL, requestTimeout, deadline);
    }

    /** The token request, answered only when it asks for {@link #TTL}; anything else unstubbed gets 401. */
    public static void stubToken(WireMockExtension wm) {
        wm.stubFor(any(anyUrl()).atPriority(100).willReturn(unauthorized()));
        wm.stubFor(tokenRequest().willReturn(token(TOKEN)));
    }

    public static MappingBuilder tokenRequest() {
        return put(urlEqualTo(TOKEN_PATH)).withHeader(TTL_HEADER, equalTo(String.valueOf(TTL.toSeconds())));
    }

    public static ResponseDefinitionBuilder token(String token) {
        return ok(token).withHeader(TTL_HEADER, String.valueOf(TTL.toSeconds()));
    }

    /** Item {@code path} with the usual token. */
    public static void stubItem(WireMockExtension wm, String path, ResponseDefinitionBuilder response) {
        wm.stubFor(item(path, TOKEN).willReturn(response));
    }

    public static MappingBuilder item(String path, String token) {
        return get(urlEqualTo("/latest/meta-data/" + path)).withHeader(TOKEN_HEADER, equalTo(token));
    }

    public static int tokenRequests(WireMockExtension wm) {
        return wm.findAll(putRequestedFor(urlEqualTo(TOKEN_PATH))).size();
    }

    public static int itemRequests(WireMockExtension wm) {
        return wm.findAll(getRequestedFor(urlPathMatching("/latest/meta-data/.*")))
                .size();
    }
}
