package org.seedagent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seedagent.condor.DaemonAddressFiles;
import org.seedagent.condor.LocalRoute;
import org.seedagent.state.DaemonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows HTCondor's daemons after a reload until they advertise the new address, from their
 * address files (local, no network). Measured on a real pool with shared port: the daemons switch
 * about 300 s after the reload, and the collector's own ad only after one more reload after that: so a
 * convergence that came through the shared-port refresh is followed by one more reload.
 */
final class ConvergenceWatch {
    private static final Logger log = LoggerFactory.getLogger(ConvergenceWatch.class);
    /** Measured: daemons re-advertise through shared port about every 300 s after a reconfig. */
    static final Duration SHARED_PORT_REFRESH = Duration.ofSeconds(300);
    /** The refresh has up to 60 s of fuzz: a convergence this late came through it, not through a restart. */
    static final Duration SHARED_PORT_EARLIEST = SHARED_PORT_REFRESH.minusSeconds(60);

    /** What the daemon should do after a look at the address files. */
    enum Next {
        NOTHING,
        /** Every daemon advertises the new address now (and the watch ends). */
        CONVERGED,
        /** Only the collector lags after the shared-port refresh: reload once more. */
        RELOAD_FOR_COLLECTOR
    }

    private String expected;
    private Instant since;
    private boolean extraReloadDone;
    private boolean warned;
    /** When every address file first showed the address (seconds after the reload); kept across the extra reload. */
    private Long firstConverged;

    /**
     * Starts following the daemons towards {@code address}. A reload for the address already followed
     * (the collector's extra reload) keeps the time it is measured from.
     */
    void start(String address, Instant now) {
        if (address != null && address.equals(expected)) {
            return;
        }
        expected = address;
        since = now;
        extraReloadDone = false;
        warned = false;
        firstConverged = null;
    }

    /** The extra reload for the collector was done: keep following the same change. */
    void extraReloadDone() {
        extraReloadDone = true;
    }

    void stop() {
        expected = null;
    }

    /**
     * Reads the address files the knobs name, records what they say in {@code state}, and says whether
     * one more reload is due.
     */
    Next follow(Instant now, Map<String, String> knobs, DaemonState state, Duration advertiseTimeout, String unit) {
        if (expected == null || knobs.isEmpty()) {
            return Next.NOTHING;
        }
        Map<String, String> advertised = new LinkedHashMap<>();
        readAddress(advertised, "master", knobs.get("MASTER_ADDRESS_FILE"));
        readAddress(advertised, "schedd", knobs.get("SCHEDD_ADDRESS_FILE"));
        readAddress(advertised, "collector", knobs.get("COLLECTOR_ADDRESS_FILE"));
        if (advertised.isEmpty()) {
            return Next.NOTHING;
        }
        // Converged only once a normal user's tools reach the schedd too: they read its local ad, which moves at the
        // schedd's next ad update, after its address file (issue 25).
        String localAd = knobs.get(LocalRoute.SCHEDD.knob());
        boolean all = advertised.values().stream().allMatch(expected::equals)
                && (!advertised.containsKey("schedd")
                        || LocalRoute.SCHEDD.read(localAd).map(expected::equals).orElse(localAd == null));
        long after = Math.max(0, Duration.between(since, now).toSeconds());
        if (all && firstConverged == null) {
            firstConverged = after;
        }
        state.advertised = new DaemonState.Advertised(now, expected, advertised, all, all ? firstConverged : null);
        if (all) {
            if (!extraReloadDone && after >= SHARED_PORT_EARLIEST.toSeconds()) {
                // Measured on a real pool: the address files (and the daemons' own ads) switch at the shared-port
                // refresh, but the collector's own ad in the collector keeps the old address until one more reconfig.
                log.info(
                        "HTCondor's daemons advertise {} ({} s after the reload, through the shared-port refresh); "
                                + "reloading once more so that the collector's own ad follows",
                        expected,
                        after);
                return Next.RELOAD_FOR_COLLECTOR;
            }
            log.info("HTCondor's daemons advertise {} ({} s after the reload)", expected, firstConverged);
            expected = null;
            return Next.CONVERGED;
        }
        boolean othersDone = advertised.entrySet().stream()
                .filter(e -> !e.getKey().equals("collector"))
                .allMatch(e -> expected.equals(e.getValue()));
        if (othersDone
                && !extraReloadDone
                && advertised.containsKey("collector")
                && after >= SHARED_PORT_REFRESH.toSeconds()) {
            log.info(
                    "the collector still advertises {}; reloading once more to converge it",
                    advertised.get("collector"));
            return Next.RELOAD_FOR_COLLECTOR;
        }
        if (!warned && after >= advertiseTimeout.toSeconds()) {
            warned = true;
            log.warn(
                    "HTCondor's daemons still advertise {} {} s after the change to {}; annex nodes may be given "
                            + "the old address. `systemctl restart {}` re-advertises at once (the schedd restarts)",
                    advertised,
                    after,
                    expected,
                    unit);
        }
        return Next.NOTHING;
    }

    private static void readAddress(Map<String, String> into, String daemon, String file) {
        // Missing (the daemon is not running) or being rewritten: try at the next poll.
        DaemonAddressFiles.hostInAddressFile(file).ifPresent(host -> into.put(daemon, host));
    }
}
