package org.seedagent.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.seedagent.support.JsonNames;

/**
 * What to do with each finding: a pure function of the findings and the operator's {@link Policy}. Steps
 * are in report order (by {@link Category}); within seed-agent's files the service is stopped first, so
 * that it cannot write them again.
 */
public record Plan(List<Step> steps) {

    /** What is done with one finding. */
    public enum Action {
        /** Stop seed-agent's service. */
        STOP,
        /** Delete the file. */
        REMOVE,
        /** Rewrite the file without the lines that hold keys. */
        REWRITE,
        /** Found, but its category's flag was not given: left in place, needs attention. */
        LEAVE,
        /** Stays in the image on purpose; reported so the operator knows. */
        KEEP,
        /** Information only. */
        NOTE,
        /** Could not be examined or cannot be changed safely: needs attention. */
        UNRESOLVED;

        /** Whether the step changes the system. */
        public boolean isChange() {
            return this == STOP || this == REMOVE || this == REWRITE;
        }

        /** Whether the finding is left in a state the operator must look at. */
        public boolean needsAttention() {
            return this == LEAVE || this == UNRESOLVED;
        }

        public String jsonName() {
            return JsonNames.of(this);
        }
    }

    /** One finding and what is done with it. */
    public record Step(Finding finding, Action action) {
        public Step {
            Objects.requireNonNull(finding, "finding");
            Objects.requireNonNull(action, "action");
        }
    }

    public Plan {
        steps = List.copyOf(steps);
    }

    /** Decides, for each finding, what to do under {@code policy}. Pure. */
    public static Plan of(List<Finding> findings, Policy policy) {
        List<Step> steps = new ArrayList<>();
        for (Finding finding : findings) {
            steps.add(new Step(finding, action(finding, policy)));
        }
        steps.sort(Comparator.comparingInt((Step s) -> s.finding().category().ordinal())
                .thenComparingInt(s -> s.action() == Action.STOP ? 0 : 1));
        return new Plan(steps);
    }

    static Action action(Finding finding, Policy policy) {
        if (finding.problem() != null) {
            return Action.UNRESOLVED;
        }
        return switch (finding.change()) {
            case KEEP -> Action.KEEP;
            case NONE -> Action.NOTE;
            case DELETE -> policy.allows(finding.category()) ? Action.REMOVE : Action.LEAVE;
            case REWRITE -> policy.allows(finding.category()) ? Action.REWRITE : Action.LEAVE;
            case STOP -> policy.allows(finding.category()) ? Action.STOP : Action.LEAVE;
        };
    }

    /** The steps that change the system, in the order they are applied. */
    public List<Step> changes() {
        return steps.stream().filter(s -> s.action().isChange()).toList();
    }

    /** Whether anything would be left that the operator must look at. */
    public boolean needsAttention() {
        return steps.stream().anyMatch(s -> s.action().needsAttention());
    }
}
