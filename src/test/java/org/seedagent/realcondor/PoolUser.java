package org.seedagent.realcondor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;

/**
 * A normal (non-root) user of the seed, as the seed's own users are: root may not submit, and a normal user's
 * {@code condor_q} and {@code condor_submit} find the schedd through its local ad, not through root's private
 * address file, so they are what an address change can lock out.
 */
final class PoolUser {
    static final String NAME = "annexuser";
    private static final Pattern CLUSTER = Pattern.compile("submitted to cluster (\\d+)");

    private final SeedPool pool;
    private final Path work;

    private PoolUser(SeedPool pool, Path work) {
        this.pool = pool;
        this.work = work;
    }

    /** The user (added when missing) with a working directory under {@code dir} they own. */
    static PoolUser create(SeedPool pool, Path dir) throws IOException, InterruptedException {
        SystemProcessRunner processes = new SystemProcessRunner();
        if (!processes.run(List.of("id", "-u", NAME), Duration.ofSeconds(30)).succeeded()) {
            ProcessResult added =
                    processes.run(List.of("useradd", "--system", "--no-create-home", NAME), Duration.ofSeconds(60));
            if (!added.succeeded() && added.exitCode() != 9) {
                throw new IOException("useradd " + NAME + " exited " + added.exitCode() + ": " + added.stderr());
            }
        }
        Path work = dir.resolve("work");
        CondorAccount.layOut(work); // 0755, and the temporary directories above it opened
        chown(work);
        return new PoolUser(pool, work);
    }

    Path work() {
        return work;
    }

    /** Runs an HTCondor tool as the user in their working directory. */
    ProcessResult tool(String... command) throws IOException, InterruptedException {
        return pool.tool(NAME, work, command);
    }

    /** {@link #tool} killed after {@code limit} (exit 124): a probe of whether the tool works now. */
    ProcessResult toolWithin(Duration limit, String... command) throws IOException, InterruptedException {
        return pool.toolWithin(limit, NAME, work, command);
    }

    /** Writes {@code text} to the submit file {@code name} and submits it within {@code limit}; what it said. */
    ProcessResult trySubmit(Duration limit, String name, String text) throws IOException, InterruptedException {
        Path file = work.resolve(name);
        Files.writeString(file, text);
        chown(file);
        return toolWithin(limit, "condor_submit", file.toString());
    }

    /** Submits {@code text} as the submit file {@code name}; its cluster, or an AssertionError naming why not. */
    String submit(String name, String text) throws IOException, InterruptedException {
        ProcessResult submitted = trySubmit(Duration.ofSeconds(120), name, text);
        String cluster = cluster(submitted);
        if (cluster == null) {
            throw new AssertionError("condor_submit " + name + " as " + NAME + " exited " + submitted.exitCode() + ": "
                    + submitted.stdout() + submitted.stderr() + pool.diagnostics());
        }
        return cluster;
    }

    /** The cluster a successful condor_submit names, else null. */
    static String cluster(ProcessResult submitted) {
        Matcher m = CLUSTER.matcher(submitted.stdout());
        return submitted.succeeded() && m.find() ? m.group(1) : null;
    }

    /** What {@code htcondor annex create} runs as the user: a token for annex nodes, signed by the AP key. */
    String fetchToken() throws IOException, InterruptedException {
        ProcessResult fetched = tool(
                "condor_token_fetch",
                "-lifetime",
                "7776000",
                "-key",
                "AP",
                "-authz",
                "READ",
                "-authz",
                "ADVERTISE_STARTD",
                "-authz",
                "ADVERTISE_MASTER",
                "-authz",
                "WRITE");
        if (!fetched.succeeded() || fetched.stdout().isBlank()) {
            throw new AssertionError("condor_token_fetch as " + NAME + " exited " + fetched.exitCode() + ": "
                    + fetched.stderr() + pool.diagnostics());
        }
        return fetched.stdout().strip();
    }

    private static void chown(Path path) throws IOException, InterruptedException {
        ProcessResult chown = new SystemProcessRunner()
                .run(List.of("chown", NAME + ":" + NAME, path.toString()), Duration.ofSeconds(30));
        if (!chown.succeeded()) {
            throw new IOException("chown " + NAME + " " + path + ": " + chown.stderr());
        }
    }
}
