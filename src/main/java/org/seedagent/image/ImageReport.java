package org.seedagent.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.seedagent.support.JsonNames;

/**
 * The outcome of {@code seed-agent prepare-image} and its renderings: the text listing (before
 * confirmation), the text results (after), and the JSON document. The JSON document is described once, by
 * its JSON Schema {@code docs/schemas/prepare-image.schema.json}; a change that is not backwards compatible
 * raises {@link #SCHEMA_VERSION}.
 */
public record ImageReport(String root, Stage stage, List<Outcome> outcomes) {
    public static final int SCHEMA_VERSION = 1;
    private static final String INDENT = "           ";

    /** How far the command went. */
    public enum Stage {
        /** {@code --dry-run}: nothing was changed; the outcomes say what would be. */
        DRY_RUN,
        /** The operator did not confirm: nothing was changed. */
        NOT_CONFIRMED,
        /** The plan was applied. */
        APPLIED
    }

    /** What the image is left with (for a dry run: would be). */
    public enum Result {
        /** Nothing is left that an image should not contain. */
        CLEAN,
        /** Findings are left that need attention: credentials not removed, or what could not be examined. */
        ATTENTION,
        /** A change failed. */
        FAILED,
        /** Nothing was changed: no confirmation. */
        NOT_CONFIRMED;

        public String jsonName() {
            return JsonNames.of(this);
        }
    }

    public ImageReport {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(stage, "stage");
        outcomes = List.copyOf(outcomes);
    }

    public static ImageReport dryRun(String root, Plan plan) {
        return new ImageReport(root, Stage.DRY_RUN, Outcome.all(plan, Outcome.Status.PLANNED));
    }

    public static ImageReport notConfirmed(String root, Plan plan) {
        return new ImageReport(root, Stage.NOT_CONFIRMED, Outcome.all(plan, Outcome.Status.NOT_DONE));
    }

    public static ImageReport applied(String root, List<Outcome> outcomes) {
        return new ImageReport(root, Stage.APPLIED, outcomes);
    }

    public Result result() {
        if (stage == Stage.NOT_CONFIRMED) {
            return Result.NOT_CONFIRMED;
        }
        if (outcomes.stream().anyMatch(o -> o.status() == Outcome.Status.FAILED)) {
            return Result.FAILED;
        }
        if (outcomes.stream().anyMatch(o -> o.step().action().needsAttention())) {
            return Result.ATTENTION;
        }
        return Result.CLEAN;
    }

    // --- text ----------------------------------------------------------------------------------------

    /** Every finding under its category's heading, with what is to be done, then the plan in one line. */
    public static String listing(String root, Plan plan) {
        StringBuilder out =
                new StringBuilder("An image of ").append(Show.path(root)).append(" (seed-agent prepare-image):\n");
        if (plan.steps().isEmpty()) {
            out.append("\nNothing found that an image should not contain.\n");
            return out.toString();
        }
        Category heading = null;
        for (Plan.Step step : plan.steps()) {
            Finding f = step.finding();
            if (f.category() != heading) {
                heading = f.category();
                out.append('\n').append(heading.heading()).append('\n');
            }
            out.append("  ").append(String.format("%-8s", label(step.action()))).append(' ');
            if (f.path() != null) {
                out.append(Show.path(f.path())).append('\n').append(INDENT);
            }
            out.append(f.what()).append('\n');
            if (step.action() == Plan.Action.LEAVE) {
                out.append(INDENT)
                        .append("left in place: run again with ")
                        .append(f.category().flag())
                        .append(" to ")
                        .append(f.change() == Finding.Change.REWRITE ? "remove those lines" : "remove it")
                        .append('\n');
            }
            if (f.problem() != null) {
                out.append(INDENT).append("problem: ").append(f.problem()).append('\n');
            }
            if (f.advice() != null) {
                out.append(INDENT).append(f.advice()).append('\n');
            }
        }
        out.append('\n').append(planLine(plan)).append('\n');
        return out.toString();
    }

    /** E.g. {@code To do: stop seed-agent.service, remove 3 files, rewrite 1 file. 2 findings need attention.} */
    static String planLine(Plan plan) {
        Map<Plan.Action, Integer> counts =
                counts(plan.steps().stream().map(Plan.Step::action).toList());
        List<String> parts = new ArrayList<>();
        if (counts.get(Plan.Action.STOP) > 0) {
            parts.add("stop " + SeedAgentService.UNIT);
        }
        if (counts.get(Plan.Action.REMOVE) > 0) {
            parts.add("remove " + files(counts.get(Plan.Action.REMOVE)));
        }
        if (counts.get(Plan.Action.REWRITE) > 0) {
            parts.add("rewrite " + files(counts.get(Plan.Action.REWRITE)));
        }
        String todo = parts.isEmpty() ? "Nothing to change." : "To do: " + String.join(", ", parts) + ".";
        int attention = counts.get(Plan.Action.LEAVE) + counts.get(Plan.Action.UNRESOLVED);
        return attention == 0
                ? todo
                : todo + " " + findings(attention) + " ("
                        + labels(counts.get(Plan.Action.LEAVE), counts.get(Plan.Action.UNRESOLVED)) + ") "
                        + (attention == 1 ? "needs" : "need") + " attention.";
    }

    /** The listing's labels of what needs attention, only those that occur (issue 22): FOUND, PROBLEM or both. */
    static String labels(int found, int problems) {
        List<String> labels = new ArrayList<>();
        if (found > 0) {
            labels.add("FOUND");
        }
        if (problems > 0) {
            labels.add("PROBLEM");
        }
        return String.join(", ", labels);
    }

