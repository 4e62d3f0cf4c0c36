package org.seedagent.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Reads a sub-command's options one at a time; every problem is a {@link UsageException}. */
final class Arguments {
    private final String command;
    private final Deque<String> remaining;

    Arguments(String command, List<String> arguments) {
        this.command = command;
        this.remaining = new ArrayDeque<>(arguments);
    }

    boolean hasNext() {
        return !remaining.isEmpty();
    }

    String next() {
        return remaining.removeFirst();
    }

    /** The value of {@code option}, given as {@code --option VALUE}; {@code --option=VALUE} is split by {@link #next()} callers. */
    String value(String option) throws UsageException {
        if (remaining.isEmpty()) {
            throw new UsageException(command + ": option " + option + " needs a value");
        }
        return remaining.removeFirst();
    }

    /** Splits {@code --name=value} into {@code --name} and {@code value}, pushing the value back. */
    String option(String raw) {
        int equals = raw.indexOf('=');
        if (raw.startsWith("--") && equals > 2) {
            remaining.addFirst(raw.substring(equals + 1));
            return raw.substring(0, equals);
        }
        return raw;
    }

    /** For a command that takes no arguments: the first of {@code arguments}, if any, is a usage error. */
    static void none(String command, List<String> arguments) throws UsageException {
        if (!arguments.isEmpty()) {
            throw new Arguments(command, arguments).unknown(arguments.get(0));
        }
    }

    UsageException unknown(String option) {
        return new UsageException(command + ": unknown " + (option.startsWith("-") ? "option " : "argument ") + option);
    }

    int intValue(String option, int min, int max) throws UsageException {
        String raw = value(option);
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(
                command + ": " + option + " expects a number from " + min + " to " + max + ", not " + raw);
    }
}
