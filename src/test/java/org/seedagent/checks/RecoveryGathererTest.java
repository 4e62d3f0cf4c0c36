package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.restart.ScheduledEvents;
import org.seedagent.testing.FakeSystemctl;

/** The facts behind the automatic-restart checks, from a /proc and /sys tree, systemctl and the metadata service. */
class RecoveryGathererTest {
    @TempDir
    Path root;

    private RecoveryFacts gather(org.seedagent.support.ProcessRunner systemctl, FakeMetadata metadata)
            throws InterruptedException {
        CheckEnvironment environment =
                new CheckEnvironment(root, host -> List.of(), (a, p, t) -> {}, Duration.ofMillis(100));
        return new RecoveryGatherer(environment, systemctl)
                .gather(metadata == null ? null : new InstanceMetadata(metadata));
    }

    @Test
    void ebsNitroSeed_everythingKnown() throws Exception {
        SysTree.ebsRoot(root);
        FakeSystemctl systemctl = FakeSystemctl.seed();

        RecoveryFacts facts = gather(systemctl, FakeMetadata.seed().with("events/maintenance/scheduled", "[]"));

        assertEquals(Map.of("condor.service", "enabled", "seed-agent.service", "enabled"), facts.unitsEnabled());
        assertEquals("on-failure", facts.condorRestart());
        assertEquals("nvme0n1", facts.rootDisk());
        assertEquals(RecoveryFacts.EBS_MODEL, facts.rootDiskModel());
        assertEquals(List.of(), facts.instanceStore());
        assertEquals(List.of(), facts.events());
        assertEquals(Map.of(), facts.problems());
        assertEquals(
                List.of(
                        List.of("systemctl", "is-enabled", "condor.service"),
                        List.of("systemctl", "is-enabled", "seed-agent.service"),
                        List.of("systemctl", "show", "--property=Restart,LoadState", "condor.service")),
                systemctl.calls());
    }

    /** Issue 22: condor.unit names HTCondor's unit; that unit is the one asked about (a seed's own unit name). */
    @Test
    void condorUnitOfItsOwnName_isTheUnitAsked() throws Exception {
        SysTree.ebsRoot(root);
        FakeSystemctl systemctl = FakeSystemctl.seed();
        CheckEnvironment environment =
                new CheckEnvironment(root, host -> List.of(), (a, p, t) -> {}, Duration.ofMillis(100));

        RecoveryFacts facts = new RecoveryGatherer(environment, systemctl, "condor-seed.service").gather(null);

        assertEquals("condor-seed.service", facts.condorUnit());
        assertEquals(
                List.of(
                        List.of("systemctl", "is-enabled", "condor-seed.service"),
                        List.of("systemctl", "is-enabled", "seed-agent.service"),
                        List.of("systemctl", "show", "--property=Restart,LoadState", "condor-seed.service")),
                systemctl.calls());
    }

    @Test
    void instanceStoreRootAndDisks_foundLocallyAndInTheMapping() throws Exception {
        SysTree.instanceStoreRoot(root);
        SysTree.extraDisk(root, RecoveryFacts.INSTANCE_STORE_MODEL);

        RecoveryFacts facts = gather(
                FakeSystemctl.seed(), FakeMetadata.seed().with("block-device-mapping/", "ami\nephemeral0\nroot"));

        assertEquals(RecoveryFacts.INSTANCE_STORE_MODEL, facts.rootDiskModel());
        assertEquals(List.of("nvme0n1", "nvme1n1", "block-device-mapping/ephemeral0"), facts.instanceStore());
    }

    @Test
    void disabledUnitAndMissingCondor_asSystemctlSaysThem() throws Exception {
        SysTree.ebsRoot(root);
        FakeSystemctl systemctl = new FakeSystemctl().unit("seed-agent.service", "disabled", "on-failure");

        RecoveryFacts facts = gather(systemctl, FakeMetadata.seed());

        assertEquals(Map.of("condor.service", "not-found", "seed-agent.service", "disabled"), facts.unitsEnabled());
        assertNull(facts.condorRestart());
        assertEquals("condor.service is not installed", facts.problems().get("condor-restart"));
    }

    @Test
    void noSystemctlNoProcNoMetadata_eachSaidWhy() throws Exception {
        org.seedagent.support.ProcessRunner systemctl = (command, timeout) -> {
            throw new IOException("Cannot run program \"systemctl\": error=2, No such file or directory");
        };

        RecoveryFacts facts = gather(systemctl, null);

        assertNull(facts.unitsEnabled());
        assertTrue(
                facts.problems().get("units").startsWith("cannot run systemctl: Cannot run program"),
                facts.problems()::toString);
        assertNull(facts.rootDiskModel());
        assertTrue(facts.problems().get("root-disk").startsWith("cannot read "), facts.problems()::toString);
        assertNull(facts.events());
        assertEquals("the metadata service could not be read", facts.problems().get("events"));
    }

    @Test
    void eventsAlreadyRead_usedAsGivenAndNotReadAgain() throws Exception {
        SysTree.ebsRoot(root);
        FakeMetadata metadata = FakeMetadata.seed().with("events/maintenance/scheduled", "<html>not asked</html>");
        ScheduledEvent stop = ScheduledEvents.parse("[{\"Code\":\"instance-stop\",\"Description\":\"The instance is"
                        + " scheduled for instance-stop\",\"EventId\":\"instance-event-0abc\",\"NotBefore\":\"1 Jan 2027 09:00:00 GMT\","
                        + "\"State\":\"active\"}]")
                .get(0);
        CheckEnvironment environment =
                new CheckEnvironment(root, host -> List.of(), (a, p, t) -> {}, Duration.ofMillis(100));

        RecoveryFacts facts = new RecoveryGatherer(environment, FakeSystemctl.seed())
                .gather(new InstanceMetadata(metadata), List.of(stop));

        assertEquals(List.of(stop), facts.events());
        assertEquals(Map.of(), facts.problems());
        assertTrue(
                metadata.reads.stream().noneMatch(r -> r.contains("events/maintenance/scheduled")),
                metadata.reads::toString);
        assertTrue(
                metadata.reads.stream().anyMatch(r -> r.contains("block-device-mapping")),
                "the other items are still read: " + metadata.reads);
    }

    @Test
    void eventsGarbage_eventsUnknownWithTheReason() throws Exception {
        RecoveryFacts facts = gather(
                FakeSystemctl.seed(), FakeMetadata.seed().with("events/maintenance/scheduled", "<html>oops</html>"));

        assertNull(facts.events());
        assertTrue(
                facts.problems().get("events").startsWith("events/maintenance/scheduled: not JSON"),
                facts.problems()::toString);
    }

    @Test
    void overlayRoot_notABlockDevice_saidSo() throws Exception {
        java.nio.file.Files.createDirectories(root.resolve("proc/self"));
        java.nio.file.Files.writeString(
                root.resolve("proc/self/mountinfo"), "500 400 0:77 / / rw - overlay overlay rw\n");

        RecoveryFacts facts = gather(FakeSystemctl.seed(), FakeMetadata.seed());

        assertEquals(
                "/ is on device 0:77, which is not a block device (an overlay or a container)",
                facts.problems().get("root-disk"));
    }
}
