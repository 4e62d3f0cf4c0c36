package org.seedagent.checks;

import java.util.List;
import java.util.Map;
import org.seedagent.restart.ScheduledEvent;

/**
 * What decides whether the seed comes back by itself after a failure, gathered by
 * {@link RecoveryGatherer}. A field is null when it could not be read; {@code problems} says why.
 *
 * @param unitsEnabled {@code systemctl is-enabled} for condor.service and seed-agent.service
 *     ({@code enabled}, {@code disabled}, {@code static}, {@code not-found}, ...); null without systemctl
 * @param condorRestart condor.service's {@code Restart=} ({@code on-failure}, {@code always}, {@code no}, ...)
 * @param rootDiskModel the model of the disk holding {@code /} ({@code Amazon Elastic Block Store},
 *     {@code Amazon EC2 NVMe Instance Storage}); null when it cannot be told (e.g. a Xen device)
 * @param rootDisk the disk holding {@code /} ({@code nvme0n1}); null when unknown
 * @param instanceStore instance-store volumes seen: local NVMe disks and {@code block-device-mapping/ephemeralN}
 * @param events the instance's scheduled maintenance events; null when they could not be read
 * @param problems why a fact could not be read, by fact ({@code units}, {@code root-disk}, {@code events}, ...)
 * @param condorUnit HTCondor's unit, as {@code condor.unit} names it ({@code condor.service} by default)
 */
public record RecoveryFacts(
        Map<String, String> unitsEnabled,
        String condorRestart,
        String rootDisk,
        String rootDiskModel,
        List<String> instanceStore,
        List<ScheduledEvent> events,
        Map<String, String> problems,
        String condorUnit) {
    public static final String EBS_MODEL = "Amazon Elastic Block Store";
    public static final String INSTANCE_STORE_MODEL = "Amazon EC2 NVMe Instance Storage";

    public RecoveryFacts {
        unitsEnabled = unitsEnabled == null ? null : Map.copyOf(unitsEnabled);
        instanceStore = List.copyOf(instanceStore);
        events = events == null ? null : List.copyOf(events);
        problems = Map.copyOf(problems);
        condorUnit = condorUnit == null ? RecoveryChecks.CONDOR_UNIT : condorUnit;
    }

    /** With HTCondor's unit the default one. */
    public RecoveryFacts(
            Map<String, String> unitsEnabled,
            String condorRestart,
            String rootDisk,
            String rootDiskModel,
            List<String> instanceStore,
            List<ScheduledEvent> events,
            Map<String, String> problems) {
        this(unitsEnabled, condorRestart, rootDisk, rootDiskModel, instanceStore, events, problems, null);
    }

    /** Nothing known (tests and callers that do not gather these facts). */
    public static RecoveryFacts unknown(String why) {
        return new RecoveryFacts(
                null,
                null,
                null,
                null,
                List.of(),
                null,
                Map.of("units", why, "condor-restart", why, "root-disk", why, "events", why));
    }

    String problem(String fact) {
        return problems.getOrDefault(fact, "unknown");
    }
}
