package org.seedagent.image;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * seed-agent's own systemd unit, through {@code systemctl}. It must be stopped before its files are
 * removed, or the daemon writes them again at its next poll; it stays enabled, so that an instance made
 * from the image writes a fresh fragment when it boots.
 */
public final class SeedAgentService {
    public static final String UNIT = "seed-agent.service";
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
    /** Longer than a stop takes (the daemon finishes a poll in at most 4 s), shorter than systemd's 90 s kill. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** Whether the unit runs. */
    public enum State {
        RUNNING,
        NOT_RUNNING,
        /** {@code systemctl} could not be run or did not answer. */
        UNKNOWN,
        /** Not asked: the root directory is not this system's {@code /}. */
        NOT_LOOKED
    }

    /**
     * What systemd said about the unit.
     *
     * @param state whether it runs
     * @param enabled whether it starts at boot, or {@code null} when unknown or not asked
     * @param detail why the state is unknown, else {@code null}
     */
    public record Status(State state, Boolean enabled, String detail) {
        public static final Status NOT_LOOKED = new Status(State.NOT_LOOKED, null, null);

        public Status {
            Objects.requireNonNull(state, "state");
        }
    }

    private final ProcessRunner processes;

    public SeedAgentService(ProcessRunner processes) {
        this.processes = Objects.requireNonNull(processes, "processes");
    }

    /** {@code systemctl is-active --quiet} and {@code systemctl is-enabled --quiet}. */
    public Status status() throws InterruptedException {
        State state;
        String detail = null;
        try {
            ProcessResult active = processes.run(List.of("systemctl", "is-active", "--quiet", UNIT), QUERY_TIMEOUT);
            if (active.timedOut()) {
                state = State.UNKNOWN;
                detail = "systemctl is-active did not answer within " + QUERY_TIMEOUT.toSeconds() + " s";
            } else {
                state = active.exitCode() == 0 ? State.RUNNING : State.NOT_RUNNING;
            }
        } catch (IOException e) {
            return new Status(State.UNKNOWN, null, "cannot run systemctl: " + Show.reason(e));
        }
        Boolean enabled;
        try {
            ProcessResult result = processes.run(List.of("systemctl", "is-enabled", "--quiet", UNIT), QUERY_TIMEOUT);
            enabled = result.timedOut() ? null : result.exitCode() == 0;
        } catch (IOException e) {
            enabled = null;
        }
        return new Status(state, enabled, detail);
    }

    /** Stops the unit; returns {@code null} when it stopped, else why not. */
    public String stop() throws InterruptedException {
        List<String> command = List.of("systemctl", "stop", UNIT);
        try {
            ProcessResult result = processes.run(command, STOP_TIMEOUT);
            if (result.timedOut()) {
                return "systemctl stop " + UNIT + " did not finish within " + STOP_TIMEOUT.toSeconds() + " s";
            }
            if (result.exitCode() != 0) {
                String why = result.stderr().isBlank() ? result.stdout() : result.stderr();
                return "systemctl stop " + UNIT + " exited " + result.exitCode()
                        + (why.isBlank() ? "" : ": " + Text.quote(why.strip(), 200));
            }
            return null;
        } catch (IOException e) {
            return "cannot run systemctl: " + Show.reason(e);
        }
    }
}
