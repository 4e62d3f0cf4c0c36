package org.seedagent.checks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.MetadataException;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.restart.ScheduledEvents;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;

/**
 * Gathers {@link RecoveryFacts}: systemd's view of the two units (two short systemctl calls), the
 * disk under {@code /} and the instance-store disks from {@code /proc} and {@code /sys} (under
 * {@link CheckEnvironment#root()}, so tests use a tree of their own), and the metadata items
 * {@code block-device-mapping/} and {@code events/maintenance/scheduled}.
 */
public final class RecoveryGatherer {
    private static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern MAPPING_NAME = Pattern.compile("ephemeral[0-9]{1,3}");
    private static final Pattern DEVICE = Pattern.compile("[0-9]+:[0-9]+");

    private final CheckEnvironment environment;
    private final ProcessRunner processes;
    private final String condorUnit;

    public RecoveryGatherer(CheckEnvironment environment, ProcessRunner processes) {
        this(environment, processes, RecoveryChecks.CONDOR_UNIT);
    }

    /** For HTCondor's unit named {@code condorUnit} ({@code condor.unit}). */
    public RecoveryGatherer(CheckEnvironment environment, ProcessRunner processes, String condorUnit) {
        this.environment = environment;
        this.processes = processes;
        this.condorUnit = condorUnit;
    }

    /** Every fact; none of them failing stops the others. {@code metadata} null: the metadata service is not asked. */
    public RecoveryFacts gather(InstanceMetadata metadata) throws InterruptedException {
        return gather(metadata, null);
    }

    /**
     * As {@link #gather(InstanceMetadata)}, with the scheduled events already read by the caller (the daemon's
     * own watch reads them at boot and every 5 minutes), so they are not read again; null: read them here.
     */
    public RecoveryFacts gather(InstanceMetadata metadata, List<ScheduledEvent> eventsRead)
            throws InterruptedException {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, String> units = unitsEnabled(problems);
        String restart = condorRestart(problems);
        String rootDisk = rootDisk(problems);
        String model = rootDisk == null ? null : model(rootDisk, problems);
        List<String> instanceStore = new ArrayList<>(localInstanceStore());
        List<ScheduledEvent> events = null;
        if (metadata == null) {
            problems.put("events", "the metadata service could not be read");
        } else {
            instanceStore.addAll(ephemeralMappings(metadata, problems));
            events = eventsRead != null ? List.copyOf(eventsRead) : events(metadata, problems);
        }
        return new RecoveryFacts(units, restart, rootDisk, model, instanceStore, events, problems, condorUnit);
    }

    /**
     * One {@code systemctl is-enabled} per unit: given several, systemd 252 stops at the first unit it
     * cannot find, so the lines would not line up with the units.
     */
    private Map<String, String> unitsEnabled(Map<String, String> problems) throws InterruptedException {
        Map<String, String> units = new LinkedHashMap<>();
        for (String unit : List.of(condorUnit, RecoveryChecks.AGENT_UNIT)) {
            Optional<ProcessResult> result = systemctl(List.of("systemctl", "is-enabled", unit), problems, "units");
            if (result.isEmpty()) {
                return null;
            }
            String state = result.get()
                    .stdout()
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .findFirst()
                    .orElse(null);
            if (state == null) {
                String why = result.get().stderr().strip().lines().findFirst().orElse("");
                if (!why.contains("No such file or directory")) {
                    problems.put(
                            "units",
                            "systemctl is-enabled " + unit + " exited "
                                    + result.get().exitCode() + (why.isEmpty() ? "" : ": " + why));
                    return null;
                }
                state = "not-found";
            }
            units.put(unit, state);
        }
        return units;
    }

    private String condorRestart(Map<String, String> problems) throws InterruptedException {
        Optional<ProcessResult> result = systemctl(
                List.of("systemctl", "show", "--property=Restart,LoadState", condorUnit), problems, "condor-restart");
        if (result.isEmpty()) {
            return null;
        }
        if (!result.get().succeeded()) {
            problems.put(
                    "condor-restart",
                    "systemctl show exited " + result.get().exitCode() + ": "
                            + result.get().stderr().strip().lines().findFirst().orElse(""));
            return null;
        }
        String restart = null;
        String load = null;
        for (String line : result.get().stdout().lines().toList()) {
            if (line.startsWith("Restart=")) {
                restart = line.substring("Restart=".length()).strip();
            } else if (line.startsWith("LoadState=")) {
                load = line.substring("LoadState=".length()).strip();
            }
        }
        if ("not-found".equals(load)) {
            problems.put("condor-restart", condorUnit + " is not installed");
            return null;
        }
        return restart;
    }

