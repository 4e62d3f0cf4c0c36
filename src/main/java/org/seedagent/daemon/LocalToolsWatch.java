package org.seedagent.daemon;

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
    /** ...but no longer than this after it opened (a window that long is reported; polling returns to normal). */
    static final Duration FOLLOW_AT_MOST = Duration.ofMinutes(10);

    @Override
    public void step(Step step) {
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
        DaemonState state = step.state();
        LocalToolsWindow window = state.localTools;
        Instant now = step.now();
        if (window == null || !window.open()) {
            boolean justChanged = justChanged(state, address, now, step.config().pollInterval());
            List<String> stale = new ArrayList<>();
            read.forEach((daemon, host) -> {
                // Right after a change a missing file fails too: the agent's restart removed the daemon's files and
                // its new daemons have not written theirs yet (the old one named the old address until then).
                if (host.map(h -> !h.equals(address)).orElse(justChanged)) {
                    stale.add(daemon);
                }
            });
            boolean anyFile = read.values().stream().anyMatch(Optional::isPresent);
            if (stale.isEmpty() || !anyFile) {
                return; // missing files alone open no window: HTCondor is not running, or starting
            }
            Instant since = justChanged ? state.addressSince : now;
            state.localTools = new LocalToolsWindow(address, since, null, stale, stale);
            log.warn("local tools cannot reach HTCondor's daemons at {}: {}", address, describe(stale, read, address));
            return;
        }
        // Open: a missing file counts as failing (the daemon is restarting), a file on the address as reached.
        List<String> failing = new ArrayList<>();
        read.forEach((daemon, host) -> {
            if (host.isEmpty() || !host.get().equals(address)) {
                failing.add(daemon);
            }
        });
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

    /**
     * Whether the agent saw the address change at this step or the one before: local tools failed from then on (the
     * files named the old address), whatever the files say now.
     */
    private static boolean justChanged(DaemonState state, String address, Instant now, Duration pollInterval) {
        Instant changed = state.addressSince;
        return address.equals(state.currentAddress)
                && changed != null
                && !changed.isAfter(now)
                && Duration.between(changed, now).compareTo(pollInterval.multipliedBy(2)) <= 0;
    }

    private static String describe(List<String> stale, Map<String, Optional<String>> read, String address) {
        List<String> parts = new ArrayList<>();
        for (LocalRoute route : LocalRoute.values()) {
            if (stale.contains(route.daemon())) {
                String what = read.get(route.daemon())
                        .map(host -> "names " + host + ", not " + address)
                        .orElse("is not there yet (the daemon is restarting)");
                parts.add(LocalRoute.toolsOf(List.of(route.daemon())) + " fail (the " + route.daemon() + "'s "
                        + route.fileKind() + " " + what + ")");
            }
        }
        return String.join("; ", parts);
    }
}
