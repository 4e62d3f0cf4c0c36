package org.seedagent.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class Ipv4AddressPropertyTest {
    /** The reference: four octets 0-255 without leading zeros. Used with matches(), so $ cannot pass a newline. */
    private static final Pattern REFERENCE =
            Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");

    @Property(tries = 5000)
    void isValid_anyString_agreesWithReferenceRegex(@ForAll("candidates") String text) {
        boolean valid = REFERENCE.matcher(text).matches();

        assertEquals(valid, Ipv4Address.isValid(text));
        if (valid) {
            assertEquals(text, Ipv4Address.parse(text).text());
        } else {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
        }
    }

    /** Arbitrary text rarely looks like an address, so most candidates are built near the boundary. */
    @Provide
    Arbitrary<String> candidates() {
        Arbitrary<String> octet = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.integers().between(0, 255).map(String::valueOf)),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(4)));
        Arbitrary<String> separator = Arbitraries.frequency(
                Tuple.of(80, "."), Tuple.of(1, ".."), Tuple.of(1, ","), Tuple.of(1, " "), Tuple.of(1, ""));
        Arbitrary<String> quad = Combinators.combine(octet, separator, octet, separator, octet, separator, octet)
                .as((a, s1, b, s2, c, s3, d) -> a + s1 + b + s2 + c + s3 + d);
        Arbitrary<String> affix = Arbitraries.frequency(
                Tuple.of(60, ""),
                Tuple.of(1, " "),
                Tuple.of(1, "\n"),
                Tuple.of(1, "+"),
                Tuple.of(1, "0"),
                Tuple.of(1, "."),
                Tuple.of(1, ".5"),
                Tuple.of(1, "\u0661"),
                Tuple.of(1, "\uff11"));
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.strings()),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789.").ofMaxLength(20)),
                Tuple.of(4, Combinators.combine(affix, quad, affix).as((p, q, s) -> p + q + s)));
    }
}
