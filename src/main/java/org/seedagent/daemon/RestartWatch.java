package org.seedagent.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.seedagent.logging.Notice;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.restart.JobLease;
import org.seedagent.restart.Restart;
import org.seedagent.restart.RestartAnalyzer;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.restart.ScheduledEvents;
import org.seedagent.state.DaemonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's outages, past and coming: at boot, what the restart cost (from the previous record, see
 * {@link RestartAnalyzer}); while running, the instance's scheduled maintenance events, read at most
 * once every {@link #EVENTS_INTERVAL} (the address poll stays one request).
 */
final class RestartWatch implements Watcher {
    private static final Logger log = LoggerFactory.getLogger(RestartWatch.class);
    /** How often scheduled events are read: EC2 announces them days or weeks ahead. */
    static final Duration EVENTS_INTERVAL = Duration.ofMinutes(5);

    /** The job lease, read only when this boot is a restart. */
    @FunctionalInterface
    interface LeaseSource {
        JobLease get() throws InterruptedException;
    }

    private Instant eventsRead;
    private String lastEventsError;

    /** The previous run as its record tells it, taken before this boot changes the record. */
    static RestartAnalyzer.PreviousRun previousRun(DaemonState previous, Duration pollInterval) {
        return new RestartAnalyzer.PreviousRun(
                previous.bootId,
                previous.heartbeat,
                previous.cleanStop,
                previous.instance == null ? null : previous.instance.id(),
                previous.currentAddress,
                pollInterval);
    }

    /**
     * At boot, after the sync: whether this boot is a restart of the seed and what it cost ({@code previous} null:
     * no record; {@code unreadable}: why the record could not be read, so that nothing can be told). The job lease
     * comes from the boot's pre-flight; condor_config_val is launched only when none ran.
     */
    void assessAtBoot(
            Step step, RestartAnalyzer.PreviousRun previous, org.seedagent.restart.BootIdentity boot, String unreadable)
            throws InterruptedException {
        if (previous == null && unreadable != null) {
            // The unreadable state file was warned about already; this is its consequence.
            log.info(
                    "whether this boot is a restart of the seed, and what it cost, is not known: the state file could "
                            + "not be read ({})",
                    unreadable);
            return;
        }
        String instanceId = step.facts().instanceId();
        assess(
                step.now(),
                previous,
                new RestartAnalyzer.ThisBoot(
                        step.now(), boot, instanceId, instanceId == null ? null : step.state().currentAddress, null),
                () -> {
                    ConfigProbe.Result probe = step.preflights().lastOrNew(step.config());
                    return probe.parses()
                            ? JobLease.evaluated(probe.knobs().get("JOB_DEFAULT_LEASE_DURATION"))
                            : JobLease.unreadable(probe.error());
                },
                step.state());
    }

    /** Assesses this boot against the previous record, logs one sentence and keeps it in the state. */
    void assess(
            Instant now,
            RestartAnalyzer.PreviousRun previous,
            RestartAnalyzer.ThisBoot boot,
            LeaseSource lease,
            DaemonState state)
            throws InterruptedException {
        if (previous != null && !RestartAnalyzer.newBoot(previous, boot.boot())) {
            return; // the agent restarted within this boot: the seed did not
        }
        RestartAnalyzer.ThisBoot withLease = previous == null
                ? boot
                : new RestartAnalyzer.ThisBoot(boot.now(), boot.boot(), boot.instanceId(), boot.address(), lease.get());
        Optional<Restart> restart = RestartAnalyzer.assess(previous, withLease);
        if (restart.isEmpty()) {
            return;
        }
        Restart r = restart.get();
        state.recordRestart(r);
        String remedy = r.remedy() == null ? "" : ". What to do: " + r.remedy();
        if (r.verdict() == Restart.Verdict.HARMLESS) {
            log.info(Notice.MARKER, "{}: {}{}", title(r), r.summary(), remedy);
        } else {
            log.warn("{}: {}{}", title(r), r.summary(), remedy);
        }
    }

    private static String title(Restart r) {
        return switch (r.kind()) {
            case FIRST_BOOT -> "first boot";
            default -> "the seed restarted (" + r.kind().words() + ")";
        };
    }

    /**
     * The scheduled events as last read, when that read succeeded less than {@link #EVENTS_INTERVAL} ago (the
     * checks use them rather than asking again); null otherwise.
     */
    static List<ScheduledEvent> freshEvents(DaemonState state, Instant now) {
        DaemonState.ScheduledEvents read = state.scheduledEvents;
        if (read == null || read.error() != null || read.checked() == null) {
            return null;
        }
        Duration age = Duration.between(read.checked(), now);
        return age.isNegative() || age.compareTo(EVENTS_INTERVAL) >= 0 ? null : read.events();
    }

    /**
     * Reads the scheduled events when due (always at boot), logs each new one once, keeps them in the
     * state. A failed read or an answer that is not a list of events keeps the previous list and says so
     * once; it never stops the poll.
     */
    /** At a poll: the scheduled events, when due. */
    @Override
    public void step(Step step) throws InterruptedException {
        readEvents(step.now(), step.metadata(), step.state(), false);
    }

    void readEvents(Instant now, InstanceMetadata metadata, DaemonState state, boolean atBoot)
            throws InterruptedException {
        if (!atBoot && eventsRead != null && Duration.between(eventsRead, now).compareTo(EVENTS_INTERVAL) < 0) {
            return;
        }
        eventsRead = now;
        List<ScheduledEvent> previous = state.scheduledEvents == null ? List.of() : state.scheduledEvents.events();
        List<ScheduledEvent> events;
        try {
            Optional<String> body = metadata.raw(ScheduledEvents.ITEM);
            events = body.isEmpty() ? List.of() : ScheduledEvents.parse(body.get());
        } catch (MetadataException | ScheduledEvents.InvalidEventsException e) {
            if (!Objects.equals(lastEventsError, e.getMessage())) {
                lastEventsError = e.getMessage();
                log.warn(
                        "cannot read the scheduled maintenance events: {}; keeping what was known and trying again in "
                                + "{} min",
                        e.getMessage(),
                        EVENTS_INTERVAL.toMinutes());
            }
            state.scheduledEvents = new DaemonState.ScheduledEvents(now, previous, e.getMessage());
            return;
        }
        if (lastEventsError != null) {
            log.info("scheduled maintenance events readable again");
            lastEventsError = null;
        }
        Set<String> known = new HashSet<>();
        for (ScheduledEvent event : previous) {
            known.add(event.eventId() + "/" + event.state());
        }
        for (ScheduledEvent event : events) {
            if (known.contains(event.eventId() + "/" + event.state())) {
                continue;
            }
            if (event.active()) {
                log.warn("EC2 scheduled an event for this seed: {}. What to do: {}", event.describe(), event.remedy());
            } else {
                log.info("scheduled event {}", event.describe());
            }
        }
        state.scheduledEvents = new DaemonState.ScheduledEvents(now, events, null);
    }
}
