package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.state.DaemonState;
import org.seedagent.status.SeedTree;

/**
 * Golden files: the exact human output of {@code seed-agent status} for a healthy and a failing seed (fixed
 * clock, no colour, the temporary root shown as {@code /}). One file per scenario under
 * {@code src/test/resources/golden/status/}. To regenerate after a deliberate change, run
 * {@code mvn test -Dtest='StatusCommandGoldenTest' -Dseedagent.updateGolden=true} and review the diff.
 */
class StatusCommandGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/status");

    @TempDir
    Path tmp;

    @Test
    void healthySeed_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);

        assertGolden("healthy.txt", seed, 0);
    }

    @Test
    void healthySeed_long_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);

        assertGolden("healthy-long.txt", seed, 0, "--long");
    }

    /**
     * A seed that needs attention: an old hand-written file overrides TCP_FORWARDING_HOST, the daemons
     * advertise that address, the last reload failed, a check fails and another warns.
     */
    @Test
    void failingSeed_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.overrideForwarding("198.51.100.7");
        seed.advertise("198.51.100.7", "198.51.100.7", "198.51.100.7");
        DaemonState s = seed.state;
        s.lastReload = new DaemonState.Outcome(SeedTree.CHANGED, "failed",
                "systemctl reload condor.service exited 1: \"Job for condor.service failed because the control process "
                        + "exited with error code.\"");
        s.checks.add(SeedTree.check("password-file", "security", "failure",
                "/etc/condor/condor_pool_password has mode 0644: HTCondor refuses a password file others can read",
                "chmod 0600 /etc/condor/condor_pool_password"));
        s.checks.add(SeedTree.check("seed-lifecycle", "instance", "warning",
                "this seed is a spot instance: the pool loses its central manager when it is interrupted",
                "run the seed on an on-demand instance"));
        seed.saveState();

        assertGolden("failing.txt", seed, 1);
    }

    @Test
    void neverRan_matchesGoldenFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        Files.delete(seed.stateFile());

        assertGolden("never-ran.txt", seed, 3);
    }

    private static void assertGolden(String name, SeedTree seed, int exit, String... arguments) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SeedTree.Processes processes = new SeedTree.Processes();
        if (name.startsWith("never-ran")) {
            processes.systemctl = c -> SeedTree.Processes.show("inactive", "dead", 0, "", "");
        }
        CliContext context = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(),
                Clock.fixed(SeedTree.NOW, ZoneOffset.UTC), processes, settings -> {
                    throw new AssertionError("no metadata");
                }, seed.agentConfig, true);

        int code = new StatusCommand(() -> Optional.of(SeedTree.BOOT), d -> {
        }).run(context, List.of(arguments));

        String actual = seed.display(out.toString(StandardCharsets.UTF_8));
        assertEquals(exit, code, actual);
        assertGolden(name, actual);
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("seedagent.updateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden file " + file);
    }
}
