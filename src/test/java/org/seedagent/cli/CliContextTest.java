package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The terminal's width, for wrapping {@code status}: none when output is not a terminal. */
class CliContextTest {
    @Test
    void columns_acceptsAUsableWidthOnly() {
        assertEquals(132, CliContext.columns("132"));
        assertEquals(80, CliContext.columns(" 80\n"));
        assertNull(CliContext.columns("0"), "a pty nobody sized says 0");
        assertNull(CliContext.columns("39"));
        assertNull(CliContext.columns("wide"));
        assertNull(CliContext.columns(null));
    }

    @Test
    void terminalWidth_outputNotATerminal_zero_evenWithColumnsSet() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CliContext context = new CliContext(
                out,
                out,
                Map.of("COLUMNS", "120"),
                Clock.systemUTC(),
                (command, timeout) -> {
                    throw new AssertionError("no process for a pipe: " + command);
                },
                settings -> {
                    throw new AssertionError();
                },
                null,
                false);

        assertEquals(0, context.terminalWidth());
    }
}
