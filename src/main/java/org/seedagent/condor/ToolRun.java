package org.seedagent.condor;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * One run of an HTCondor command-line tool that must exit 0 ({@code condor_status}, {@code condor_q}): its
 * standard output, or one line saying why there is none (not started, timed out, failed with what it said).
 *
 * @param stdout what it printed, when it succeeded; else null
 * @param failure why it did not succeed, else null
 */
record ToolRun(String stdout, String failure) {

    static ToolRun run(ProcessRunner processes, List<String> command, Duration timeout) throws InterruptedException {
        String tool = command.get(0).substring(command.get(0).lastIndexOf('/') + 1);
        ProcessResult result;
        try {
            result = processes.run(command, timeout);
        } catch (IOException e) {
            return new ToolRun(null, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        if (result.timedOut()) {
            return new ToolRun(null, tool + " did not answer within " + timeout.toSeconds() + " s");
        }
        if (result.exitCode() != 0) {
            String said = (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip();
            return new ToolRun(
                    null,
                    tool + " exited with status " + result.exitCode()
                            + (said.isEmpty()
                                    ? ""
                                    : ": " + Text.quote(String.join(" ", said.split("\\s*\\n\\s*")), 200)));
        }
        return new ToolRun(result.stdout(), null);
    }

    boolean succeeded() {
        return failure == null;
    }
}
