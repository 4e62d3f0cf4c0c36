package org.seedagent.image;

import java.util.List;
import java.util.Objects;

/**
 * One thing an image of the instance would contain, found by {@link ImageSurvey}. Never holds a secret's
 * value: only paths, line numbers and names (of keys, variables, configuration knobs, the instance
 * profile's ARN).
 *
 * @param category what kind of thing it is
 * @param path where it is, as the instance names it (absolute, whatever {@code --root} is), or
 *     {@code null} for what is not a file (the service, the instance profile)
 * @param what one line saying what it is and what it holds
 * @param names names of what it holds: AWS key or variable names, the knob that names the file, the
 *     instance profile's ARN; may be empty
 * @param lines 1-based numbers of the lines that hold keys; empty when not about lines
 * @param change what cleaning it means, when its category allows
 * @param problem why it cannot be examined or changed (a symbolic link in the way, unreadable, ...), or
 *     {@code null}; a finding with a problem is never changed and needs attention
 * @param advice what the operator should know or do about it, or {@code null}
 */
public record Finding(
        Category category,
        String path,
        String what,
        List<String> names,
        List<Integer> lines,
        Change change,
        String problem,
        String advice) {

    /** What cleaning a finding means. */
    public enum Change {
        /** Delete the file. */
        DELETE,
        /** Rewrite the file atomically without the lines that hold keys, keeping its owner and mode. */
        REWRITE,
        /** Stop the seed-agent service. */
        STOP,
        /** Nothing: it stays in the image on purpose. */
        KEEP,
        /** Nothing: information only. */
        NONE
    }

    public Finding {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(change, "change");
        names = List.copyOf(names);
        lines = List.copyOf(lines);
        for (String text : new String[] {path, what, problem, advice}) {
            if (text != null && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)) {
                throw new IllegalArgumentException("a finding's texts are single lines: " + text);
            }
        }
    }

    static Finding of(Category category, String path, String what, Change change) {
        return new Finding(category, path, what, List.of(), List.of(), change, null, null);
    }

    Finding names(List<String> newNames) {
        return new Finding(category, path, what, newNames, lines, change, problem, advice);
    }

    Finding lines(List<Integer> newLines) {
        return new Finding(category, path, what, names, newLines, change, problem, advice);
    }

    Finding problem(String newProblem) {
        return new Finding(category, path, what, names, lines, change, newProblem, advice);
    }

    Finding advice(String newAdvice) {
        return new Finding(category, path, what, names, lines, change, problem, newAdvice);
    }
}
