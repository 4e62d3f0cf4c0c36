package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlanTest {
    private static final Policy ALL = new Policy(true, true, true);

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        // category,        change,  flags,   action
        "SEED_AGENT,        DELETE,  none,    REMOVE",
        "SEED_AGENT,        STOP,    none,    STOP",
        "SEED_AGENT,        NONE,    none,    NOTE",
        "AWS_CREDENTIALS,   DELETE,  none,    LEAVE",
        "AWS_CREDENTIALS,   DELETE,  all,     REMOVE",
        "AWS_CREDENTIALS,   REWRITE, none,    LEAVE",
        "AWS_CREDENTIALS,   REWRITE, aws,     REWRITE",
        "AWS_CREDENTIALS,   REWRITE, annex,   LEAVE",
        "ANNEX_KEYS,        DELETE,  aws,     LEAVE",
        "ANNEX_KEYS,        DELETE,  annex,   REMOVE",
        "SHELL_HISTORY,     REWRITE, annex,   LEAVE",
        "SHELL_HISTORY,     REWRITE, history, REWRITE",
        "POOL_PASSWORD,     KEEP,    all,     KEEP",
        "HTCONDOR_TOKENS,   KEEP,    all,     KEEP",
        "INSTANCE_PROFILE,  NONE,    all,     NOTE",
        "LEGACY_BOOT_CONFIG, NONE,   all,     NOTE",
    })
    void action_followsCategoryAndFlag(Category category, Finding.Change change, String flags, Plan.Action expected) {
        Policy policy = switch (flags) {
            case "all" -> ALL;
            case "aws" -> new Policy(true, false, false);
            case "annex" -> new Policy(false, true, false);
            case "history" -> new Policy(false, false, true);
            default -> Policy.DEFAULT;
        };
        assertEquals(expected, Plan.action(Finding.of(category, "/x", "x", change), policy));
    }

    @Test
    void aProblem_isUnresolvedWhateverTheFlags() {
        Finding linked = Finding.of(Category.AWS_CREDENTIALS, "/home/a/.aws/credentials", "x", Finding.Change.DELETE)
                .problem("a symbolic link is in its path");
        assertEquals(Plan.Action.UNRESOLVED, Plan.action(linked, ALL));
        assertTrue(Plan.Action.UNRESOLVED.needsAttention());
    }

    @Test
    void steps_inCategoryOrder_serviceStoppedBeforeFilesAreRemoved() {
        Plan plan = Plan.of(
                List.of(
                        Finding.of(Category.SHELL_HISTORY, "/root/.bash_history", "h", Finding.Change.REWRITE),
                        Finding.of(Category.SEED_AGENT, "/var/lib/seed-agent/state.json", "s", Finding.Change.DELETE),
                        Finding.of(Category.POOL_PASSWORD, "/etc/condor/pool", "p", Finding.Change.KEEP),
                        Finding.of(Category.SEED_AGENT, null, "service", Finding.Change.STOP)),
                ALL);

        assertEquals(
                List.of(Plan.Action.STOP, Plan.Action.REMOVE, Plan.Action.REWRITE, Plan.Action.KEEP),
                plan.steps().stream().map(Plan.Step::action).toList());
        assertEquals(3, plan.changes().size());
        assertFalse(plan.needsAttention());
    }
}
