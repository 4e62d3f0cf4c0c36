package org.seedagent.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.SystemProcessRunner;

/**
 * systemctl as it answers on a seed, for the calls the checks make; every other command runs for
 * real. {@code is-enabled U...} prints one state per unit and exits 1 unless all are enabled (as
 * systemd 252 does); {@code show --property=Restart,LoadState U} prints {@code NAME=value} lines;
 * {@code is-active} says "inactive" with exit 3, as for a unit that is not running.
 */
public final class FakeSystemctl implements ProcessRunner {
    private final ProcessRunner real = new SystemProcessRunner();
    private final Map<String, String> enabled = new LinkedHashMap<>();
    private final Map<String, String> restart = new LinkedHashMap<>();
    private final List<List<String>> calls = new ArrayList<>();

    /** A seed as installed: both units enabled, condor.service with HTCondor's own Restart=on-failure. */
    public static FakeSystemctl seed() {
        return new FakeSystemctl()
                .unit("condor.service", "enabled", "on-failure")
                .unit("seed-agent.service", "enabled", "on-failure");
    }

    public FakeSystemctl unit(String name, String enabledState, String restartSetting) {
        enabled.put(name, enabledState);
        restart.put(name, restartSetting);
        return this;
    }

    public List<List<String>> calls() {
        return calls;
    }

    @Override
    public ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        if (!command.get(0).equals("systemctl")) {
            return real.run(command, timeout);
        }
        calls.add(command);
        if (command.get(1).equals("is-enabled")) {
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            boolean all = true;
            for (String unit : command.subList(2, command.size())) {
                String state = enabled.get(unit);
                if (state == null) {
                    // systemd 252 stops at the first unit it cannot find.
                    err.append("Failed to get unit file state for ")
                            .append(unit)
                            .append(": No such file or directory\n");
                    all = false;
                    break;
                } else {
                    out.append(state).append('\n');
                    all &= state.equals("enabled");
                }
            }
            return new ProcessResult(all ? 0 : 1, out.toString(), err.toString(), false);
        }
        if (command.get(1).equals("show")) {
            String unit = command.get(command.size() - 1);
            String setting = restart.get(unit);
            return new ProcessResult(
                    0,
                    "Restart=" + (setting == null ? "no" : setting) + "\nLoadState="
                            + (setting == null ? "not-found" : "loaded") + "\n",
                    "",
                    false);
        }
        if (command.get(1).equals("is-active")) {
            // Nothing runs under this stand-in: as systemd says of a stopped or unknown unit.
            boolean quiet = command.contains("--quiet");
            return new ProcessResult(3, quiet ? "" : "inactive\n", "", false);
        }
        return new ProcessResult(1, "", "Unknown command verb " + command.get(1) + ".\n", false);
    }
}