    /** After a dry run, a refusal or the clean-up: what was done and what the image is left with. */
    public String text() {
        StringBuilder out = new StringBuilder();
        switch (stage) {
            case DRY_RUN -> out.append("Dry run: nothing was changed. ");
            case NOT_CONFIRMED -> {
                out.append("Nothing was changed.\n");
                return out.toString();
            }
            case APPLIED -> {
                List<Outcome> changes = outcomes.stream()
                        .filter(o -> o.status() == Outcome.Status.DONE || o.status() == Outcome.Status.FAILED)
                        .toList();
                if (!changes.isEmpty()) {
                    out.append('\n');
                }
                for (Outcome o : changes) {
                    Finding f = o.step().finding();
                    String label = o.status() == Outcome.Status.FAILED
                            ? "FAILED"
                            : done(o.step().action());
                    out.append("  ")
                            .append(String.format("%-8s", label))
                            .append(' ')
                            .append(f.path() != null ? Show.path(f.path()) : String.join(", ", f.names()));
                    if (o.message() != null) {
                        out.append(": ").append(o.message());
                    }
                    out.append('\n');
                }
                out.append('\n');
            }
        }
        int attention = (int) outcomes.stream()
                .filter(o -> o.step().action().needsAttention())
                .count();
        int failed = (int) outcomes.stream()
                .filter(o -> o.status() == Outcome.Status.FAILED)
                .count();
        switch (result()) {
            case CLEAN ->
                out.append(stage == Stage.DRY_RUN ? "Without --dry-run the image would be clean" : "The image is clean")
                        .append(": nothing is left that it should not contain.\n");
            case ATTENTION -> {
                if (stage == Stage.DRY_RUN) {
                    // The listing's plan line has counted them already (issue 22: the summary was said twice).
                    out.append("The image would not be clean: the findings above need attention.\n");
                } else {
                    out.append(findings(attention))
                            .append(attention == 1 ? " needs" : " need")
                            .append(" attention (")
                            .append(labels(
                                    (int) outcomes.stream()
                                            .filter(o -> o.step().action() == Plan.Action.LEAVE)
                                            .count(),
                                    (int) outcomes.stream()
                                            .filter(o -> o.step().action() == Plan.Action.UNRESOLVED)
                                            .count()))
                            .append(" above): the image is not clean yet.\n");
                }
            }
            case FAILED ->
                out.append(failed)
                        .append(failed == 1 ? " change" : " changes")
                        .append(" failed (FAILED above): fix the cause and run prepare-image again.\n");
            case NOT_CONFIRMED -> throw new IllegalStateException("handled above");
        }
        if (stage == Stage.APPLIED) {
            if (outcomes.stream()
                    .anyMatch(o -> o.step().action() == Plan.Action.STOP && o.status() == Outcome.Status.DONE)) {
                out.append(SeedAgentService.UNIT)
                        .append(" is stopped and stays enabled: an instance made from the"
                                + " image writes a fresh fragment when it boots. To go on using this instance instead: systemctl"
                                + " start ")
                        .append(SeedAgentService.UNIT)
                        .append('\n');
            }
            out.append("Open shells write the history they hold in memory when they exit: run 'unset HISTFILE' in"
                    + " each of them (bash, zsh) before logging out.\n");
        }
        return out.toString();
    }

    private static String label(Plan.Action action) {
        return switch (action) {
            case STOP -> "stop";
            case REMOVE -> "remove";
            case REWRITE -> "rewrite";
            case LEAVE -> "FOUND";
            case KEEP -> "keep";
            case NOTE -> "note";
            case UNRESOLVED -> "PROBLEM";
        };
    }

    private static String done(Plan.Action action) {
        return switch (action) {
            case STOP -> "stopped";
            case REMOVE -> "removed";
            case REWRITE -> "rewrote";
            default -> throw new IllegalArgumentException("not a change: " + action);
        };
    }

    private static String files(int n) {
        return n == 1 ? "1 file" : n + " files";
    }

    private static String findings(int n) {
        return n == 1 ? "1 finding" : n + " findings";
    }

    private static Map<Plan.Action, Integer> counts(List<Plan.Action> actions) {
        Map<Plan.Action, Integer> counts = new EnumMap<>(Plan.Action.class);
        for (Plan.Action a : Plan.Action.values()) {
            counts.put(a, 0);
        }
        actions.forEach(a -> counts.merge(a, 1, Integer::sum));
        return counts;
    }

    // --- JSON ----------------------------------------------------------------------------------------

    /** The JSON document (pretty-printed, ends with a newline). */
    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema_version", SCHEMA_VERSION);
        doc.put("root", root);
        doc.put("dry_run", stage == Stage.DRY_RUN);
        doc.put("result", result().jsonName());
        Map<String, Object> summary = new LinkedHashMap<>();
        counts(outcomes.stream().map(o -> o.step().action()).toList())
                .forEach((action, n) -> summary.put(action.jsonName(), n));
        summary.put("failed", (int) outcomes.stream()
                .filter(o -> o.status() == Outcome.Status.FAILED)
                .count());
        doc.put("summary", summary);
        List<Object> findings = new ArrayList<>();
        for (Outcome o : outcomes) {
            Finding f = o.step().finding();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("category", f.category().id());
            m.put("path", f.path());
            m.put("what", f.what());
            m.put("names", f.names());
            m.put("lines", f.lines());
            m.put("action", o.step().action().jsonName());
            m.put("status", o.status().jsonName());
            m.put("message", o.message());
            m.put("problem", f.problem());
            m.put("advice", f.advice());
            findings.add(m);
        }
        doc.put("findings", findings);
        try {
            return JSON.std
                            .with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
                            .asString(doc) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the report as JSON", e);
        }
    }
}
