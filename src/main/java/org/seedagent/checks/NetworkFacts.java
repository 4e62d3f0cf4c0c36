package org.seedagent.checks;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.seedagent.condor.ApCollectorAnswer;

/**
 * Network observations gathered before the checks run.
 *
 * @param selfReachability the attempt to connect to the instance's own public IP
 * @param resolutions host names used in the configuration, resolved here (IPv4 only)
 * @param apCollector what the AP collector of an {@code htcondor annex} seed said (not asked otherwise)
 */
public record NetworkFacts(
        SelfReachability selfReachability, Map<String, Resolution> resolutions, ApCollectorAnswer apCollector) {

    /** Without the AP collector's answer (not asked). */
    public NetworkFacts(SelfReachability selfReachability, Map<String, Resolution> resolutions) {
        this(selfReachability, resolutions, ApCollectorAnswer.NOT_APPLICABLE);
    }

    /** These facts with the AP collector's answer. */
    public NetworkFacts withApCollector(ApCollectorAnswer answer) {
        return new NetworkFacts(selfReachability, resolutions, answer);
    }

    /** How the self-reachability probe went. */
    public enum Outcome {
        /** Not attempted: no configuration, no metadata or no public address. */
        NOT_ATTEMPTED,
        /** Not attempted: HTCondor is not running on this host. */
        NOT_RUNNING,
        /** Connected. */
        REACHED,
        /** The connection was refused, timed out or failed otherwise. */
        FAILED
    }

    /**
     * The result of connecting to {@code address:port}.
     *
     * @param millis how long the attempt took
     * @param detail why it failed, or {@code null}
     */
    public record SelfReachability(Outcome outcome, String address, int port, long millis, String detail) {
        public SelfReachability {
            Objects.requireNonNull(outcome, "outcome");
        }

        public static SelfReachability notAttempted() {
            return new SelfReachability(Outcome.NOT_ATTEMPTED, null, 0, 0, null);
        }

        public static SelfReachability notRunning() {
            return new SelfReachability(Outcome.NOT_RUNNING, null, 0, 0, null);
        }
    }

    /**
     * A host name's IPv4 addresses here, or why it did not resolve.
     *
     * @param addresses dotted quads; empty when the name did not resolve
     * @param error why it did not resolve, or {@code null}
     */
    public record Resolution(List<String> addresses, String error) {
        public Resolution {
            addresses = List.copyOf(addresses);
        }
    }

    public NetworkFacts {
        Objects.requireNonNull(selfReachability, "selfReachability");
        Objects.requireNonNull(apCollector, "apCollector");
        resolutions = Map.copyOf(resolutions);
    }

    public static final NetworkFacts NONE = new NetworkFacts(SelfReachability.notAttempted(), Map.of());
}
