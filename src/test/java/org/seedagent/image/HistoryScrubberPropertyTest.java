package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class HistoryScrubberPropertyTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /** Lines that never set a key pass through unchanged; lines that do are gone, and nothing else is. */
    @Property(tries = 300)
    void scrub_dropsExactlyTheSecretLines(@ForAll("histories") List<String> lines) {
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String line : lines) {
            in.append(line).append('\n');
            if (!line.contains(SECRET)) {
                expected.append(line).append('\n');
            }
        }

        Scrub scrub = HistoryScrubber.scrub(bytes(in.toString()), HistoryScrubber.Format.SHELL);

        assertEquals(expected.toString(), text(scrub.cleaned()));
        assertFalse(text(scrub.cleaned()).contains(SECRET));
    }

    @Provide
    Arbitrary<List<String>> histories() {
        Arbitrary<String> plain = Arbitraries.strings()
                .withChars("abcdefgxyz =-_./'\"$;:|&")
                .ofMaxLength(30)
                .map(s -> s.endsWith("\\") ? s + "x" : s)
                .filter(s -> !s.startsWith("#"));
        Arbitrary<String> secret = Arbitraries.of(
                "export AWS_SECRET_ACCESS_KEY=" + SECRET,
                "AWS_SECRET_ACCESS_KEY='" + SECRET + "' aws s3 ls",
                "aws configure set aws_secret_access_key " + SECRET);
        return Arbitraries.frequencyOf(Tuple.of(8, plain), Tuple.of(1, secret))
                .list()
                .ofMaxSize(20);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
