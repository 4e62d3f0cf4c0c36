package org.seedagent.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the plan's last line names only the labels the listing shows (a run with problems alone does not
 * claim FOUND items it never listed), in the singular for one finding.
 */
class ImageReportPlanLineTest {
    private static Plan.Step step(Plan.Action action, Finding.Change change) {
        return new Plan.Step(
                new Finding(
                        Category.AWS_CREDENTIALS,
                        "/root/.aws/credentials",
                        "keys",
                        List.of(),
                        List.of(),
                        change,
                        null,
                        null),
                action);
    }

    @Test
    void problemsOnly_saysProblemOnly() {
        Plan plan = new Plan(List.of(
                step(Plan.Action.UNRESOLVED, Finding.Change.NONE), step(Plan.Action.UNRESOLVED, Finding.Change.NONE)));

        assertEquals("Nothing to change. 2 findings (PROBLEM) need attention.", ImageReport.planLine(plan));
    }

    @Test
    void oneFoundItem_singular() {
        Plan plan = new Plan(List.of(
                step(Plan.Action.REMOVE, Finding.Change.DELETE), step(Plan.Action.LEAVE, Finding.Change.DELETE)));

        assertEquals("To do: remove 1 file. 1 finding (FOUND) needs attention.", ImageReport.planLine(plan));
    }

    @Test
    void labels_onlyThoseThatOccur() {
        assertEquals("FOUND", ImageReport.labels(1, 0));
        assertEquals("PROBLEM", ImageReport.labels(0, 3));
        assertEquals("FOUND, PROBLEM", ImageReport.labels(2, 1));
        assertEquals("", ImageReport.labels(0, 0));
    }
}
