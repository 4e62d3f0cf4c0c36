package org.seedagent.status;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.seedagent.config.AgentConfig;
import org.seedagent.restart.BootTime;
import org.seedagent.state.DaemonState;
import org.seedagent.status.StatusFacts.StateRead;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Sleeper;

/**
 * {@code seed-agent status}: gathers the facts (state file, fragment, one {@code condor_config_val}
 * launch, the daemons' address files, systemd), evaluates them into a {@link StatusReport}, and waits
 * for the agent's first sync on this boot ({@code --wait}). Time, processes, the boot time and sleeping
 * are injected; nothing here needs root.
 */
public final class Status {
    /** How often {@code --wait} reads the state file (the daemon writes it after boot and every poll). */
    static final Duration WAIT_STEP = Duration.ofSeconds(1);

    private final ProcessRunner processes;
    private final Clock clock;
    private final BootTime bootTime;
    private final Sleeper sleeper;
    private final Path root;

    /** {@code root} stands for {@code /} where the IMDS guard's record is read ({@code Path.of("/")} but in tests). */
    public Status(ProcessRunner processes, Clock clock, BootTime bootTime, Sleeper sleeper, Path root) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bootTime = Objects.requireNonNull(bootTime, "bootTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * Reads everything and evaluates it. Parts that cannot be read are reported, never thrown. With {@code full}
     * ({@code --long}): also asks the queue which htcondor annex requests are stranded.
     */
    public StatusReport report(AgentConfig config, boolean full) throws InterruptedException {
        return StatusEvaluator.evaluate(new StatusGatherer(processes, clock, bootTime, root).gather(config, full));
    }

    /**
     * How {@link #awaitBootSync} ended.
     *
     * @param synced whether the agent has synced on this boot
     * @param waited how long it waited
     * @param reason when not synced, why (the state file as last read); else null
     */
    public record WaitOutcome(boolean synced, Duration waited, String reason) {}

    /**
     * Waits, at most {@code timeout}, until the state file shows a completed sync on this boot (see
     * {@link #notSynced}). Reads the state file every second; never waits longer than asked.
     */
    public WaitOutcome awaitBootSync(AgentConfig config, Duration timeout) throws InterruptedException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout);
        }
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        String reason = notSynced(
                StatusGatherer.readState(config.stateDirectory()),
                bootTime.get().orElse(null));
        while (reason != null && clock.instant().isBefore(deadline)) {
            Duration left = Duration.between(clock.instant(), deadline);
            sleeper.sleep(left.compareTo(WAIT_STEP) < 0 ? left : WAIT_STEP);
            reason = notSynced(
                    StatusGatherer.readState(config.stateDirectory()),
                    bootTime.get().orElse(null));
        }
        return new WaitOutcome(reason == null, Duration.between(start, clock.instant()), reason);
    }

    /**
     * Null when the agent has completed a sync on this boot: it started after {@code boot} (when known),
     * recorded its boot sync, and that sync, or a poll after it, succeeded. A boot sync that failed (the
     * metadata service did not answer) counts once a later poll succeeds. Else the reason, for messages.
     */
    static String notSynced(StateRead read, Instant boot) {
        switch (read.read()) {
            case MISSING:
                return "no state file " + read.file() + " yet";
            case UNREADABLE:
                return "cannot read the state file " + read.file() + ": " + read.problem();
            case INVALID:
                return "the state file " + read.file() + " is corrupt: " + read.problem();
            default:
                break;
        }
        DaemonState s = read.state();
        if (s.startedAt == null || (boot != null && s.startedAt.isBefore(boot))) {
            return "the agent has not started since the system booted"
                    + (boot == null ? "" : " at " + Times.absolute(boot))
                    + (s.startedAt == null ? "" : " (it last started at " + Times.absolute(s.startedAt) + ")");
        }
        if (s.bootSync == null) {
            return "the agent started at " + Times.absolute(s.startedAt) + " and has not finished its boot sync";
        }
        boolean succeededSince = s.lastSuccess != null && !s.lastSuccess.isBefore(s.startedAt);
        if (s.bootSync.failed() && !succeededSince) {
            return "the boot sync failed (" + s.bootSync.detail() + ") and no poll has succeeded since";
        }
        return null;
    }
}
