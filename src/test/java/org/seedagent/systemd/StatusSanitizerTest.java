package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class StatusSanitizerTest {

    @Test
    void sanitizeStatus_controlCharactersBecomeOneSpace() {
        assertEquals("a b c d e", SystemdNotifier.sanitizeStatus("a\nb\r\n\r\nc\td\u0085\u2028e"));
        assertEquals("x y", SystemdNotifier.sanitizeStatus("\u0000\n x\u001b\u007fy \n"));
    }

    @Test
    void sanitizeStatus_nullOrBlank_isEmpty() {
        assertEquals("", SystemdNotifier.sanitizeStatus(null));
        assertEquals("", SystemdNotifier.sanitizeStatus("\n\r\t "));
    }

    @Test
    void sanitizeStatus_keepsOrdinaryAndNonAsciiText() {
        assertEquals(
                "Public IP 203.0.113.10 (Elastic IP) – since 12:00, état ✓",
                SystemdNotifier.sanitizeStatus("Public IP 203.0.113.10 (Elastic IP) – since 12:00, état ✓"));
    }

    @Test
    void sanitizeStatus_longText_isCutWithEllipsis() {
        String cut = SystemdNotifier.sanitizeStatus("x".repeat(1000));

        assertEquals(SystemdNotifier.MAX_STATUS_CHARS, cut.length());
        assertTrue(cut.endsWith("x..."), cut);
        assertEquals(
                "y".repeat(SystemdNotifier.MAX_STATUS_CHARS),
                SystemdNotifier.sanitizeStatus("y".repeat(SystemdNotifier.MAX_STATUS_CHARS)));
    }

    @Test
    void sanitizeStatus_doesNotSplitSurrogatePairs() {
        String cut = SystemdNotifier.sanitizeStatus("\uD83D\uDE00".repeat(500));

        assertEquals(SystemdNotifier.MAX_STATUS_CHARS, cut.codePointCount(0, cut.length()));
        assertTrue(cut.startsWith("\uD83D\uDE00") && cut.endsWith("\uD83D\uDE00..."), cut);
    }

    @Property
    void sanitizeStatus_isOneBoundedLineWithoutControlCharacters(@ForAll String text) {
        String clean = SystemdNotifier.sanitizeStatus(text);

        assertTrue(clean.codePointCount(0, clean.length()) <= SystemdNotifier.MAX_STATUS_CHARS, clean);
        assertTrue(
                clean.codePoints()
                        .noneMatch(c -> Character.isISOControl(c)
                                || Character.getType(c) == Character.LINE_SEPARATOR
                                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR),
                clean);
        assertEquals(clean.strip(), clean);
    }
}
