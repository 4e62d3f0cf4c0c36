package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seedagent.reliability.Figures;
import org.seedagent.testing.Await;
import org.seedagent.testing.Dist;

/**
 * Issue 21: {@code systemctl restart seed-agent-imds-guard} deleted the table (ExecStop) before the start loaded
 * it again; a connection made in that moment outlived the guard's return. The unit's stop now fails closed (it
 * loads the root-only rule set, and leaves it). Proven on a real kernel, in a network namespace of the test's
 * own: the commands the unit file itself names (ExecStartPre, ExecStart, then ExecStop, ExecStartPre,
 * ExecStart: a restart), with {@code nft monitor} following every table event and every transaction ("# new
 * generation"): after none of them may the table be gone. The real unit under systemd: the RPM e2e.
 */
class ImdsGuardRestartIT {
    private static final String V4 = "169.254.169.254";
    private static final Path UNIT = Path.of("systemd/seed-agent-imds-guard.service");
    private static final String TABLE = "table inet seed_agent_imds_guard";

    private static Path tmp;
    private static TestNetns namespace;
    private static Process standIn;

    @BeforeAll
    static void namespaceWithStandIn() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (CI runs as root)");
        tmp = Files.createTempDirectory("seed-agent-guard-restart-it");
        namespace = TestNetns.create(tmp);
        namespace.in("ip", "link", "set", "lo", "up").ok();
        namespace.in("ip", "addr", "add", V4 + "/32", "dev", "lo").ok();
        standIn = namespace.standIn(V4);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        TestNetns.closeAll(tmp, namespace, standIn);
    }

    @Test
    void restartByTheUnitsOwnCommands_neverATransactionWithoutTheTable_stopLeavesRootOnly() throws Exception {
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(config, "metadata.endpoint = http://" + V4 + "\nimds-guard.allow-users = 4242\n");
        List<String> unit = Files.readAllLines(UNIT);
        List<List<String>> start = new ArrayList<>(commands(unit, "ExecStartPre", config));
        start.addAll(commands(unit, "ExecStart", config));
        List<List<String>> stop = commands(unit, "ExecStop", config);
        assertTrue(
                String.join(" ", stop.get(0))
                        .contains(
                                "nft -f " + Path.of("packaging/imds-guard.nft").toAbsolutePath()),
                "the stop loads the root-only rule set: " + stop);

        runAll(start);
        assertEquals(7, curl(5001).exit(), "the guard holds after the start");
        assertEquals(0, curl(4242).exit(), "the listed uid reaches the service");

        Path events = tmp.resolve("monitor.txt");
        Process monitor = new ProcessBuilder(namespace.nsenter("nft", "monitor"))
                .redirectErrorStream(true)
                .redirectOutput(events.toFile())
                .start();
        try {
            // nft monitor subscribes asynchronously: a table of no consequence, until its event is seen.
            awaitEvent(events, "add table ip seed_agent_restart_it_probe", "ip", "seed_agent_restart_it_probe");
            runAll(stop);
            String afterStop = namespace
                    .in("nft", "list", "table", "inet", "seed_agent_imds_guard")
                    .ok()
                    .out();
            assertTrue(afterStop.contains("elements = { 0 }"), "a stopped guard leaves root-only:\n" + afterStop);
            assertEquals(7, curl(4242).exit(), "stopped: even the listed uid is refused (root only)");
            runAll(start);
            awaitEvent(events, "add table ip seed_agent_restart_it_done", "ip", "seed_agent_restart_it_done");
        } finally {
            monitor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        List<String> lines = Files.readAllLines(events);
        int transactions = 0;
        int gaps = 0;
        boolean present = true;
        for (String line : lines) {
            if (line.equals("delete " + TABLE)) {
                present = false;
            } else if (line.equals("add " + TABLE)) {
                present = true;
            } else if (line.startsWith("# new generation")) {
                transactions++;
                gaps += present ? 0 : 1;
            }
        }
        assertTrue(
                lines.contains("delete " + TABLE) && lines.contains("add " + TABLE),
                "the restart replaced the" + " table (else this proves nothing):\n" + String.join("\n", lines));
        assertEquals(0, gaps, "transactions after which the guard's table was gone:\n" + String.join("\n", lines));
        assertEquals(7, curl(5001).exit());
        assertEquals(0, curl(4242).exit(), "the configured rule set is back after the start");

        // imds-guard.enabled = false: apply removes the table and its record; a stop then loads nothing.
        Files.writeString(config, "metadata.endpoint = http://" + V4 + "\nimds-guard.enabled = false\n");
        runAll(commands(unit, "ExecStart", config));
        assertEquals(
                1,
                namespace
                        .in("nft", "list", "table", "inet", "seed_agent_imds_guard")
                        .exit(),
                "removed");
        runAll(stop);
        assertEquals(
                1,
                namespace
                        .in("nft", "list", "table", "inet", "seed_agent_imds_guard")
                        .exit(),
                "a guard off by its configuration stays off when stopped");
        assertEquals(0, curl(5001).exit());

        Figures.of("imds-guard restart (issue 21)")
                .with("transactions", transactions)
                .with("without_table", gaps)
                .record();
    }

    /**
     * The unit's {@code key=} command lines, with the installed paths pointed at this build (inside a {@code /bin/sh
     * -c '...'} script too).
     */
    private static List<List<String>> commands(List<String> unit, String key, Path config) {
        List<List<String>> commands = new ArrayList<>();
        for (String line : unit) {
            if (!line.startsWith(key + "=")) {
                continue;
            }
            String value = line.substring(key.length() + 1).trim();
            if (value.startsWith("/bin/sh -c '") && value.endsWith("'")) {
                commands.add(
                        List.of("sh", "-c", installed(value.substring("/bin/sh -c '".length(), value.length() - 1))));
                continue;
            }
            List<String> words = new ArrayList<>(List.of(installed(value).split("\\s+")));
            if (words.get(0).equals(Dist.launcher().toString())) {
                words.addAll(1, List.of("--config", config.toString()));
                words.addAll(List.of("--runtime-directory", tmp.resolve("run").toString()));
            }
            commands.add(words);
        }
        assertTrue(!commands.isEmpty(), "no " + key + "= in " + UNIT);
        return commands;
    }

    private static String installed(String text) {
        return text.replace("/usr/sbin/nft", "nft")
                .replace(
                        "/usr/share/seed-agent/imds-guard.nft",
                        Path.of("packaging/imds-guard.nft").toAbsolutePath().toString())
                .replace("/usr/bin/seed-agent", Dist.launcher().toString())
                .replace("/run/seed-agent-imds-guard", tmp.resolve("run").toString());
    }

    private static void runAll(List<List<String>> commands) throws Exception {
        for (List<String> command : commands) {
            namespace.in(command.toArray(String[]::new)).ok();
        }
    }

    /** Adds and deletes a table of no consequence until {@code nft monitor} has printed {@code event}. */
    private static void awaitEvent(Path events, String event, String family, String name) throws Exception {
        Await.that("nft monitor to print '" + event + "'", Duration.ofSeconds(30))
                .every(Duration.ofMillis(20))
                .detail(() -> Files.readString(events))
                .until(() -> {
                    namespace.in("nft", "add", "table", family, name).ok();
                    namespace.in("nft", "delete", "table", family, name).ok();
                    return Files.readAllLines(events).contains(event);
                });
    }

    private static TestNetns.Result curl(long uid) throws Exception {
        return namespace.curlAs(uid, "http://" + V4 + "/");
    }
}
