package org.seedagent.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.seedagent.config.AgentConfig;
import org.seedagent.state.DaemonState;
import org.seedagent.status.StatusFacts.Read;

/**
 * Whether the agent runs, as its state file, its heartbeat and systemd tell together, and the finding that says
 * so when it does not. Pure, like {@link StatusEvaluator}.
 */
final class AgentFindings {
    private final StatusFacts facts;
    private final DaemonState state;
    private final Instant now;
    private final AgentConfig config;
    private final List<Finding> findings;

    /** Adds what it finds to {@code findings}. */
    AgentFindings(StatusFacts facts, List<Finding> findings) {
        this.facts = facts;
        this.state = facts.state().state();
        this.now = facts.now();
        this.config = facts.config();
        this.findings = findings;
    }

    /** systemd's {@code Result} of a unit that crashed (systemd.exec(5), "$SERVICE_RESULT"). */
    private static final java.util.Set<String> CRASH_RESULTS =
            java.util.Set.of("signal", "core-dump", "watchdog", "oom-kill");

    AgentState agentState() {
        SystemdView systemd = facts.systemd();
        switch (facts.state().read()) {
            case MISSING:
                return systemd.up() ? AgentState.STARTING : AgentState.NEVER_RAN;
            case UNREADABLE:
            case INVALID:
                return AgentState.UNKNOWN;
            default:
                break;
        }
        if (systemd.down()) {
            // A crash: killed by a signal, a core dump, the watchdog, the OOM killer. A failed start (exit 78, an
            // invalid configuration), start-limit-hit or a stop that timed out failed, but did not crash.
            return "failed".equals(systemd.activeState())
                            && CRASH_RESULTS.contains(systemd.properties().getOrDefault("Result", ""))
                    ? AgentState.CRASHED
                    : AgentState.STOPPED;
        }
        if (state.cleanStop != null && !systemd.up()) {
            // Recorded by the agent itself at SIGTERM (cleared when it starts): stopped, even without systemd.
            return AgentState.STOPPED;
        }
        Instant boot = facts.bootTime();
        if (boot != null && (state.heartbeat == null || state.heartbeat.isBefore(boot))) {
            return systemd.up() ? AgentState.STARTING : AgentState.STOPPED;
        }
        if (state.heartbeat == null || Duration.between(state.heartbeat, now).compareTo(facts.staleAfter()) > 0) {
            // Without systemd: a process that is gone without a clean stop crashed (or was killed); one that is
            // still there hangs.
            return Boolean.FALSE.equals(facts.agentProcessAlive()) ? AgentState.CRASHED : AgentState.STALE;
        }
        return AgentState.RUNNING;
    }

    String agentDetail(AgentState agent) {
        Path file = facts.state().file();
        return switch (agent) {
            case NEVER_RAN -> "no state file " + file;
            case UNKNOWN ->
                facts.state().read() == Read.INVALID
                        ? "the state file " + file + " is corrupt: "
                                + facts.state().problem()
                        : "cannot read the state file " + file + ": "
                                + facts.state().problem();
            case STARTING ->
                state == null
                        ? "systemd has started it; no state file " + file + " yet"
                        : "systemd has started it; no sync on this boot yet (last heartbeat " + heartbeat() + ")";
            case STOPPED ->
                state != null && state.cleanStop != null && !facts.systemd().down()
                        ? "stopped cleanly " + Times.relative(state.cleanStop, now) + " (SIGTERM); last heartbeat "
                                + heartbeat()
                        : facts.systemd().down()
                                ? "systemd: " + facts.systemd().activeState() + " ("
                                        + facts.systemd().subState() + "); last heartbeat " + heartbeat()
                                : "not run since the system booted " + Times.relative(facts.bootTime(), now)
                                        + "; last heartbeat " + heartbeat();
            case CRASHED ->
                facts.systemd().down()
                        ? "systemd: " + facts.systemd().activeState() + " ("
                                + facts.systemd()
                                        .properties()
                                        .getOrDefault("Result", facts.systemd().subState()) + "); last heartbeat "
                                + heartbeat()
                        : "its process (pid " + state.pid + ") is gone without a clean stop; last heartbeat "
                                + heartbeat();
            case STALE ->
                "last heartbeat " + heartbeat() + "; it writes one every " + Times.duration(config.pollInterval())
                        + " (stale after " + Times.duration(facts.staleAfter()) + ")";
            case RUNNING -> "last heartbeat " + heartbeat();
        };
    }

    private String heartbeat() {
        return state.heartbeat == null ? "never" : Times.relative(state.heartbeat, now);
    }

    void agentFinding(AgentState agent, String detail) {
        Path file = facts.state().file();
        switch (agent) {
            case RUNNING -> {}
            case NEVER_RAN ->
                findings.add(Finding.failure(
                        "agent",
                        "seed-agent has never run here: " + detail,
                        "systemctl enable --now " + SystemdView.UNIT
                                + " (or check state.directory in the agent's configuration)"));
            case UNKNOWN ->
                findings.add(Finding.failure(
                        "agent",
                        detail,
                        facts.state().read() == Read.INVALID
                                ? "the running agent rewrites it at every poll; if it stays corrupt: systemctl restart "
                                        + SystemdView.UNIT
                                : "it is meant to be world-readable: ls -ld " + file.getParent() + " " + file
                                        + "; or run seed-agent status as root"));
            case STARTING ->
                findings.add(Finding.warning(
                        "agent",
                        "seed-agent is starting: " + detail,
                        "wait for the first sync (at most metadata.deadline, "
                                + Times.duration(config.metadataDeadline()) + "): seed-agent status --wait"));
            case STOPPED ->
                findings.add(Finding.failure(
                        "agent",
                        "seed-agent is not running: " + detail,
                        facts.systemd().installed()
                                ? "systemctl start " + SystemdView.UNIT + "; journalctl -u " + SystemdView.UNIT
                                        + " says why it stopped"
                                : "start its service (" + SystemdView.UNIT + "), or run: seed-agent run"));
            case CRASHED ->
                findings.add(Finding.failure(
                        "agent",
                        "seed-agent crashed: " + detail,
                        facts.systemd().installed()
                                ? "journalctl -u " + SystemdView.UNIT + " shows its last lines; systemctl restart "
                                        + SystemdView.UNIT
                                : "its last log lines say why; start it again (seed-agent run, or its service)"));
            case STALE ->
                findings.add(Finding.failure(
                        "agent",
                        "seed-agent is stale: " + detail + ": it hangs, or cannot write " + file,
                        "journalctl -u " + SystemdView.UNIT + "; systemctl restart " + SystemdView.UNIT));
        }
    }
}
