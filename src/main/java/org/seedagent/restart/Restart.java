package org.seedagent.restart;

import java.time.Instant;
import org.seedagent.support.JsonNames;

/**
 * One restart of the seed as the agent found it at boot: its kind, the outage, the address before and
 * after, the job lease it was compared with, and what that means ({@link #summary()}, one sentence with
 * the figures, and {@link #remedy()}).
 *
 * @param outage null for a first boot
 * @param leaseSeconds the lease compared with; null for a first boot
 */
public record Restart(
        Instant detectedAt,
        Instant bootTime,
        RestartKind kind,
        Verdict verdict,
        Outage outage,
        String previousInstance,
        String instance,
        String previousAddress,
        String address,
        Integer leaseSeconds,
        String leaseSource,
        String summary,
        String remedy) {

    /**
     * This restart with the {@code htcondor annex} requests its change of address stranded named in its
     * sentence and remedy ({@code names}: "annex-one (job 3), ..."), once the queue could be asked.
     */
    public Restart withStrandedAnnexes(String names) {
        return new Restart(
                detectedAt,
                bootTime,
                kind,
                verdict,
                outage,
                previousInstance,
                instance,
                previousAddress,
                address,
                leaseSeconds,
                leaseSource,
                summary + "; the htcondor annex requests given " + previousAddress + ": " + names,
                "replace those annexes (`htcondor annex shutdown NAME`, then `htcondor annex" + " create`)"
                        + (remedy == null ? "" : "; " + remedy));
    }

    /** Whether running work survived. */
    public enum Verdict {
        /** Nothing was lost (or there was nothing to lose). */
        HARMLESS,
        /** Running work may have been lost: the outage was near the lease, or its length is unknown. */
        MAYBE_LOST,
        /** Work was lost: the outage outlasted the lease, the address changed, or the instance was replaced. */
        LOST;

        public String jsonName() {
            return JsonNames.of(this);
        }

        public static Verdict fromJson(String name) {
            return JsonNames.parse(Verdict.class, Verdict::jsonName, name).orElse(null);
        }
    }

    public boolean addressChanged() {
        return previousAddress != null && address != null && !previousAddress.equals(address);
    }
}
