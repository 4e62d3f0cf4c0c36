package org.seedagent.checks;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The outcome of one check. Plain and stable: the daemon stores these for {@code seed-agent status},
 * and {@code check --format json} prints them (see {@link CheckReport}).
 *
 * @param id stable identifier, e.g. {@code forwarding-in-effect}
 * @param area what the check is about, for grouping
 * @param severity how bad the finding is
 * @param finding one line saying what was found; never a secret's content
 * @param remedy one line saying what to do (the knob and value to set, or the command to run); {@code null}
 *     only for {@link Severity#OK} and {@link Severity#INFO}
 */
public record CheckResult(String id, Area area, Severity severity, String finding, String remedy) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public CheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(severity, "severity");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a check id: " + id);
        }
        if (finding == null || finding.isBlank()) {
            throw new IllegalArgumentException("check " + id + " has no finding");
        }
        finding = oneLine(finding);
        if (remedy != null && remedy.isBlank()) {
            remedy = null;
        }
        if (remedy == null && (severity == Severity.WARNING || severity == Severity.FAILURE)) {
            throw new IllegalArgumentException("check " + id + " is a " + severity + " without a remedy");
        }
        remedy = remedy == null ? null : oneLine(remedy);
    }

    /** Whether this result fails {@code check} ({@code strict}: warnings fail too). */
    public boolean fails(boolean strict) {
        return severity == Severity.FAILURE || (strict && severity == Severity.WARNING);
    }

    /**
     * This result with {@code clause} added to its finding, its severity raised to at least {@code atLeast} (null:
     * unchanged), and {@code fix} added to its remedy (null: unchanged).
     */
    public CheckResult amended(Severity atLeast, String clause, String fix) {
        Severity raised = atLeast != null && severity.compareTo(atLeast) < 0 ? atLeast : severity;
        String remedied = fix == null ? remedy : remedy == null ? fix : remedy + "; " + fix;
        return new CheckResult(id, area, raised, finding + clause, remedied);
    }

    /** Control characters would break the one-line report and forge lines: they are escaped. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString().strip();
    }
}
