package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.testing.Dist;

/** The packaged launcher, as README's first command runs it. */
class LauncherIT {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Dist.launcher().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void help_listsEverySubCommand() throws Exception {
        Run run = run("--help");
        assertEquals(0, run.exit(), run.err());
        for (String command :
                List.of("once", "run", "check", "status", "prepare-image", "imds-guard", "demo", "emulator")) {
            assertTrue(run.out().contains("\n  " + command + " "), run.out());
        }
    }

    @Test
    void version_printsVersion() throws Exception {
        Run run = run("--version");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().matches("seed-agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), run.out());
    }

    @Test
    void demo_writesFragmentFromEmulator() throws Exception {
        Run run = run("demo", "--dir", dir.resolve("demo").toString(), "--public-ip", "198.51.100.23");
        assertEquals(0, run.exit(), run.err());
        Path fragment = dir.resolve("demo/config.d/50-seed-agent.conf");
        assertTrue(run.out().contains("wrote " + fragment + ": TCP_FORWARDING_HOST = 198.51.100.23"), run.out());
        assertTrue(Files.readString(fragment).contains("TCP_FORWARDING_HOST = 198.51.100.23\n"));

        Run again = run("demo", "--dir", dir.resolve("demo").toString(), "--public-ip", "198.51.100.23");
        assertTrue(again.out().contains("unchanged " + fragment), again.out());
    }

    @Test
    void demo_hostileAnswer_exit69NothingWritten() throws Exception {
        Run run = run("demo", "--dir", dir.resolve("demo").toString(), "--public-ip", "1.2.3.4\nALLOW_WRITE = *");
        assertEquals(ExitCode.UNAVAILABLE, run.exit());
        assertTrue(run.err().contains("\"1.2.3.4\\nALLOW_WRITE = *\""), run.err());
        assertTrue(Files.notExists(dir.resolve("demo/config.d/50-seed-agent.conf")));
    }

    @Test
    void once_invalidConfig_exit78() throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, "poll.interval = often\n");
        Run run = run("--config", config.toString(), "once");
        assertEquals(ExitCode.CONFIG, run.exit());
        assertTrue(run.err().contains("invalid value \"often\" for key poll.interval"), run.err());
    }
}
