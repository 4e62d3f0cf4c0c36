package org.seedagent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {
    private static final Instant T = Instant.parse("2026-11-25T13:45:00.123Z");

    @AfterEach
    void restore() {
        LogSettings.get().setOutput(System.err, false);
        LogSettings.get().setLevel(Level.INFO);
    }

    @Test
    void format_journal_prefixesPriority() {
        LogFormat journal = new LogFormat(true);
        assertEquals("<3>boom\n", journal.format(T, Level.ERROR, "boom", null));
        assertEquals("<4>careful\n", journal.format(T, Level.WARN, "careful", null));
        assertEquals("<5>note\n", journal.format(T, Level.NOTICE, "note", null));
        assertEquals("<6>fine\n", journal.format(T, Level.INFO, "fine", null));
        assertEquals("<7>detail\n", journal.format(T, Level.DEBUG, "detail", null));
    }

    @Test
    void format_journalMultiLine_everyLinePrefixed() {
        String text = new LogFormat(true).format(T, Level.WARN, "first\nsecond\r\nthird", null);
        assertEquals("<4>first\n<4>second\n<4>third\n", text);
    }

    @Test
    void format_journalStackTrace_everyFramePrefixed() {
        String text = new LogFormat(true).format(T, Level.ERROR, "failed", new IOException("disk\nfull"));
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("<3>"), "unprefixed line: " + line);
        }
        assertTrue(text.contains("<3>java.io.IOException: disk"), text);
        assertTrue(text.contains("<3>\tat org.seedagent.logging.LogFormatTest"), text);
    }

    @Test
    void format_terminal_timestampAndLevel() {
        String text = new LogFormat(false).format(T, Level.WARN, "address changed\nannex nodes", null);
        assertEquals("2026-11-25 13:45:00.123Z WARN   address changed\n    annex nodes\n", text);
    }

    @Test
    void journalFromEnvironment_journalStreamSet_true() {
        assertTrue(LogFormat.journalFromEnvironment(Map.of("JOURNAL_STREAM", "8:12345")));
        assertFalse(LogFormat.journalFromEnvironment(Map.of()));
    }

    @Test
    void slf4j_usesOurProviderWithLevelAndQuietLibraries() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogSettings.get().setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        LogSettings.get().setLevel(Level.INFO);

        LoggerFactory.getLogger("org.seedagent.Test").info("hello {}", "world");
        LoggerFactory.getLogger("org.seedagent.Test").debug("hidden");
        LogSettings.get().setLevel(Level.DEBUG);
        LoggerFactory.getLogger("org.seedagent.Test").debug("shown");
        LoggerFactory.getLogger("software.amazon.awssdk.imds.Client").debug("token body xyz");

        assertEquals("<6>hello world\n<7>shown\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
