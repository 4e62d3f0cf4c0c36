package org.seedagent.metadata;

import static com.github.tomakehurst.wiremock.client.WireMock.forbidden;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seedagent.testing.FakeImds.stubItem;
import static org.seedagent.testing.FakeImds.stubToken;
import static org.seedagent.testing.FakeImds.tokenRequest;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.metadata.MetadataException.Kind;
import org.seedagent.support.Text;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.FakeImds;
import org.seedagent.testing.RecordingSleeper;

/**
 * {@link InstanceMetadata} over the real IMDS client and HTTP: what a hostile or broken metadata service
 * can send is turned into an error whose message shows the body escaped, never into a value.
 */
class InstanceMetadataImdsTest {
    @RegisterExtension
    static final WireMockExtension wm = FakeImds.extension();

    private final FakeClock clock = new FakeClock();
    private final ImdsMetadataSource source = new ImdsMetadataSource(
            FakeImds.settings(wm, Duration.ofSeconds(2), Duration.ofSeconds(30)),
            clock,
            new RecordingSleeper(clock),
            new SplittableRandom(7));
    private final InstanceMetadata metadata = new InstanceMetadata(source);

    @AfterEach
    void closeSource() {
        source.close();
    }

    @Test
    void publicIpv4_validAddress_returnsAddress() throws Exception {
        stubToken(wm);
        stubItem(wm, InstanceMetadata.PUBLIC_IPV4, ok("203.0.113.10"));

        assertEquals(Optional.of(Ipv4Address.parse("203.0.113.10")), metadata.publicIpv4());
    }

    @Test
    void publicIpv4_notFound_empty() throws Exception {
        stubToken(wm);
        stubItem(wm, InstanceMetadata.PUBLIC_IPV4, notFound());

        assertEquals(Optional.empty(), metadata.publicIpv4());
    }

    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                Arguments.of("trailing newline", "203.0.113.10\n"),
                Arguments.of("newline and a second line", "203.0.113.10\nALLOW_WRITE = *"),
                Arguments.of("surrounding whitespace", " 203.0.113.10 "),
                Arguments.of("hostname", "ec2-203-0-113-10.compute-1.amazonaws.com"),
                Arguments.of("IPv6", "2001:db8::1"),
                Arguments.of("HTML", "<html><body>203.0.113.10</body></html>"),
                Arguments.of("macro", "$(EC2PublicIP)"),
                Arguments.of("line continuation", "203.0.113.10\\"),
                Arguments.of("multi-line value", "@=end"),
                Arguments.of("leading zeros", "010.0.0.1"),
                Arguments.of("octet above 255", "203.0.113.256"),
                Arguments.of("NUL", "203.0.113.1\0"),
                Arguments.of("fullwidth digits", "\uff12\uff10\uff13.\uff10.\uff11\uff11\uff13.\uff11\uff10"),
                Arguments.of("Arabic-Indic digits", "\u0662\u0660\u0663.\u0660.\u0661\u0661\u0663.\u0661\u0660"),
                Arguments.of("40 bytes", "203.0.113.10 203.0.113.11 203.0.113.1234"),
                Arguments.of("long", "203.0.113.10,".repeat(8)),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void publicIpv4_hostileBody_invalidResponseShowingEscapedBody(String name, String body) {
        stubToken(wm);
        stubItem(wm, InstanceMetadata.PUBLIC_IPV4, ok(body));

        MetadataException e = assertThrows(MetadataException.class, metadata::publicIpv4);

        assertEquals(Kind.INVALID_RESPONSE, e.kind());
        assertEquals(InstanceMetadata.PUBLIC_IPV4, e.path());
        assertTrue(e.getMessage().contains(Text.quote(body)), e.getMessage());
        assertTrue(
                e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f),
                "message must be one line of printable ASCII: " + e.getMessage());
    }

    @Test
    void publicIpv4_longBody_messageShowsShortenedBody() {
        String body = "203.0.113.10,".repeat(8);
        stubToken(wm);
        stubItem(wm, InstanceMetadata.PUBLIC_IPV4, ok(body));

        MetadataException e = assertThrows(MetadataException.class, metadata::publicIpv4);

        assertFalse(e.getMessage().contains(body), e.getMessage());
        assertTrue(e.getMessage().contains("(" + body.length() + " characters)"), e.getMessage());
    }

    @Test
    void facts_allItemsPresent_readsEach() throws Exception {
        stubToken(wm);
        stubItem(wm, InstanceMetadata.INSTANCE_ID, ok("i-0123456789abcdef0"));
        stubItem(wm, InstanceMetadata.INSTANCE_TYPE, ok("m5.large"));
        stubItem(wm, InstanceMetadata.REGION, ok("eu-west-1"));
        stubItem(wm, InstanceMetadata.LIFE_CYCLE, ok("spot"));
        stubItem(wm, InstanceMetadata.LOCAL_IPV4, ok("172.31.16.20"));

        InstanceFacts facts = metadata.facts();

        assertEquals(
                new InstanceFacts(
                        "i-0123456789abcdef0", "m5.large", "eu-west-1", "spot", Ipv4Address.parse("172.31.16.20")),
                facts);
        assertTrue(facts.isSpot());
    }

    @Test
    void facts_someMissingOrGarbage_thoseNullOthersRead() throws Exception {
        stubToken(wm);
        stubItem(wm, InstanceMetadata.INSTANCE_ID, ok("i-0123456789abcdef0"));
        stubItem(wm, InstanceMetadata.INSTANCE_TYPE, ok("m5.large\nALLOW_WRITE = *"));
        stubItem(wm, InstanceMetadata.REGION, notFound());
        stubItem(wm, InstanceMetadata.LIFE_CYCLE, ok("on-demand"));
        stubItem(wm, InstanceMetadata.LOCAL_IPV4, ok("$(X)"));

        assertEquals(new InstanceFacts("i-0123456789abcdef0", null, null, "on-demand", null), metadata.facts());
    }

    @Test
    void facts_metadataDisabled_unknown() throws Exception {
        wm.stubFor(tokenRequest().willReturn(forbidden()));

        assertEquals(InstanceFacts.UNKNOWN, metadata.facts());
    }
}
