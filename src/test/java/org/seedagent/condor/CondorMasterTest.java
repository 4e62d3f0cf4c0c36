package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CondorMasterTest {
    @Test
    void pid_findsCondorMasterInProc(@TempDir Path root) throws Exception {
        write(root, "1", "systemd\n");
        write(root, "812", "condor_master\n");
        write(root, "77", "condor_master\n");
        Files.createDirectories(root.resolve("proc/self"));

        assertEquals(OptionalLong.of(77), CondorMaster.pid(root));
    }

    @Test
    void pid_withoutCondorMaster_isEmpty(@TempDir Path root) throws Exception {
        write(root, "1", "systemd\n");
        write(root, "2", "condor_schedd\n");
        Files.createDirectories(root.resolve("proc/3")); // no comm: the process went away

        assertEquals(OptionalLong.empty(), CondorMaster.pid(root));
    }

    @Test
    void pid_withoutProc_isEmpty(@TempDir Path root) {
        assertEquals(OptionalLong.empty(), CondorMaster.pid(root));
    }

    @Test
    void pid_onThisHost_doesNotFail() {
        CondorMaster.pid(Path.of("/")); // HTCondor is not installed here; this only must not throw
    }

    private static void write(Path root, String pid, String comm) throws Exception {
        Path dir = Files.createDirectories(root.resolve("proc").resolve(pid));
        Files.writeString(dir.resolve("comm"), comm);
    }
}
