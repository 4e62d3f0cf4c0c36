package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seedagent.reliability.Figures;
import org.seedagent.testing.Dist;
import org.seedagent.testing.Trees;

/**
 * Issue 21: {@code nft flush ruleset} (what EL9's nftables.service runs on reload and stop) removed the guard,
 * and nothing put it back. The watch ({@code packaging/imds-guard-watch}, run by
 * seed-agent-imds-guard-watch.service) follows nftables' table events and loads the applied rule set again. On
 * a real kernel, in a network namespace of the test's own (as ImdsGuardKernelIT): the guard applied by the
 * program, the watch running, then a flush, and a rule set loaded the way nftables.service loads its own
 * (starting with {@code flush ruleset}); each time an unprivileged user is refused again within the stated
 * time, and the other table stays.
 */
class ImdsGuardWatchIT {
    private static final String V4 = "169.254.169.254";
    /** The stated bound (README): the watch reacts to the event, measured in tens of milliseconds. */
    private static final long RESTORED_WITHIN_MS = 5_000;

    private static Path tmp;
    private static TestNetns namespace;
    private static Process standIn;
    private static Process watch;

    @BeforeAll
    static void namespaceGuardAndWatch() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (CI runs as root)");
        tmp = Files.createTempDirectory("seed-agent-guard-watch-it");
        namespace = TestNetns.create(tmp);
        in("ip", "link", "set", "lo", "up").ok();
        in("ip", "addr", "add", V4 + "/32", "dev", "lo").ok();
        Path script = Path.of("src/test/resources/guard/imds_standin.py").toAbsolutePath();
        standIn = new ProcessBuilder(nsenter("python3", script.toString(), V4))
                .redirectError(tmp.resolve("standin.err()").toFile()).start();
        assertEquals("ready\n", new String(standIn.getInputStream().readNBytes(6), StandardCharsets.UTF_8));
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(config, "metadata.endpoint = http://" + V4 + "\n");
        in(Dist.launcher().toString(), "--config", config.toString(), "imds-guard", "apply", "--runtime-directory",
                tmp.resolve("run").toString()).ok();
        watch = new ProcessBuilder(nsenter(Path.of("packaging/imds-guard-watch").toAbsolutePath().toString(),
                tmp.resolve("run/ruleset.nft").toString(), Path.of("packaging/imds-guard.nft").toAbsolutePath()
                        .toString())).redirectErrorStream(true).redirectOutput(tmp.resolve("watch.log").toFile()).start();
        Thread.sleep(500); // nft monitor subscribes
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process p : new Process[] {watch, standIn}) {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (namespace != null) {
            namespace.close();
        }
        if (tmp != null) {
            Trees.delete(tmp);
        }
    }

    @Test
    void flushRuleset_andNftablesServiceStyleLoad_guardBackWithinTheStatedTime_otherTableKept() throws Exception {
        assertEquals(7, curl(65534).exit(), "the guard holds before the flush");

        long flushed = restoredAfter("nft", "flush", "ruleset");

        Path nftablesConf = tmp.resolve("main.nft");
        Files.writeString(nftablesConf, "flush ruleset\ntable inet filter {\n\tchain input {\n\t\ttype filter hook"
                + " input priority 0; policy accept;\n\t}\n}\n");
        long reloaded = restoredAfter("nft", "-f", nftablesConf.toString());
        assertEquals(0, in("nft", "list", "table", "inet", "filter").exit(), "the host's own table stays");
        assertEquals(0, curl(0).exit(), "root reaches the service throughout");
        String log = Files.readString(tmp.resolve("watch.log"));
        assertTrue(log.contains("<4>the guard's table inet seed_agent_imds_guard was gone (a flush?): loaded the rule"
                + " set in force again from"), log);

        Figures.of("imds-guard watch (issue 21)").with("flush_restored_ms", flushed)
                .with("nftables_conf_restored_ms", reloaded).with("bound_ms", RESTORED_WITHIN_MS).record();
    }

    /** Runs {@code command} (which removes the guard's table), then the time until uid 65534 is refused again. */
    private static long restoredAfter(String... command) throws Exception {
        long start = System.nanoTime();
        in(command).ok();
        while (true) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (in("nft", "list", "table", "inet", "seed_agent_imds_guard").exit() == 0 && curl(65534).exit() == 7) {
                return millis;
            }
            assertTrue(millis < RESTORED_WITHIN_MS, "the guard is not back within " + RESTORED_WITHIN_MS + " ms after "
                    + String.join(" ", command) + ": " + Files.readString(tmp.resolve("watch.log")));
            Thread.sleep(10);
        }
    }

    private static TestNetns.Result curl(long uid) throws Exception {
        return in("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--", "curl", "-sS", "-o",
                "/dev/null", "--max-time", "5", "http://" + V4 + "/");
    }

    private static TestNetns.Result in(String... command) throws Exception {
        return namespace.in(command);
    }

    private static List<String> nsenter(String... command) {
        return namespace.nsenter(command);
    }
}
