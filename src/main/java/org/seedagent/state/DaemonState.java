package org.seedagent.state;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.checks.CheckResult;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.restart.Restart;
import org.seedagent.restart.ScheduledEvent;

/**
 * What the daemon knows and reports through {@code state.json}: the address and since when, the
 * last polls, reloads and check results, a bounded history of changes, a heartbeat. Confined to the
 * daemon's poll thread; {@link StateCodec} turns it into the documented JSON (no secrets).
 */
public final class DaemonState {
    /** Changes kept in the history. */
    public static final int HISTORY = 20;
    /** Restarts kept in the history. */
    public static final int RESTARTS = 10;

    /** One change of the address HTCondor is told to advertise. */
    public record Change(Instant time, String from, String to) {}

    /**
     * A reload HTCondor still needs: withheld because its configuration did not parse, or failed.
     * Tried again at every poll until it is done.
     *
     * @param since when the reload first became pending (HTCondor has run on its old address since)
     * @param because why it is pending now
     * @param attempts how many times it was tried or withheld
     */
    public record PendingReload(Instant since, String because, int attempts) {
        /** The same reload tried once more, pending now because of {@code why}. */
        public PendingReload again(String why) {
            return new PendingReload(since, why, attempts + 1);
        }
    }

    /**
     * The instance's scheduled maintenance events as last read ({@code events/maintenance/scheduled}).
     *
     * @param error why the last read failed (the previous events are kept); null when it worked
     */
    public record ScheduledEvents(Instant checked, List<ScheduledEvent> events, String error) {
        public ScheduledEvents {
            events = List.copyOf(events);
        }
    }

    /**
     * The {@code htcondor annex} requests the last change of address stranded: the tracking jobs in the queue
     * given another collector than {@code collector}, as one {@code condor_q} found them after the change.
     *
     * @param checked when the queue answered (or the last attempt failed)
     * @param changeTo the address of the change this is about
     * @param collector ANNEX_COLLECTOR after the change
     * @param error why the queue could not be asked, else null
     */
    public record StrandedAnnexes(
            Instant checked, String changeTo, String collector, List<StrandedAnnex> requests, String error) {
        public StrandedAnnexes {
            requests = List.copyOf(requests);
        }
    }

    /** One stranded request: its tracking job's cluster, the annex's name, the collector it was given. */
    public record StrandedAnnex(String cluster, String name, String collector) {}

    /** What HTCondor's daemons advertise, read from their address files. */
    public record Advertised(
            Instant checked,
            String expected,
            Map<String, String> addresses,
            boolean converged,
            Long convergedAfterSeconds) {
        public Advertised {
            addresses = Collections.unmodifiableMap(new LinkedHashMap<>(addresses)); // in the order read
        }
    }

    public String version;
    public long pid;
    public Instant startedAt;
    public Instant heartbeat;
    /** The boot ({@code /proc/sys/kernel/random/boot_id}) this record was written in. */
    public String bootId;
    /** When the agent last stopped on SIGTERM; cleared at start. Absent after a crash or power loss. */
    public Instant cleanStop;

    public BootSyncOutcome bootSync;
    public String currentAddress;
    /** Whether {@link #currentAddress} is the public IPv4 or, without one, the private address; null when none. */
    public AddressKind addressKind;

    public Instant addressSince;
    public String fragmentPath;
    public String fragmentSha256;
    public Poll lastPoll;
    public Instant lastSuccess;
    public Poll lastFailure;
    public LastReload lastReload;
    public PendingReload pendingReload;
    public Advertised advertised;
    /** The last window in which local tools could not reach HTCondor's daemons; null when there was none. */
    public LocalToolsWindow localTools;

    public Instant checksAt;
    public InstanceRecord instance = InstanceRecord.UNKNOWN;
    public SpotInterruption spotInterruption;
    public ScheduledEvents scheduledEvents;
    /** The htcondor annex requests the last change stranded; null on a classic seed or before any change. */
    public StrandedAnnexes strandedAnnexes;
    /** The Elastic IP as {@link org.seedagent.eip.ElasticIpWatch} reports it; null when the daemon has not looked. */
    public ElasticIpRecord elasticIp;

    private List<CheckResult> checks = List.of();
    /** Check results in the state file this agent could not read (kept out of {@link #checks()}). */
    private int unreadableChecks;

    private final Deque<Change> changes = new ArrayDeque<>();
    private final Deque<Restart> restarts = new ArrayDeque<>();

    /** The last settings checks' results, in report order. */
    public List<CheckResult> checks() {
        return checks;
    }

    public void setChecks(List<CheckResult> results) {
        checks = List.copyOf(results);
        unreadableChecks = 0;
    }

    /** How many check results the state file held that this agent could not read. */
    public int unreadableChecks() {
        return unreadableChecks;
    }

    /** Results read from a state file, with how many could not be read. */
    void setChecksRead(List<CheckResult> results, int unreadable) {
        checks = List.copyOf(results);
        unreadableChecks = unreadable;
    }

    public void recordChange(Change change) {
        changes.addLast(change);
        while (changes.size() > HISTORY) {
            changes.removeFirst();
        }
    }

    /** Oldest first. */
    public List<Change> changes() {
        return new ArrayList<>(changes);
    }

    public void recordRestart(Restart restart) {
        restarts.addLast(restart);
        while (restarts.size() > RESTARTS) {
            restarts.removeFirst();
        }
    }

    /** Replaces the last restart recorded (to add what was learnt after it was assessed). */
    public void replaceLastRestart(Restart restart) {
        if (restarts.isEmpty()) {
            throw new IllegalStateException("no restart recorded");
        }
        restarts.removeLast();
        restarts.addLast(restart);
    }

    /** Oldest first. */
    public List<Restart> restarts() {
        return new ArrayList<>(restarts);
    }
}
