package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: every runtime control the emulator answers (each {@code /emulator/...} path its code matches) is
 * documented in {@code seed-agent emulator --help} and in docs/DEVELOPMENT.md ("Trying it by hand", issue 23).
 */
class EmulatorControlsDocumentedTest {
    private static final Pattern CONTROL = Pattern.compile("\"(/emulator/[a-z0-9/-]+)\"");

    @Test
    void everyControl_inHelpAndDevelopmentDoc() throws IOException {
        String source = Files.readString(
                Path.of("src/main/java/org/seedagent/emulator/MetadataEmulator.java"), StandardCharsets.UTF_8);
        Set<String> controls = new TreeSet<>();
        Matcher m = CONTROL.matcher(source);
        while (m.find()) {
            controls.add(m.group(1));
        }
        assertTrue(controls.size() >= 5, "controls found in the emulator's code: " + controls);
        String help = new EmulatorCommand().usage();
        String doc = Files.readString(Path.of("docs/DEVELOPMENT.md"), StandardCharsets.UTF_8);
        for (String control : controls) {
            // /emulator/meta-data/ is a prefix: documented with an item after it.
            assertTrue(help.contains("http://127.0.0.1:N" + control), control + " not in emulator --help");
            assertTrue(doc.contains("http://127.0.0.1:N" + control), control + " not in docs/DEVELOPMENT.md");
        }
    }
}
