package org.seedagent.condor;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.seedagent.config.ReloadMethod;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * Tells HTCondor about a new configuration through systemd, never through condor_reconfig: once
 * TCP_FORWARDING_HOST names an address the host cannot reach itself, the network tools fail with
 * "Can't connect to local master", while a SIGHUP from systemd does not depend on the network.
 */
public final class HtcondorService {
    /** What a reload attempt came to. */
    public record ReloadOutcome(Result result, String detail) {
        /** How the attempt ended. */
        public enum Result {
            DONE,
            SKIPPED,
            FAILED
        }
    }

    /**
     * How long {@code systemctl restart} may take: HTCondor's unit stops with SIGQUIT and waits up to its
     * {@code TimeoutStopSec=150s}, and measured on real pools a fast shutdown after the address changed spends 20 s
     * retrying the old address (issue 25) — as long as the default {@code condor.timeout}, which would kill the wait
     * and restart HTCondor a second time at the next poll.
     */
    public static final Duration RESTART_TIMEOUT = Duration.ofSeconds(180);

    private final ProcessRunner processes;
    private final String unit;
    private final Duration timeout;

    public HtcondorService(ProcessRunner processes, String unit, Duration timeout) {
        this.processes = processes;
        this.unit = unit;
        this.timeout = timeout;
    }

    /** Whether the unit is active ({@code systemctl is-active}); false when that cannot be told. */
    public boolean isRunning() throws InterruptedException {
        try {
            return processes
                    .run(List.of("systemctl", "is-active", "--quiet", unit), timeout)
                    .succeeded();
        } catch (IOException e) {
            return false;
        }
    }

    /** How long {@code method}'s command may run: a restart at least {@link #RESTART_TIMEOUT}. */
    public static Duration timeoutFor(ReloadMethod method, Duration condorTimeout) {
        return method == ReloadMethod.RESTART && condorTimeout.compareTo(RESTART_TIMEOUT) < 0
                ? RESTART_TIMEOUT
                : condorTimeout;
    }

    /** The command a method runs, or an empty list for {@link ReloadMethod#NONE}. */
    public List<String> commandFor(ReloadMethod method, List<String> custom) {
        return switch (method) {
            case RELOAD -> List.of("systemctl", "reload", unit);
            case RESTART -> List.of("systemctl", "restart", unit);
            case NONE -> List.of();
            case COMMAND -> custom;
        };
    }

    /**
     * Reloads with {@code method}; skipped when the method is none, or when HTCondor is not running
     * (it reads the new file when it starts, and a reload of a stopped unit would fail).
     */
    public ReloadOutcome reload(ReloadMethod method, List<String> custom) throws InterruptedException {
        List<String> command = commandFor(method, custom);
        if (command.isEmpty()) {
            return new ReloadOutcome(ReloadOutcome.Result.SKIPPED, "reload.method = none");
        }
        if (method != ReloadMethod.COMMAND && !isRunning()) {
            return new ReloadOutcome(
                    ReloadOutcome.Result.SKIPPED,
                    unit + " is not running; HTCondor reads the new address when it starts");
        }
        String shown = String.join(" ", command);
        Duration limit = timeoutFor(method, timeout);
        try {
            ProcessResult result = processes.run(command, limit);
            if (result.timedOut()) {
                return new ReloadOutcome(
                        ReloadOutcome.Result.FAILED,
                        shown + " did not finish within " + limit.toSeconds() + " s and was killed");
            }
            if (result.exitCode() != 0) {
                String why = result.stderr().isBlank() ? result.stdout() : result.stderr();
                return new ReloadOutcome(
                        ReloadOutcome.Result.FAILED,
                        shown + " exited " + result.exitCode()
                                + (why.isBlank() ? "" : ": " + Text.quote(why.strip(), 200)));
            }
            return new ReloadOutcome(ReloadOutcome.Result.DONE, shown);
        } catch (IOException e) {
            return new ReloadOutcome(ReloadOutcome.Result.FAILED, "cannot run " + shown + ": " + e.getMessage());
        }
    }
}
