package org.seedagent.condor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.support.Durations;
import org.seedagent.support.Failures;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * Reads HTCondor's effective configuration with ONE {@code condor_config_val -dump -v -expand
 * '^(K1|K2|...)$'}: the expanded value, the winning file and line, and the raw value of every knob
 * asked for. HTCondor stays the authority on its own language (metaknobs, includes, conditionals,
 * defaults); this class never parses a configuration file itself.
 *
 * <p>Nothing escapes as an exception: a missing binary, a time-out, a configuration error or
 * unexpected output become a {@link CondorEvaluation.Failed}.
 */
public final class CondorConfigReader {
    private static final Pattern KNOB_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    /** HTCondor says "global config source" for the top-level file, "config source" for the others. */
    private static final Pattern CONFIG_ERROR =
            Pattern.compile("Configuration Error Line (\\d{1,9}) while reading (?:global )?config source (.+)");

    private final ProcessRunner processes;
    private final Path condorConfigVal;
    private final Duration timeout;

    public CondorConfigReader(ProcessRunner processes, Path condorConfigVal, Duration timeout) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.condorConfigVal = Objects.requireNonNull(condorConfigVal, "condorConfigVal");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The command line used for {@code knobs}. */
    public List<String> command(Collection<String> knobs) {
        return List.of(condorConfigVal.toString(), "-dump", "-v", "-expand", regex(knobs));
    }

    /** Evaluates {@code knobs} (names as HTCondor spells them, case-insensitive). */
    public CondorEvaluation read(Collection<String> knobs) throws InterruptedException {
        ProcessResult result;
        try {
            result = processes.run(command(knobs), timeout);
        } catch (IOException e) {
            return new CondorEvaluation.Failed(
                    CondorEvaluation.Kind.NOT_INSTALLED,
                    "cannot run " + condorConfigVal + ": " + Failures.reason(e),
                    null,
                    0);
        }
        return interpret(result);
    }

    /** Turns what condor_config_val left behind into an evaluation; public for the daemon's pre-flight. */
    public CondorEvaluation interpret(ProcessResult result) {
        if (result.timedOut()) {
            return new CondorEvaluation.Failed(
                    CondorEvaluation.Kind.TIMED_OUT,
                    condorConfigVal + " did not finish within " + Durations.exact(timeout) + " and was killed",
                    null,
                    0);
        }
        if (result.exitCode() != 0) {
            for (String line : result.stderr().split("\n")) {
                Matcher m = CONFIG_ERROR.matcher(line.strip());
                if (m.matches()) {
                    return new CondorEvaluation.Failed(
                            CondorEvaluation.Kind.CONFIGURATION_ERROR,
                            "configuration error at line " + m.group(1) + " of " + plain(m.group(2)) + " (HTCondor: "
                                    + plain(line.strip()) + ")",
                            m.group(2),
                            Integer.parseInt(m.group(1)));
                }
            }
            String said = message(result.stderr());
            return new CondorEvaluation.Failed(
                    CondorEvaluation.Kind.TOOL_FAILED,
                    condorConfigVal + " exited with status " + result.exitCode()
                            + (said.isEmpty()
                                    ? " and printed nothing on standard error"
                                    : ": " + Text.quote(said, 200)),
                    null,
                    0);
        }
        try {
            return new CondorEvaluation.Evaluated(CondorConfigView.parseDump(result.stdout()));
        } catch (IllegalArgumentException e) {
            return new CondorEvaluation.Failed(
                    CondorEvaluation.Kind.TOOL_FAILED,
                    "unexpected output from " + condorConfigVal + ": " + e.getMessage(),
                    null,
                    0);
        }
    }

    /** {@code ^(K1|K2|...)$} for the given knob names, which must be plain identifiers. */
    static String regex(Collection<String> knobs) {
        if (knobs.isEmpty()) {
            throw new IllegalArgumentException("no knobs to read");
        }
        List<String> names = new ArrayList<>();
        for (String knob : knobs) {
            if (!KNOB_NAME.matcher(knob).matches()) {
                throw new IllegalArgumentException("not a knob name: " + Text.quote(knob));
            }
            names.add(knob.replace(".", "\\."));
        }
        return "^(" + String.join("|", names) + ")$";
    }

    /** {@code text} as is when it is printable ASCII, else quoted and escaped. */
    private static String plain(String text) {
        String quoted = Text.quote(text, 300);
        return quoted.equals("\"" + text + "\"") ? text : quoted;
    }

    /**
     * Standard error on one line: HTCondor spreads a message over lines (a missing CONDOR_CONFIG file is
     * named on the second), so the first line alone may not say what is wrong.
     */
    private static String message(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return String.join(" ", lines);
    }
}
