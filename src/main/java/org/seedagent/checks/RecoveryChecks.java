package org.seedagent.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seedagent.restart.ScheduledEvent;

/**
 * services-enabled, condor-restart, root-volume, instance-store, scheduled-events: whether the seed
 * comes back by itself, the first of the precautions the HTCondor-in-the-Cloud documentation names for
 * a seed (restarted automatically, back faster than the job lease, with the same address).
 */
final class RecoveryChecks {
    static final String CONDOR_UNIT = "condor.service";
    static final String AGENT_UNIT = "seed-agent.service";
    /** systemctl is-enabled states that start the unit at boot. */
    private static final Set<String> STARTS_AT_BOOT =
            Set.of("enabled", "enabled-runtime", "alias", "indirect", "generated");

    private static final Set<String> RESTARTS =
            Set.of("on-failure", "always", "on-abnormal", "on-abort", "on-watchdog");

    private RecoveryChecks() {}

    static List<CheckResult> run(CheckInput input) {
        RecoveryFacts facts = input.recovery();
        return List.of(servicesEnabled(facts), condorRestart(facts), rootVolume(facts), instanceStore(facts));
    }

    static CheckResult servicesEnabled(RecoveryFacts facts) {
        Map<String, String> units = facts.unitsEnabled();
        if (units == null) {
            return Check.SERVICES_ENABLED.notChecked(
                    "systemctl is-enabled could not be run: " + facts.problem("units"),
                    "run seed-agent check on the seed itself, where systemd runs");
        }
        String condor = facts.condorUnit();
        List<String> off = new ArrayList<>();
        for (String unit : List.of(condor, AGENT_UNIT)) {
            String state = units.getOrDefault(unit, "unknown");
            if (!STARTS_AT_BOOT.contains(state)) {
                off.add(unit + " is " + Show.value(state));
            }
        }
        if (!off.isEmpty()) {
            return Check.SERVICES_ENABLED.failure(
                    String.join(", ", off) + ": after a reboot or a stop/start the seed"
                            + " does not come back by itself (HTCondor, or the address it needs, is missing)",
                    "systemctl enable " + facts.condorUnit() + " " + AGENT_UNIT);
        }
        return Check.SERVICES_ENABLED.ok(facts.condorUnit() + " and " + AGENT_UNIT + " start at boot");
    }

    static CheckResult condorRestart(RecoveryFacts facts) {
        String restart = facts.condorRestart();
        if (restart == null) {
            return Check.CONDOR_RESTART.notChecked(
                    facts.condorUnit() + "'s Restart= could not be read: " + facts.problem("condor-restart"),
                    "run seed-agent check on the seed itself, where systemd runs");
        }
        if (!RESTARTS.contains(restart)) {
            return Check.CONDOR_RESTART.failure(
                    facts.condorUnit() + " has Restart=" + Show.value(restart) + ": if condor_master"
                            + " dies, the pool's central manager and job queue stay down until somebody starts it",
                    "systemctl edit " + facts.condorUnit()
                            + " and add: [Service] Restart=on-failure (HTCondor's own unit has it)");
        }
        return Check.CONDOR_RESTART.ok(facts.condorUnit() + " has Restart=" + restart
                + ": systemd starts condor_master again" + " if it dies");
    }

    static CheckResult rootVolume(RecoveryFacts facts) {
        String model = facts.rootDiskModel();
        if (model == null) {
            return Check.ROOT_VOLUME.info(
                    "the root volume's type could not be told (" + facts.problem("root-disk") + ")",
                    "aws ec2 describe-instances --instance-ids <id> --query"
                            + " 'Reservations[].Instances[].RootDeviceType' must say ebs: only an EBS root volume survives a"
                            + " stop/start or an automatic recovery");
        }
        if (model.equals(RecoveryFacts.INSTANCE_STORE_MODEL)) {
            return Check.ROOT_VOLUME.failure(
                    "the root volume " + Show.value(facts.rootDisk()) + " is an instance-store"
                            + " volume: it is lost when the instance stops or fails, with HTCondor's configuration and the job"
                            + " queue, and the instance cannot be recovered",
                    "launch the seed from an EBS-backed image (make an image of this seed first)");
        }
        if (model.equals(RecoveryFacts.EBS_MODEL)) {
            return Check.ROOT_VOLUME.ok("the root volume " + Show.value(facts.rootDisk()) + " is an EBS volume: it"
                    + " survives a stop/start and an automatic recovery");
        }
        return Check.ROOT_VOLUME.info(
                "the root volume " + Show.value(facts.rootDisk()) + " is a " + Show.value(model)
                        + ", not a disk EC2 names",
                "make sure the seed's root volume is EBS");
    }

    static CheckResult instanceStore(RecoveryFacts facts) {
        if (facts.instanceStore().isEmpty()) {
            if (facts.problems().containsKey("instance-store")) {
                return Check.INSTANCE_STORE.notChecked(
                        "instance-store volumes could not be listed: " + facts.problem("instance-store"),
                        Checks.NO_METADATA_REMEDY);
            }
            return Check.INSTANCE_STORE.ok("no instance-store volumes: EC2's simplified automatic recovery can bring"
                    + " the seed back on new hardware after a system failure");
        }
        return Check.INSTANCE_STORE.warning(
                "this instance has instance-store volumes ("
                        + String.join(
                                ", ",
                                facts.instanceStore().stream().map(Show::value).toList())
                        + "): EC2's simplified automatic recovery"
                        + " does not cover such instance types, so after a hardware failure the seed stays down until somebody"
                        + " stops and starts it",
                "run the seed on an instance type without instance-store volumes (e.g."
                        + " m6i rather than m6id), or create a CloudWatch alarm that alerts on StatusCheckFailed_System");
    }

    static CheckResult scheduledEvents(RecoveryFacts facts) {
        if (facts.events() == null) {
            return Check.SCHEDULED_EVENTS.notChecked(
                    "events/maintenance/scheduled could not be read: " + facts.problem("events"),
                    Checks.NO_METADATA_REMEDY);
        }
        List<ScheduledEvent> active =
                facts.events().stream().filter(ScheduledEvent::active).toList();
        if (active.isEmpty()) {
            return Check.SCHEDULED_EVENTS.ok("no scheduled maintenance events"
                    + (facts.events().isEmpty()
                            ? ""
                            : " still to come (" + facts.events().size() + " completed or canceled)"));
        }
        List<String> what = active.stream().map(ScheduledEvent::describe).toList();
        ScheduledEvent first = active.stream()
                .filter(ScheduledEvent::changesAddress)
                .findFirst()
                .orElse(active.get(0));
        return Check.SCHEDULED_EVENTS.warning("EC2 scheduled " + String.join("; ", what), first.remedy());
    }
}
