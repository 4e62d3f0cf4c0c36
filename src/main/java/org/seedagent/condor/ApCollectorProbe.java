package org.seedagent.condor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * Asks the AP collector of an {@code htcondor annex} seed which schedds it holds, with one
 * {@code condor_status -pool ANNEX_COLLECTOR -schedd -af Name}: only when HTCondor runs here, and only from
 * {@code check} and the settings checks (at boot and after a change), never at a poll.
 */
public final class ApCollectorProbe {
    /** What ANNEX_COLLECTOR may look like to be passed on: host, port, ?sock=, no leading dash. */
    private static final Pattern ADDRESS = Pattern.compile("<?[A-Za-z0-9.\\-\\[\\]:]+(\\?[A-Za-z0-9_=&.\\-]*)?>?");

    private final ProcessRunner processes;
    private final Path condorStatus;
    private final Duration timeout;
    private final Path root;

    /**
     * @param condorStatus the condor_status program (beside condor_config_val)
     * @param root the file system root under which {@code /proc} tells whether condor_master runs
     */
    public ApCollectorProbe(ProcessRunner processes, Path condorStatus, Duration timeout, Path root) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.condorStatus = Objects.requireNonNull(condorStatus, "condorStatus");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The command line for {@code collector}. */
    public List<String> command(String collector) {
        return List.of(condorStatus.toString(), "-pool", collector, "-schedd", "-af", "Name");
    }

    /** Asks the AP collector of {@code view}'s seed; nothing is run unless it is an htcondor annex seed that runs. */
    public ApCollectorAnswer probe(CondorConfigView view) throws InterruptedException {
        if (view == null || AnnexTool.of(view) != AnnexTool.HTCONDOR_ANNEX) {
            return ApCollectorAnswer.NOT_APPLICABLE;
        }
        String collector = view.value("ANNEX_COLLECTOR").map(String::strip).orElse(null);
        if (CondorMaster.pid(root).isEmpty()) {
            return ApCollectorAnswer.notRunning(collector);
        }
        if (collector == null) {
            return failed(null, "ANNEX_COLLECTOR is not set");
        }
        if (!ADDRESS.matcher(collector).matches()) {
            return failed(collector, "ANNEX_COLLECTOR " + Text.quote(collector, 100) + " is not a host:port address");
        }
        ToolRun run = ToolRun.run(processes, command(collector), timeout);
        if (!run.succeeded()) {
            return failed(collector, run.failure());
        }
        List<String> schedds = new ArrayList<>();
        for (String line : run.stdout().split("\n")) {
            if (!line.isBlank()) {
                schedds.add(line.strip());
            }
        }
        return new ApCollectorAnswer(ApCollectorAnswer.Outcome.ANSWERED, collector, schedds, null);
    }

    private static ApCollectorAnswer failed(String collector, String why) {
        return new ApCollectorAnswer(ApCollectorAnswer.Outcome.FAILED, collector, List.of(), why);
    }
}
