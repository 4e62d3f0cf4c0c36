package org.seedagent.realcondor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.testing.Await;

/**
 * A network namespace of the test's own: a holder process ({@code unshare -n sleep infinity}) keeps it
 * alive, and every process that must live in it is started through {@code nsenter -t HOLDER -n}. Only
 * {@code lo} exists there; the "public" addresses the tests use (documentation ranges) are added to it,
 * so they are local, and no packet can leave. No {@code ip netns} mount is made, so there is nothing to
 * unmount: the namespace ends when its last process does.
 *
 * <p>{@link #close()} kills every process in the namespace by PID (they are all ours: nothing else can
 * enter it), then the holder. A JVM shutdown hook does the same if a test is aborted.
 */
public final class NetNamespace implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Process holder;
    private final String namespace;
    private final Thread hook;
    private final SystemProcessRunner processes = new SystemProcessRunner();

    private NetNamespace(Process holder, String namespace) {
        this.holder = holder;
        this.namespace = namespace;
        this.hook = new Thread(this::killAll, "netns-cleanup-" + holder.pid());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Creates the namespace with {@code lo} up. */
    public static NetNamespace create() throws IOException, InterruptedException {
        String own = netnsOf(ProcessHandle.current().pid());
        Process holder = new ProcessBuilder("unshare", "-n", "sleep", "infinity")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        // $! of unshare is known before unshare(2) has run: until then nsenter would enter OUR namespace.
        String theirs;
        try {
            theirs = Await.that(
                            "unshare -n to give a network namespace of its own (needs root)", Duration.ofSeconds(30))
                    .every(Duration.ofMillis(10))
                    .whileAlive(holder)
                    .until(
                            () -> netnsOf(holder.pid()),
                            ns -> ns != null && !ns.equals(own) && commandIs(holder.pid(), "sleep"));
        } catch (AssertionError e) {
            holder.destroyForcibly();
            throw e;
        }
        NetNamespace ns = new NetNamespace(holder, theirs);
        try {
            ns.check("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public long holderPid() {
        return holder.pid();
    }

    /** {@code command} as run inside the namespace. */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(holder.pid()), "-n"));
        full.addAll(command);
        return full;
    }

    /** A builder for a long-running process inside the namespace (nsenter execs it: the PID is the program's). */
    public ProcessBuilder builder(List<String> command) {
        return new ProcessBuilder(inside(command));
    }

    /** Runs {@code command} inside the namespace with {@code environment} added, and waits for it. */
    public ProcessResult run(Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        List<String> withEnv = new ArrayList<>();
        withEnv.add("env");
        environment.forEach((k, v) -> withEnv.add(k + "=" + v));
        withEnv.addAll(command);
        return processes.run(inside(withEnv), COMMAND_TIMEOUT);
    }

    /** Runs {@code command} inside the namespace and fails unless it exits 0. */
    public ProcessResult check(String... command) throws IOException, InterruptedException {
        ProcessResult result = run(Map.of(), List.of(command));
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " in the test's network namespace exited "
                    + result.exitCode() + ": " + result.stderr() + result.stdout());
        }
        return result;
    }

    /** Makes {@code address} local (on {@code lo}) inside the namespace. */
    public void addAddress(String address) throws IOException, InterruptedException {
        check("ip", "addr", "add", address + "/32", "dev", "lo");
    }

    /** Takes {@code address} away: what a lost public IP looks like to a node still using it. */
    public void removeAddress(String address) throws IOException, InterruptedException {
        check("ip", "addr", "del", address + "/32", "dev", "lo");
    }

    /** The processes in this namespace other than the holder, by PID (zombies excluded). */
    public List<Long> processes() {
        List<Long> pids = new ArrayList<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid != holder.pid() && namespace.equals(netnsOf(pid)) && !isZombie(pid)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs (or ran) anyway.
        }
    }

    /** SIGKILL to every process left in the namespace, then to the holder; waits (bounded) until they are gone. */
    private void killAll() {
        try {
            if (holder.isAlive()) {
                Await.that("no process left in the namespace", Duration.ofSeconds(5))
                        .tryUntil(() -> {
                            List<Long> left = processes();
                            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                            return left.isEmpty();
                        });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the holder goes all the same
        }
        holder.destroyForcibly();
        try {
            holder.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) STATE ...; comm may hold spaces and parentheses: the state follows the last ')'.
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // gone
        }
    }

    /** Whether {@code pid} is alive (not gone, not a zombie waiting for a reaper). */
    static boolean alive(long pid) {
        return !isZombie(pid);
    }

    private static boolean commandIs(long pid, String comm) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .strip()
                    .equals(comm);
        } catch (IOException e) {
            return false;
        }
    }

    private static String netnsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"))
                    .toString();
        } catch (IOException e) {
            return null;
        }
    }
}
