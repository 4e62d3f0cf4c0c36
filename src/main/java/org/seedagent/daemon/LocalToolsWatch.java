package org.seedagent.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seedagent.condor.LocalRoute;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.state.LocalToolsWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the seed's own tools can reach HTCondor's daemons at the address in force (issue 25). Local tools do not
 * ask the network where a daemon is: a normal user's {@code condor_q} and {@code condor_submit} take the schedd's
 * address from its local ad ({@code SCHEDD_DAEMON_AD_FILE}), root's {@code condor_reconfig}, {@code condor_restart}
 * and {@code condor_off} the master's from its address file. After a change of address those files keep the old
 * address until the daemons re-read theirs (seconds after a restart; up to ~300 s after a SIGHUP with shared port),
 * and every such tool fails meanwhile. This watch opens a window when a file names another address than the one in
 * force, records what fails in the state ({@code status} shows it), and when every file names it again closes the
 * window and logs its length once.
 */
final class LocalToolsWatch implements Watcher {
    private static final Logger log = LoggerFactory.getLogger(LocalToolsWatch.class);
    /** While a window is open the daemon polls this often, so it closes (and is timed) within a second. */
    static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(1);
    /** ...but no longer than this after it opened (then at the configured interval until it closes). */
    static final Duration FOLLOW_AT_MOST = Duration.ofMinutes(10);

    /** When the files are read: after this step's reload or restart, which can take seconds, not its start. */
    private final Clock clock;

    /** The change of address this watch last saw ({@code DaemonState#addressSince}); null before its first step. */
    private Instant seenChange;

    private boolean firstStep = true;

    LocalToolsWatch(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void step(Step step) {
        DaemonState state = step.state();
        boolean changedNow = changeSeen(state);
        Map<String, String> knobs = step.preflights().knobs();
        String address = knobs.get("TCP_FORWARDING_HOST");
        if (address == null || address.isBlank()) {
            return; // HTCondor's configuration not read yet, or no address in force: nothing to compare with
        }
        Map<String, Optional<String>> read = new LinkedHashMap<>();
        for (LocalRoute route : LocalRoute.values()) {
            String file = knobs.get(route.knob());
            if (file != null && !file.isBlank()) {
                read.put(route.daemon(), route.read(file));
            }
        }
        Instant now = clock.instant();
        List<String> failing = new ArrayList<>();
        read.forEach((daemon, host) -> {
            if (host.isEmpty() || !host.get().equals(address)) {
                failing.add(daemon); // a missing file fails too while a window is open: its daemon is restarting
            }
        });
        LocalToolsWindow window = state.localTools;
        if (changedNow && address.equals(state.currentAddress) && htcondorRan(state, read)) {
            // Until the agent told HTCondor, every file named the old address, which this instance no longer has:
            // local tools failed from the change on, whatever the files say now (after a restart they may already
            // name the new one, the old daemons' files gone with them).
            LinkedHashSet<String> all = new LinkedHashSet<>();
            Instant since = state.addressSince;
            if (window != null && window.open()) {
                // Another change while local tools still could not reach the daemons: the same lockout goes on.
                since = window.since();
                all.addAll(window.failed());
            }
            all.addAll(read.keySet());
            window = new LocalToolsWindow(address, since, null, failing, List.copyOf(all));
            state.localTools = window;
            if (!failing.isEmpty()) {
                warnLockedOut(failing, read, address);
            }
        } else if (window == null || !window.open()) {
            // No change now: only a file naming another address opens a window (missing files alone are HTCondor
            // not running, or starting).
            List<String> stale = new ArrayList<>();
            read.forEach((daemon, host) -> host.filter(h -> !h.equals(address)).ifPresent(h -> stale.add(daemon)));
            if (!stale.isEmpty()) {
                state.localTools = new LocalToolsWindow(address, now, null, stale, stale);
                warnLockedOut(stale, read, address);
            }
            return;
        }
        LinkedHashSet<String> failed = new LinkedHashSet<>(window.failed());
        failed.addAll(failing);
        if (failing.isEmpty()) {
            LocalToolsWindow closed =
                    new LocalToolsWindow(address, window.since(), now, List.of(), List.copyOf(failed));
            state.localTools = closed;
            log.info(
                    "local tools reach HTCondor's daemons at {} again after {} s (since {}; meanwhile {} failed)",
                    address,
                    closed.seconds(),
                    window.since(),
                    LocalRoute.toolsOf(closed.failed()));
            step.summary().add("local tools back after " + closed.seconds() + " s");
            return;
        }
        state.localTools = new LocalToolsWindow(address, window.since(), null, failing, List.copyOf(failed));
    }

    /**
     * Whether the address changed since this watch's last step. A change before its first step (the agent started
     * after it) is not one it can time.
     */
    private boolean changeSeen(DaemonState state) {
        Instant changed = state.addressSince;
        boolean seen = !firstStep && changed != null && !changed.equals(seenChange);
        firstStep = false;
        seenChange = changed;
        return seen;
    }

    /** Whether HTCondor was running at the change: a file of its daemons is there, or the agent's reload was done. */
    private static boolean htcondorRan(DaemonState state, Map<String, Optional<String>> read) {
        LastReload reload = state.lastReload;
        return read.values().stream().anyMatch(Optional::isPresent)
                || (reload != null
                        && reload.result() == LastReload.Result.DONE
                        && !reload.time().isBefore(state.addressSince));
    }

    /**
     * The daemon's poll interval now: {@link #FOLLOW_INTERVAL} while a window is open (for at most
     * {@link #FOLLOW_AT_MOST}), else the configured one.
     */
    static Duration pollInterval(DaemonState state, Duration configured, Instant now) {
        LocalToolsWindow window = state.localTools;
        if (window != null
                && window.open()
                && Duration.between(window.since(), now).compareTo(FOLLOW_AT_MOST) < 0
                && configured.compareTo(FOLLOW_INTERVAL) > 0) {
            return FOLLOW_INTERVAL;
        }
        return configured;
    }

    /** Says which tools fail now and why, naming each file and what it holds. */
    private static void warnLockedOut(List<String> stale, Map<String, Optional<String>> read, String address) {
        log.warn("local tools cannot reach HTCondor's daemons at {}: {}", address, describe(stale, read, address));
    }

    private static String describe(List<String> stale, Map<String, Optional<String>> read, String address) {
        List<String> parts = new ArrayList<>();
        for (LocalRoute route : LocalRoute.values()) {
            if (stale.contains(route.daemon())) {
                String what = read.get(route.daemon())
                        .map(host -> "names " + host + ", not " + address)
                        .orElse("is missing: the daemon is restarting");
                parts.add(route.tools() + " fail (the " + route.daemon() + "'s " + route.fileKind() + " " + what + ")");
            }
        }
        return String.join("; ", parts);
    }
}
