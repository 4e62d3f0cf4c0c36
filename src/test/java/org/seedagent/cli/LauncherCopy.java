package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.seedagent.testing.Dist;
import org.seedagent.testing.Trees;

/**
 * A copy of the built distribution in a test's directory, so that a test may change its jar, and its launcher run
 * with a class-data directory of the test's own and the Java the test names.
 */
final class LauncherCopy {
    record Run(int exit, String out, String err) {}

    final Path dir;
    final Path launcher;
    final Path cds;
    private final Path java;

    LauncherCopy(Path dir, Path java) throws IOException {
        this.dir = dir;
        this.java = java;
        Path copy = dir.resolve("dist");
        Trees.copy(Dist.launcher().getParent().getParent(), copy, StandardCopyOption.COPY_ATTRIBUTES);
        this.launcher = copy.resolve("bin/seed-agent");
        this.cds = dir.resolve("cds");
    }

    /** The launcher with {@code args}, SEED_AGENT_JAVA_OPTS and SEED_AGENT_CDS unset, then {@code env}. */
    Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return finish(start("", env, args));
    }

    /** Started, its output in {@code name}out and {@code name}err; {@link #finish} waits for it. */
    Started start(String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve(name + "out");
        Path err = dir.resolve(name + "err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("SEED_AGENT_JAVA_OPTS");
        builder.environment().remove("SEED_AGENT_CDS");
        builder.environment().put("SEED_AGENT_JAVA", java.toString());
        builder.environment().put("SEED_AGENT_CDS_DIR", cds.toString());
        builder.environment().putAll(env);
        return new Started(builder.start(), out, err);
    }

    record Started(Process process, Path out, Path err) {}

    static Run finish(Started started) throws IOException, InterruptedException {
        assertTrue(started.process().waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(
                started.process().exitValue(),
                Files.readString(started.out(), StandardCharsets.UTF_8),
                Files.readString(started.err(), StandardCharsets.UTF_8));
    }
}
