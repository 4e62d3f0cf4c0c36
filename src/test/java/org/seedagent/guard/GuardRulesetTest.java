package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule set's exact text. The root-only rule set is the file the package ships
 * ({@code packaging/imds-guard.nft}, which the unit loads before the JVM starts). After a deliberate
 * change: {@code mvn test -Dtest=GuardRulesetTest -Dseedagent.updateGolden=true}, and review the diff.
 */
class GuardRulesetTest {
    private static final Path ROOT_ONLY = Path.of("packaging/imds-guard.nft");
    private static final Path WITH_ACCOUNTS = Path.of("src/test/resources/golden/imds-guard-accounts.nft");

    @Test
    void render_rootOnly_isTheShippedFile() throws IOException {
        assertGolden(ROOT_ONLY, GuardRuleset.render(List.of(), List.of()));
    }

    @Test
    void render_usersAndGroups_matchesGoldenFile() throws IOException {
        String script = GuardRuleset.render(
                List.of(new Account("condor", 990), new Account(null, 4242), new Account("root", 0)),
                List.of(new Account("annex", 991), new Account(null, 5000)));
        assertGolden(WITH_ACCOUNTS, script);
    }

    @Test
    void render_replacesOnlyItsOwnTable_inOneTransaction() {
        List<String> lines = GuardRuleset.render(List.of(), List.of())
                .lines()
                .filter(l -> !l.startsWith("#") && !l.startsWith("\t") && !l.isBlank())
                .toList();
        assertEquals(
                List.of(
                        "table inet seed_agent_imds_guard",
                        "delete table inet seed_agent_imds_guard",
                        "table inet seed_agent_imds_guard {",
                        "}"),
                lines);
        assertFalse(GuardRuleset.render(List.of(), List.of()).contains("flush ruleset"));
        assertEquals(
                "table inet seed_agent_imds_guard\ndelete table inet seed_agent_imds_guard\n", GuardRuleset.removal());
    }

    @Test
    void render_duplicateIds_listedOnce_rootAlwaysFirst() {
        String script =
                GuardRuleset.render(List.of(new Account("a", 7), new Account("b", 7), new Account(null, 0)), List.of());
        assertTrue(script.contains("elements = { 0, 7 }"), script);
        assertTrue(script.contains("# Users: root, a (7)\n"), script);
        assertFalse(script.contains("type gid\n\t\telements"), "an empty gid set has no elements line");
    }

    @Test
    void account_rejectsWhatCouldInjectIntoTheScript() {
        for (String name : List.of("a b", "a\nflush ruleset", "a;b", "\"a\"", "-a", "1abc", "a{", "")) {
            assertThrows(IllegalArgumentException.class, () -> new Account(name, 1), name);
        }
        assertThrows(IllegalArgumentException.class, () -> new Account("a", -1));
        assertThrows(IllegalArgumentException.class, () -> new Account("a", 4294967295L));
    }

    static void assertGolden(Path file, String actual) throws IOException {
        org.seedagent.testing.Golden.assertMatches(
                file.getParent(), file.getFileName().toString(), actual);
    }
}
