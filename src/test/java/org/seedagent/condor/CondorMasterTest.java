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

    /**
     * On this host, whether a condor_master runs or not (CI starts real ones in its integration tests, not during
     * these): the same answer as an independent look at each process's {@code /proc/PID/stat} (issue 23: this
     * test asserted nothing).
     */
    @Test
    void pid_onThisHost_agreesWithProcStat() throws Exception {
        OptionalLong expected;
        try (var entries = Files.list(Path.of("/proc"))) {
            expected = entries.filter(e -> e.getFileName().toString().matches("\\d+"))
                    .filter(e -> {
                        try {
                            String stat = Files.readString(e.resolve("stat"), java.nio.charset.StandardCharsets.UTF_8);
                            return stat.contains(" (condor_master) ");
                        } catch (java.io.IOException gone) {
                            return false;
                        }
                    })
                    .mapToLong(e -> Long.parseLong(e.getFileName().toString()))
                    .min();
        }
        assertEquals(expected, CondorMaster.pid(Path.of("/")));
    }

    private static void write(Path root, String pid, String comm) throws Exception {
        Path dir = Files.createDirectories(root.resolve("proc").resolve(pid));
        Files.writeString(dir.resolve("comm"), comm);
    }
}
