package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.seedagent.testing.Await;

/**
 * A network namespace of a guard test's own ({@code unshare --net sleep}: the sleeper's PID names it, killing it
 * ends it), and commands run inside it through {@code nsenter}, their output kept in {@code tmp}.
 */
final class TestNetns implements AutoCloseable {
    private final Process holder;
    private final Path tmp;

    private TestNetns(Process holder, Path tmp) {
        this.holder = holder;
        this.tmp = tmp;
    }

    /** A new namespace (with nothing in it, not even lo up); output files go to {@code tmp}. */
    static TestNetns create(Path tmp) throws Exception {
        Process p = new ProcessBuilder("unshare", "--net", "--", "sleep", "3600")
                .redirectErrorStream(true)
                .start();
        Path netns = Path.of("/proc", Long.toString(p.pid()), "ns", "net");
        Await.that("unshare --net to start", Duration.ofSeconds(30))
                .every(Duration.ofMillis(20))
                .whileAlive(p)
                .until(() -> Files.exists(netns)
                        && !Files.readSymbolicLink(netns).equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))));
        return new TestNetns(p, tmp);
    }

    /** Whether {@code tool} is installed: on PATH, or in /usr/sbin or /sbin (root's tools, off a user's PATH). */
    static boolean onPath(String tool) {
        for (String dir : System.getenv()
                .getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    long pid() {
        return holder.pid();
    }

    /** A finished command: its exit status and output. */
    record Result(int exit, String out, String err) {
        Result ok() {
            assertEquals(0, exit, toString());
            return this;
        }
    }

    /** Runs {@code command} inside the namespace (standard input closed), at most 120 s. */
    /** curl of {@code url} as {@code uid} (no groups) in the namespace: exit 0 reached, 7 refused, 28 dropped. */
    Result curlAs(long uid, String url) throws Exception {
        return in(
                "setpriv",
                "--reuid=" + uid,
                "--regid=" + uid,
                "--clear-groups",
                "--",
                "curl",
                "-sS",
                "-o",
                "/dev/null",
                "--max-time",
                "5",
                url);
    }

    Result in(String... command) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(nsenter(command))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** {@code command} as run inside the namespace. */
    List<String> nsenter(String... command) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=/proc/" + holder.pid() + "/ns/net", "--"));
        all.addAll(List.of(command));
        return all;
    }

    /**
     * The stand-in metadata service ({@code src/test/resources/guard/imds_standin.py}) inside the namespace, on port
     * 80 of each of {@code addresses} (already made local), once it says it is ready.
     */
    Process standIn(String... addresses) throws Exception {
        Path script = Path.of("src/test/resources/guard/imds_standin.py").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(addresses));
        Path err = tmp.resolve("standin.err");
        Process p = new ProcessBuilder(nsenter(command.toArray(String[]::new)))
                .redirectError(err.toFile())
                .start();
        String ready = new String(p.getInputStream().readNBytes(6), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("ready\n", ready, "stand-in metadata service: " + Files.readString(err));
        return p;
    }

    /** A guard test's clean-up: {@code processes} (and what they started) killed, the namespace, then {@code tmp}. */
    static void closeAll(Path tmp, TestNetns namespace, Process... processes) throws Exception {
        for (Process p : processes) {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (namespace != null) {
            namespace.close();
        }
        if (tmp != null) {
            org.seedagent.testing.Trees.delete(tmp);
        }
    }

    @Override
    public void close() throws InterruptedException {
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
