package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.seedagent.config.NoPublicIpPolicy;
import org.seedagent.fragment.FragmentFile;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.sync.Synchronizer;
import org.seedagent.testing.FakeClock;
import org.seedagent.testing.RecordingSleeper;

/**
 * Arbitrary {@code public-ipv4} bodies, served over HTTP and read through the whole production path (the
 * SDK's IMDSv2 client, the body bound, the address validation, the synchroniser, the atomic file): the
 * result is either a fragment whose address is exactly the body, a canonical dotted quad, or no write at
 * all (same bytes, same inode, no temp file). The oracle is a plain regular expression over the raw
 * bytes, independent of the agent's hand-written parser.
 */
class BodyPropertyTest {
    private static final String ANCHOR = "192.0.2.1";
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern CANONICAL = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final AtomicInteger WRITTEN = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();

    private static RawImds imds;
    private static Path dir;
    private static boolean mounted;
    private static FragmentFile file;
    private static ImdsMetadataSource source;

    @BeforeContainer
    static void start() throws IOException {
        imds = RawImds.start(ANCHOR);
        dir = Files.createTempDirectory("body-property");
        // A tmpfs when permitted (root, as in CI): the property is about content, and a thousand fsyncs on a
        // shared disk would only measure the disk.
        mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString()) == 0;
        file = new FragmentFile(dir.resolve("50-seed-agent.conf"));
        FakeClock clock = new FakeClock();
        source = new ImdsMetadataSource(
                new MetadataSettings(
                        imds.endpoint(), Duration.ofHours(6), Duration.ofSeconds(2), Duration.ofSeconds(5)),
                clock,
                new RecordingSleeper(clock));
    }

    @AfterContainer
    static void stop() throws IOException {
        source.close();
        imds.close();
        if (mounted) {
            run("umount", "-l", dir.toString());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Figures.of("arbitrary bodies (jqwik)")
                .with("tries", WRITTEN.get() + REJECTED.get())
                .with("written", WRITTEN.get())
                .with("rejected_without_a_write", REJECTED.get())
                .with("violations", 0)
                .record();
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Property(tries = 2500, edgeCases = EdgeCasesMode.MIXIN)
    void publicIpv4_anyBody_exactlyAValidQuadWrittenOrNothingTouched(@ForAll("bodies") byte[] body) throws Exception {
        Files.writeString(file.path(), Rig.render(ANCHOR));
        byte[] before = Files.readAllBytes(file.path());
        Object inode = Files.getAttribute(file.path(), "unix:ino");
        imds.setPublicIpv4Bytes(body);

        boolean valid =
                CANONICAL.matcher(new String(body, StandardCharsets.ISO_8859_1)).matches();
        Statistics.collect(valid ? "valid: written" : "invalid: nothing written");
        InstanceMetadata metadata = new InstanceMetadata(source);
        if (valid) {
            Optional<Ipv4Address> address = metadata.publicIpv4();
            new Synchronizer(file, NoPublicIpPolicy.KEEP).apply(address, InstanceFacts.UNKNOWN);
            String text = new String(body, StandardCharsets.US_ASCII);
            assertEquals(
                    new org.seedagent.fragment.Fragment(
                                    Ipv4Address.parse(text), org.seedagent.fragment.Fragment.AddressKind.PUBLIC, null)
                            .text(),
                    Files.readString(file.path()));
            WRITTEN.incrementAndGet();
        } else {
            MetadataException e = assertThrows(
                    MetadataException.class, metadata::publicIpv4, "an invalid body must not come back as an address");
            assertEquals(MetadataException.Kind.INVALID_RESPONSE, e.kind(), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file.path()));
            assertEquals(inode, Files.getAttribute(file.path(), "unix:ino"), "not even rewritten");
            REJECTED.incrementAndGet();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file.path()), files.toList(), "no temp file, nothing else");
        }
    }

    // --- generators ---------------------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, quads().map(BodyPropertyTest::utf8)),
                net.jqwik.api.Tuple.of(6, nearMisses().map(BodyPropertyTest::utf8)),
                net.jqwik.api.Tuple.of(3, injections().map(BodyPropertyTest::utf8)),
                net.jqwik.api.Tuple.of(
                        3, Arbitraries.strings().all().ofMaxLength(40).map(BodyPropertyTest::utf8)),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.strings()
                                .withChars("0123456789.")
                                .ofMaxLength(20)
                                .map(BodyPropertyTest::utf8)),
                net.jqwik.api.Tuple.of(
                        2, Arbitraries.bytes().array(byte[].class).ofMaxSize(24)),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(4090, 6000).map(n -> utf8("1.".repeat(n / 2)))));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Arbitrary<Integer> octet() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 255)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 9, 10, 99, 100, 199, 200, 249, 250, 254, 255)));
    }

    static Arbitrary<String> quads() {
        return Combinators.combine(octet(), octet(), octet(), octet())
                .as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
    }

    /** Valid quads with one thing wrong, the kind of mistake a parser lets through. */
    static Arbitrary<String> nearMisses() {
        List<String> lookalikeDigits = List.of(
                "\uff10",
                "\uff11",
                "\u0660",
                "\u0661",
                "\u06f1",
                "\u0966",
                "\u0967",
                "\u00b9",
                "\u2070",
                "\u2080",
                "\ud835\udfce",
                "\ud835\udfcf",
                "O",
                "o",
                "l",
                "I");
        List<String> lookalikeDots = List.of("\u3002", "\u2024", "\uff0e", "\u00b7", ",", "..", "\u0000.");
        List<String> edges = List.of("\n", "\r", "\r\n", " ", "\t", "\0", "\\", ".", "\u00a0", "\u200b", "\ufeff", "#");
        Arbitrary<String> quad = quads();
        return Arbitraries.oneOf(
                Combinators.combine(quad, Arbitraries.of(edges)).as((q, e) -> q + e),
                Combinators.combine(quad, Arbitraries.of(edges)).as((q, e) -> e + q),
                Combinators.combine(quad, Arbitraries.integers().between(0, 3))
                        .as((q, i) -> withOctet(q, i, "0" + octetOf(q, i))),
                Combinators.combine(
                                quad,
                                Arbitraries.integers().between(0, 3),
                                Arbitraries.integers().between(256, 999))
                        .as((q, i, big) -> withOctet(q, i, String.valueOf(big))),
                Combinators.combine(quad, Arbitraries.integers().between(0, 3), Arbitraries.of(lookalikeDigits))
                        .as((q, i, d) -> withOctet(q, i, d + octetOf(q, i).substring(1))),
                Combinators.combine(quad, Arbitraries.of(lookalikeDots)).as((q, d) -> q.replaceFirst("\\.", d)),
                quad.map(q -> q.substring(0, q.lastIndexOf('.'))),
                quad.map(q -> q + ".1"),
                quad.map(q -> q + ":80"),
                quad.map(q -> "::ffff:" + q),
                quad.map(q ->
                        "0x" + Integer.toHexString(Integer.parseInt(octetOf(q, 0))) + q.substring(q.indexOf('.'))));
    }

    /** Strings that would change HTCondor's configuration if they reached the file. */
    static Arbitrary<String> injections() {
        List<String> payloads = List.of(
                "\nALLOW_WRITE = *",
                "\\",
                "$(FULL_HOSTNAME)",
                "$(",
                " @=end\nX\n@end",
                "\nuse ROLE: Execute",
                "\ninclude : /etc/passwd",
                "\nerror : stop",
                "\n[section]",
                "$ENV(HOME)",
                " # comment",
                "\r\nDAEMON_LIST = MASTER");
        return Combinators.combine(quads(), Arbitraries.of(payloads), Arbitraries.of(true, false))
                .as((q, p, before) -> before ? p + q : q + p);
    }

    private static String octetOf(String quad, int index) {
        return quad.split("\\.")[index];
    }

    private static String withOctet(String quad, int index, String replacement) {
        String[] parts = quad.split("\\.");
        parts[index] = replacement;
        return String.join(".", parts);
    }
}