    private Optional<ProcessResult> systemctl(List<String> command, Map<String, String> problems, String fact)
            throws InterruptedException {
        try {
            ProcessResult result = processes.run(command, SYSTEMCTL_TIMEOUT);
            if (result.timedOut()) {
                problems.put(
                        fact,
                        String.join(" ", command) + " did not finish within " + SYSTEMCTL_TIMEOUT.toSeconds() + " s");
                return Optional.empty();
            }
            return Optional.of(result);
        } catch (IOException e) {
            problems.put(fact, "cannot run systemctl: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The whole disk under {@code /}: from mountinfo's device number, through /sys/dev/block to its disk. */
    private String rootDisk(Map<String, String> problems) {
        Path mountinfo = resolve("/proc/self/mountinfo");
        try {
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4
                        && fields[4].equals("/")
                        && DEVICE.matcher(fields[2]).matches()) {
                    Path device = resolve("/sys/dev/block/" + fields[2]);
                    if (!Files.exists(device)) {
                        problems.put(
                                "root-disk",
                                "/ is on device " + fields[2] + ", which is not a block device"
                                        + " (an overlay or a container)");
                        return null;
                    }
                    Path real = device.toRealPath();
                    // A partition's directory sits inside its disk's: nvme0n1/nvme0n1p1.
                    Path disk = Files.exists(real.resolve("partition")) ? real.getParent() : real;
                    return disk.getFileName().toString();
                }
            }
            problems.put("root-disk", mountinfo + " names no mount of /");
        } catch (IOException | RuntimeException e) {
            problems.put("root-disk", "cannot read " + e.getMessage());
        }
        return null;
    }

    private String model(String disk, Map<String, String> problems) {
        Path model = resolve("/sys/block/" + disk + "/device/model");
        try {
            String text = Files.readString(model, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            problems.put("root-disk", "the disk " + disk + " has no model in /sys (not an NVMe disk EC2 names)");
            return null;
        }
    }

    /** NVMe disks whose model says instance store (Nitro instances enumerate them without any mapping). */
    private List<String> localInstanceStore() {
        List<String> found = new ArrayList<>();
        Path blocks = resolve("/sys/block");
        if (!Files.isDirectory(blocks)) {
            return found;
        }
        try (Stream<Path> disks = Files.list(blocks)) {
            for (Path disk : disks.sorted().toList()) {
                try {
                    String model = Files.readString(disk.resolve("device/model"), StandardCharsets.UTF_8)
                            .strip();
                    if (model.equals(RecoveryFacts.INSTANCE_STORE_MODEL)) {
                        found.add(disk.getFileName().toString());
                    }
                } catch (IOException e) {
                    // not an NVMe disk, or no model: not an instance-store disk EC2 names
                }
            }
        } catch (IOException e) {
            // /sys not readable: the metadata mapping still counts
        }
        return found;
    }

    private List<String> ephemeralMappings(InstanceMetadata metadata, Map<String, String> problems)
            throws InterruptedException {
        List<String> found = new ArrayList<>();
        try {
            Optional<String> listing = metadata.raw("block-device-mapping/");
            if (listing.isPresent()) {
                for (String name : listing.get().lines().map(String::strip).toList()) {
                    if (MAPPING_NAME.matcher(name).matches()) {
                        found.add("block-device-mapping/" + name);
                    }
                }
            }
        } catch (MetadataException e) {
            problems.put("instance-store", e.getMessage());
        }
        return found;
    }

    private List<ScheduledEvent> events(InstanceMetadata metadata, Map<String, String> problems)
            throws InterruptedException {
        try {
            Optional<String> body = metadata.raw(ScheduledEvents.ITEM);
            return body.isEmpty() ? List.of() : ScheduledEvents.parse(body.get());
        } catch (MetadataException | ScheduledEvents.InvalidEventsException e) {
            problems.put("events", e.getMessage());
            return null;
        }
    }

    private Path resolve(String path) {
        return environment.root().resolve(path.replaceFirst("^/+", "")).normalize();
    }
}
