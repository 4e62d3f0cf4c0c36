package org.seedagent.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parts of {@code /proc} and {@code /sys} that tell the root disk on a Nitro instance, laid out as
 * the kernel does: {@code /proc/self/mountinfo} names the device number of {@code /}, and
 * {@code /sys/dev/block/MAJ:MIN} links to the partition inside its disk, whose controller's
 * {@code model} is what EC2 calls the volume.
 */
public final class SysTree {
    private static final String CONTROLLER = "sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0";

    private SysTree() {}

    /** An EBS root volume ({@code nvme0n1p1} on {@code nvme0n1}). */
    public static Path ebsRoot(Path root) {
        return nvmeRoot(root, RecoveryFacts.EBS_MODEL);
    }

    /** An instance-store root volume (an old instance-store-backed image). */
    public static Path instanceStoreRoot(Path root) {
        return nvmeRoot(root, RecoveryFacts.INSTANCE_STORE_MODEL);
    }

    /** One more NVMe disk, {@code nvme1n1}, with {@code model}. */
    public static Path extraDisk(Path root, String model) {
        try {
            Path controller = root.resolve("sys/devices/pci0000:00/0000:00:1f.0/nvme/nvme1");
            Files.createDirectories(controller.resolve("nvme1n1"));
            Files.writeString(controller.resolve("model"), model + "                    \n");
            Files.createSymbolicLink(controller.resolve("nvme1n1/device"), Path.of(".."));
            Files.createSymbolicLink(
                    root.resolve("sys/block/nvme1n1"),
                    Path.of("../devices/pci0000:00/0000:00:1f.0/nvme/nvme1/nvme1n1"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path nvmeRoot(Path root, String model) {
        try {
            Path controller = root.resolve(CONTROLLER);
            Path partition = controller.resolve("nvme0n1/nvme0n1p1");
            Files.createDirectories(partition);
            Files.writeString(partition.resolve("partition"), "1\n");
            // The kernel pads the model with spaces.
            Files.writeString(controller.resolve("model"), model + "              \n");
            Files.createSymbolicLink(controller.resolve("nvme0n1/device"), Path.of(".."));
            Files.createDirectories(root.resolve("sys/dev/block"));
            Files.createSymbolicLink(
                    root.resolve("sys/dev/block/259:1"),
                    Path.of("../../devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1/nvme0n1p1"));
            Files.createDirectories(root.resolve("sys/block"));
            Files.createSymbolicLink(
                    root.resolve("sys/block/nvme0n1"),
                    Path.of("../devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1"));
            Files.createDirectories(root.resolve("proc/self"));
            Files.writeString(
                    root.resolve("proc/self/mountinfo"),
                    "22 1 259:1 / / rw,noatime shared:1 - xfs /dev/nvme0n1p1 rw,attr2,inode64\n"
                            + "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw\n");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
