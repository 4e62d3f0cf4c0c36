package org.seedagent.checks;

import org.seedagent.support.JsonNames;

/** How bad a check's finding is. Ordered from best to worst. */
public enum Severity {
    /** As it should be. */
    OK,
    /** Worth knowing; nothing to fix (e.g. the job lease). Never fails {@code check}, not even with --strict. */
    INFO,
    /** Works today but is risky, or could not be checked; fails {@code check --strict}. */
    WARNING,
    /** Broken: annex nodes cannot join, or the seed is exposed. Fails {@code check}. */
    FAILURE;

    /** The name used in JSON: {@code ok}, {@code info}, {@code warning}, {@code failure}. */
    public String jsonName() {
        return JsonNames.of(this);
    }

    public static Severity fromJsonName(String name) {
        return JsonNames.parse(Severity.class, Severity::jsonName, name)
                .orElseThrow(() -> new IllegalArgumentException("unknown severity " + name));
    }
}
