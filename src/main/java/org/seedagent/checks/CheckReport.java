package org.seedagent.checks;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.seedagent.support.TextWrap;

/**
 * A set of check results and its two renderings: the text report (grouped by area) and the JSON
 * document. The JSON document is described once, by its JSON Schema {@code docs/schemas/check.schema.json};
 * a change that is not backwards compatible raises {@link #SCHEMA_VERSION}.
 */
public record CheckReport(List<CheckResult> results) {
    public static final int SCHEMA_VERSION = 1;

    private static final String RESET = "\u001b[0m";

    public CheckReport {
        results = List.copyOf(results);
    }

    /** Whether any result fails the check run ({@code strict}: warnings too). */
    public boolean fails(boolean strict) {
        return results.stream().anyMatch(r -> r.fails(strict));
    }

    public Map<Severity, Integer> counts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        for (CheckResult r : results) {
            counts.merge(r.severity(), 1, Integer::sum);
        }
        return counts;
    }

    // --- text --------------------------------------------------------------------------------------

    /** The readable report: results grouped by area, each remedy under its finding, a summary line last. */
    public String text(boolean colour) {
        return text(colour, 0, true, true);
    }

    /**
     * The text report for a terminal {@code width} columns wide: a finding wrapped under its text, a fix under its
     * fix ({@code width} 0: not wrapped, one line per item, for grep). {@code everyFinding} false (a terminal without
     * {@code --long}): the checks that passed are named, not told, one line per area, so that a healthy seed's report
     * fits one 80x25 screen (issue 22); what needs attention (info, warning, failure) is always told whole.
     */
    public String text(boolean colour, int width, boolean everyFinding) {
        return text(colour, width, everyFinding, true);
    }

    /**
     * As above; {@code foldCascades} false ({@code --long}): a cascade's checks each on a line of their own, as JSON
     * has them.
     */
    public String text(boolean colour, int width, boolean everyFinding, boolean foldCascades) {
        int idWidth = results.stream().mapToInt(r -> r.id().length()).max().orElse(0);
        int findingColumn = 2 + 8 + idWidth + 2;
        Map<CheckResult, List<String>> folded = foldCascades ? cascades() : Map.of();
        StringBuilder out = new StringBuilder();
        for (Area area : Area.values()) {
            List<CheckResult> inArea = results.stream()
                    .filter(r -> r.area() == area)
                    .filter(r -> !folded.containsKey(r) || !folded.get(r).isEmpty())
                    .toList();
            if (inArea.isEmpty()) {
                continue;
            }
            String title = colour ? "\u001b[1m" + area.title() + RESET : area.title();
            List<String> passed = inArea.stream()
                    .filter(r -> r.severity() == Severity.OK)
                    .map(CheckResult::id)
                    .toList();
            if (everyFinding || passed.isEmpty()) {
                out.append(title).append('\n');
            } else {
                // "Networking  ok: a, b, c", the ids wrapped under the first id.
                String lead = String.format("%-" + (Area.widestTitle() + 2) + "s", area.title());
                String okWord = colour ? colourOf(Severity.OK) + "ok:" + RESET : "ok:";
                TextWrap.line(
                        (colour ? title + lead.substring(area.title().length()) : lead)
                                + okWord
                                + ' '
                                + String.join(", ", passed),
                        width,
                        lead.length() + 4,
                        out);
                out.append('\n');
            }
            for (CheckResult r : inArea) {
                if (!everyFinding && r.severity() == Severity.OK) {
                    continue;
                }
                String label = String.format("%-7s", label(r.severity()));
                List<String> more = folded.getOrDefault(r, List.of());
                String finding = more.isEmpty()
                        ? r.finding()
                        : r.finding() + "; the same for " + more.size() + " more checks: " + String.join(", ", more);
                TextWrap.line(
                        "  " + (colour ? colourOf(r.severity()) + label + RESET : label) + ' '
                                + String.format("%-" + idWidth + "s", r.id()) + "  " + finding,
                        width,
                        findingColumn,
                        out);
                out.append('\n');
                if (r.remedy() != null && r.severity() != Severity.OK) {
                    String lead = r.severity() == Severity.INFO ? "hint: " : "fix: ";
                    TextWrap.line(
                            " ".repeat(findingColumn) + lead + r.remedy(), width, findingColumn + lead.length(), out);
                    out.append('\n');
                }
            }
        }
        if (everyFinding || results.stream().noneMatch(r -> r.severity() == Severity.OK)) {
            out.append('\n').append(summary()).append('\n');
        } else {
            TextWrap.line(summary() + " (--long: every finding)", width, 0, out);
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * A cascade shown once, at its first check (issue 22: one missing program made eleven identical "not checked"
     * lines, each with the same fix): results with the same severity, finding and remedy, at least three, the
     * finding a "not checked". Maps the first of each to the ids of the others, and each of the others to an empty
     * list (not shown). The JSON report keeps every result.
     */
    private Map<CheckResult, List<String>> cascades() {
        Map<List<Object>, List<CheckResult>> groups = new LinkedHashMap<>();
        for (CheckResult r : results) {
            if (r.severity() != Severity.OK && r.finding().startsWith("not checked")) {
                groups.computeIfAbsent(
                                List.of(r.severity(), r.finding(), String.valueOf(r.remedy())), k -> new ArrayList<>())
                        .add(r);
            }
        }
        Map<CheckResult, List<String>> folded = new java.util.IdentityHashMap<>();
        for (List<CheckResult> group : groups.values()) {
            if (group.size() >= 3) {
                folded.put(
                        group.get(0),
                        group.subList(1, group.size()).stream()
                                .map(CheckResult::id)
                                .toList());
                group.subList(1, group.size()).forEach(r -> folded.put(r, List.of()));
            }
        }
        return folded;
    }

    /** E.g. {@code 16 checks: 12 ok, 1 info, 2 warnings, 1 failure}. */
    public String summary() {
        Map<Severity, Integer> c = counts();
        List<String> parts = new ArrayList<>();
        parts.add(c.get(Severity.OK) + " ok");
        if (c.get(Severity.INFO) > 0) {
            parts.add(c.get(Severity.INFO) + " info");
        }
        parts.add(c.get(Severity.WARNING) + (c.get(Severity.WARNING) == 1 ? " warning" : " warnings"));
        parts.add(c.get(Severity.FAILURE) + (c.get(Severity.FAILURE) == 1 ? " failure" : " failures"));
        return results.size() + " checks: " + String.join(", ", parts);
    }

    private static String label(Severity severity) {
        return switch (severity) {
            case OK -> "ok";
            case INFO -> "info";
            case WARNING -> "WARNING";
            case FAILURE -> "FAILURE";
        };
    }

    private static String colourOf(Severity severity) {
        return switch (severity) {
            case OK -> "\u001b[32m";
            case INFO -> "\u001b[36m";
            case WARNING -> "\u001b[33m";
            case FAILURE -> "\u001b[1;31m";
        };
    }

    // --- JSON --------------------------------------------------------------------------------------

    /** The JSON document (pretty-printed, ends with a newline). */
    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema_version", SCHEMA_VERSION);
        Map<String, Object> summary = new LinkedHashMap<>();
        counts().forEach((severity, n) -> summary.put(severity.jsonName(), n));
        doc.put("summary", summary);
        List<Object> list = new ArrayList<>();
        for (CheckResult r : results) {
            list.add(toMap(r));
        }
        doc.put("results", list);
        try {
            return JSON.std
                            .with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
                            .asString(doc) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render check results as JSON", e);
        }
    }

    /** One result as a JSON object (for storing results, e.g. in the daemon's state). */
    public static Map<String, Object> toMap(CheckResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("area", r.area().jsonName());
        m.put("severity", r.severity().jsonName());
        m.put("finding", r.finding());
        m.put("remedy", r.remedy());
        return m;
    }

    /** The inverse of {@link #toMap}. */
    public static CheckResult fromMap(Map<?, ?> m) {
        return new CheckResult(
                string(m, "id"),
                Area.fromJsonName(string(m, "area")),
                Severity.fromJsonName(string(m, "severity")),
                string(m, "finding"),
                m.get("remedy") == null ? null : string(m, "remedy"));
    }

    /** Parses a document written by {@link #json()}. */
    public static CheckReport parse(String json) throws IOException {
        Map<String, Object> doc = JSON.std.mapFrom(json);
        Object version = doc.get("schema_version");
        if (!(version instanceof Number n) || n.intValue() != SCHEMA_VERSION) {
            throw new IOException("unsupported check results schema_version " + version);
        }
        Object list = doc.get("results");
        if (!(list instanceof List<?> items)) {
            throw new IOException("check results without a results array");
        }
        List<CheckResult> results = new ArrayList<>();
        try {
            for (Object item : items) {
                if (!(item instanceof Map<?, ?> m)) {
                    throw new IOException("a check result that is not an object");
                }
                results.add(fromMap(m));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid check result: " + e.getMessage(), e);
        }
        return new CheckReport(results);
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a string");
        }
        return Objects.requireNonNull(s);
    }
}
