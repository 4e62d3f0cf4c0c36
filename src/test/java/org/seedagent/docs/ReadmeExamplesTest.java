package org.seedagent.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.fragment.Fragment;
import org.seedagent.guard.Account;
import org.seedagent.guard.GuardRuleset;
import org.seedagent.metadata.Ipv4Address;

/**
 * The documentation's examples of output are the program's real output (issue 22): each fenced block that shows
 * what the program writes or prints, in README.md or in the docs/ page it lives on (issue 23), equals what it
 * does. The status and check screens are golden files ({@code StatusCommandGoldenTest},
 * {@code CheckScreenGoldenTest}); the fragment and the rule set are rendered here. After a deliberate change,
 * {@code -Dseedagent.updateGolden=true} rewrites the file's block.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of("README.md");
    private static final Path CHECKS = Path.of("docs/CHECKS.md");
    private static final Path IMDS_GUARD = Path.of("docs/IMDS-GUARD.md");

    @Test
    void fragmentExample_isTheFragmentTheAgentWrites() throws IOException {
        String fragment = new Fragment(
                        Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0")
                .text();

        assertExample(README, "# Managed by seed-agent: DO NOT EDIT.", fragment);
    }

    @Test
    void statusExample_isTheHealthyGoldenScreen() throws IOException {
        String screen =
                Files.readString(Path.of("src/test/resources/golden/status/healthy.txt"), StandardCharsets.UTF_8);

        assertExample(README, "seed-agent: healthy\n", screen.endsWith("\n") ? screen : screen + "\n");
    }

    @Test
    void checkExample_isTheHealthyTerminalGoldenScreen() throws IOException {
        String screen =
                Files.readString(Path.of("src/test/resources/golden/check/healthy-80.txt"), StandardCharsets.UTF_8);

        assertExample(CHECKS, "HTCondor configuration  ok: ", screen);
    }

    /** docs/IMDS-GUARD.md's example: {@code imds-guard.allow-users = alice} (uid 1001), no groups or interfaces. */
    @Test
    void imdsGuardExample_isTheRuleSetItsSettingsMake() throws IOException {
        String ruleSet = GuardRuleset.render(List.of(new Account("alice", 1001)), List.of(), List.of());

        assertExample(IMDS_GUARD, "# Managed by seed-agent (seed-agent imds-guard apply)", ruleSet);
    }

    /** The one fenced block of {@code file} that starts with {@code firstLine}, compared with the program's text. */
    private static void assertExample(Path file, String firstLine, String actual) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<int[]> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("```") && i + 1 < lines.size() && (lines.get(i + 1) + "\n").startsWith(firstLine)) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).equals("```")) {
                    end++;
                }
                found.add(new int[] {i + 1, end});
            }
        }
        assertEquals(1, found.size(), file + " has one example block starting with " + firstLine);
        int[] block = found.get(0);
        String shown = String.join("\n", lines.subList(block[0], block[1])) + "\n";
        if (Boolean.getBoolean("seedagent.updateGolden") && !shown.equals(actual)) {
            List<String> updated = new ArrayList<>(lines.subList(0, block[0]));
            updated.addAll(actual.lines().toList());
            updated.addAll(lines.subList(block[1], lines.size()));
            Files.writeString(file, String.join("\n", updated) + "\n", StandardCharsets.UTF_8);
            shown = actual;
        }
        assertTrue(actual.endsWith("\n"));
        assertEquals(actual, shown, file + ", the example at line " + (block[0] + 1));
    }
}
