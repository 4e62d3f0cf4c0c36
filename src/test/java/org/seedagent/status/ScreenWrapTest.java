package org.seedagent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report at a terminal: wrapped to its width, continuations under what they continue, no word lost. Run on
 * every golden screen of {@code StatusCommandGoldenTest} (the real command's output) at 80 and 100 columns.
 */
class ScreenWrapTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/status");

    @Test
    void everyGoldenScreen_at80And100Columns_noLineWider_noWordLostOrReordered() throws IOException {
        List<Path> screens;
        try (var files = Files.list(GOLDEN)) {
            screens = files.filter(f -> f.toString().endsWith(".txt")
                            && !f.getFileName().toString().contains("-80"))
                    .toList();
        }
        assertTrue(screens.size() >= 8, screens.toString());
        for (Path screen : screens) {
            String text = Files.readString(screen, StandardCharsets.UTF_8);
            for (int width : new int[] {80, 100}) {
                String wrapped = ScreenWrap.wrap(text, width);
                for (String line : wrapped.split("\n")) {
                    assertTrue(
                            line.length() <= width,
                            screen + " at " + width + " columns: " + line.length() + ": " + line);
                }
                assertEquals(words(text), words(wrapped), screen + " at " + width);
            }
        }
    }

    @Test
    void healthyScreen_at80Columns_matchesGoldenFile_fitsOne80x25Terminal() throws IOException {
        String wrapped = ScreenWrap.wrap(Files.readString(GOLDEN.resolve("healthy.txt"), StandardCharsets.UTF_8), 80);
        Path file = GOLDEN.resolve("healthy-80.txt");
        if (Boolean.getBoolean("seedagent.updateGolden")) {
            Files.writeString(file, wrapped, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), wrapped);
        List<String> lines = wrapped.lines().toList();
        assertTrue(lines.size() <= 25, "a healthy seed's status fits one 80x25 terminal: " + lines.size() + " lines");
        assertTrue(lines.stream().allMatch(l -> l.length() <= 80), wrapped);
    }

    @Test
    void continuations_indentedUnderWhatTheyContinue() {
        String problem = "  FAILURE  " + "word ".repeat(20).strip() + "\n           fix: "
                + "do ".repeat(30).strip() + "\n  - " + "note ".repeat(20).strip() + "\n  Agent:        "
                + "running ".repeat(10).strip();

        List<String> lines = Arrays.asList(ScreenWrap.wrap(problem, 40).split("\n"));

        assertEquals("  FAILURE  word word word word word word", lines.get(0));
        assertEquals("           word word word word word word", lines.get(1));
        assertTrue(lines.contains("           fix: do do do do do do do do"), lines.toString());
        assertTrue(lines.contains("                do do do do do do do do"), lines.toString());
        assertTrue(lines.contains("  - note note note note note note note"), lines.toString());
        assertTrue(lines.contains("    note note note note note note note"), lines.toString());
        assertTrue(lines.contains("  Agent:        running running running"), lines.toString());
        assertTrue(lines.contains("                running running running"), lines.toString());
    }

    @Test
    void colourCodesTakeNoColumns_aLongWordIsLeftWhole_shortLinesUntouched_zeroWidthNoWrap() {
        String red = "\u001b[1;31mFAILURE\u001b[0m";
        String line = "  " + red + "  abc def ghi jkl";

        assertEquals(line, ScreenWrap.wrap(line, 26), "visible width 26: fits");
        assertEquals("  " + red + "  abc def ghi\n           jkl", ScreenWrap.wrap(line, 24));
        String path = "  Fragment:     /" + "x".repeat(90) + " ok";
        assertEquals("  Fragment:     /" + "x".repeat(90) + "\n                ok", ScreenWrap.wrap(path, 80));
        assertEquals("short\n\nlines\n", ScreenWrap.wrap("short\n\nlines\n", 80));
        String long_ = "a ".repeat(100);
        assertEquals(long_, ScreenWrap.wrap(long_, 0));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
