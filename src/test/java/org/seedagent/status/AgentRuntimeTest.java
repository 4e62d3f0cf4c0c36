package org.seedagent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running agent's Java and start-up cache, from its command line in /proc (issue 24). */
class AgentRuntimeTest {
    @TempDir
    Path root;

    private void process(long pid, String... argv) throws IOException {
        Path dir = root.resolve("proc").resolve(Long.toString(pid));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cmdline"), String.join("\0", argv) + "\0");
    }

    @Test
    void appCdsArchive_onJdk17_withItsVersion() throws IOException {
        process(
                7,
                "/usr/lib/jvm/jre-17/bin/java",
                "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=/var/lib/seed-agent/cds/seed-agent.jsa",
                "-cp",
                "/usr/share/seed-agent/lib/*",
                "org.seedagent.cli.Main",
                "run");
        Files.createDirectories(root.resolve("usr/lib/jvm/jre-17"));
        Files.writeString(root.resolve("usr/lib/jvm/jre-17/release"), "JAVA_VERSION=\"17.0.15\"\n");

        AgentRuntime runtime = AgentRuntime.read(root, 7);

        assertEquals(
                new AgentRuntime(
                        "/usr/lib/jvm/jre-17/bin/java", "17.0.15", "appcds", "/var/lib/seed-agent/cds/seed-agent.jsa"),
                runtime);
        assertEquals(
                "17.0.15 (/usr/lib/jvm/jre-17/bin/java), AppCDS archive /var/lib/seed-agent/cds/seed-agent.jsa",
                runtime.words());
    }

    @Test
    void noCache_noReleaseFile() throws IOException {
        process(
                8,
                "/opt/java/bin/java",
                "-cp",
                "lib/*",
                "org.seedagent.cli.Main",
                "run",
                "-XX:AOTCache=not-an-option-here");

        AgentRuntime runtime = AgentRuntime.read(root, 8);

        assertEquals(new AgentRuntime("/opt/java/bin/java", null, "none", null), runtime);
        assertEquals("version unknown (/opt/java/bin/java), no start-up cache", runtime.words());
    }

    /** A recycled pid of another user's process is not trusted (its "java" could be any file), nor a FIFO release. */
    @Test
    void anotherUsersProcess_null_aFifoReleaseFile_noVersion() throws Exception {
        process(11, "/usr/lib/jvm/jre-17/bin/java", "-cp", "lib/*", "org.seedagent.cli.Main", "run");
        Path proc = root.resolve("proc/11");
        assertEquals(
                0, new ProcessBuilder("chown", "65534", proc.toString()).start().waitFor(), "needs root");
        assertNull(AgentRuntime.read(root, 11), "a process of uid 65534");

        process(12, "/home/u/jdk/bin/java", "-cp", "lib/*", "org.seedagent.cli.Main", "run");
        Files.createDirectories(root.resolve("home/u/jdk"));
        assertEquals(
                0,
                new ProcessBuilder("mkfifo", root.resolve("home/u/jdk/release").toString())
                        .start()
                        .waitFor());
        AgentRuntime runtime = AgentRuntime.read(root, 12); // would hang on the FIFO
        assertNull(runtime.javaVersion());
    }

    @Test
    void notTheAgent_orNoProcess_null() throws IOException {
        process(9, "/usr/bin/sleep", "60");
        assertNull(AgentRuntime.read(root, 9));
        assertNull(AgentRuntime.read(root, 10));
        assertNull(AgentRuntime.read(root, 0));
    }
}
