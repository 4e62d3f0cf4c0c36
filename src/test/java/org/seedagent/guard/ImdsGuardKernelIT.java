package org.seedagent.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.testing.Dist;

/**
 * The guard on a real kernel: the built program and the real nft, inside a network namespace this
 * test creates ({@code unshare --net}), where 169.254.169.254 and fd00:ec2::254 are made local on lo
 * and a stand-in metadata service listens on port 80 of both. No packet leaves the namespace, and the
 * host's rule set is never touched (every nft runs inside it). Accounts are switched with setpriv, so
 * no user is created: uids and gids need no passwd entry to own a socket.
 *
 * <p>The steps build on each other (one namespace, in order): before the guard, with it, re-applied
 * (what a restart of the unit does), changed (a reload), removed; another table stays untouched
 * throughout. Needs root, nft, unshare, nsenter, setpriv, python3 and curl; skipped otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImdsGuardKernelIT {
    private static final String V4 = "169.254.169.254";
    private static final String V6 = "fd00:ec2::254";
    private static final long ALLOWED_UID = 4242;
    private static final long ALLOWED_GID = 4343;
    private static final long OTHER = 5001;

    private static Path tmp;
    private static TestNetns namespace;
    private static Process standIn;
    private static Path launcher;
    private static Path config;
    private static Path runtime;
    private static String otherTableBefore;

    @BeforeAll
    static void namespaceWithStandInMetadataService() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (CI runs as root)");
        for (String tool : List.of("nft", "unshare", "nsenter", "setpriv", "python3", "curl", "ip")) {
            assumeTrue(TestNetns.onPath(tool), tool + " is not installed");
        }
        launcher = Dist.launcher();
        tmp = Files.createTempDirectory("seed-agent-guard-it");
        runtime = tmp.resolve("run");
        config = tmp.resolve("seed-agent.conf");
        writeConfig("imds-guard.allow-users = " + ALLOWED_UID + "\nimds-guard.allow-groups = " + ALLOWED_GID + "\n");
        namespace = TestNetns.create(tmp);
        in("ip", "link", "set", "lo", "up").ok();
        in("ip", "addr", "add", V4 + "/32", "dev", "lo").ok();
        in("ip", "-6", "addr", "add", V6 + "/128", "dev", "lo", "nodad").ok();
        standIn = namespace.standIn(V4, V6);
        // Someone else's firewall, which the guard must never touch.
        in("nft", "add", "table", "ip", "other_firewall").ok();
        in(
                        "nft",
                        "add",
                        "chain",
                        "ip",
                        "other_firewall",
                        "out",
                        "{ type filter hook output priority 10; policy accept; }")
                .ok();
        in("nft", "add", "rule", "ip", "other_firewall", "out", "ip", "daddr", "192.0.2.1", "counter", "drop")
                .ok();
        otherTableBefore = in("nft", "list", "table", "ip", "other_firewall").ok();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        TestNetns.closeAll(tmp, namespace, standIn);
    }

    @Test
    @Order(1)
    void withoutGuard_everyoneConnects_checkFails() throws Exception {
        for (long uid : new long[] {0, 65534, OTHER}) {
            for (String host : List.of(V4, "[" + V6 + "]")) {
                assertEquals(0, curl(uid, uid, host).exit, "uid " + uid + " to " + host);
            }
        }
        CheckResult result = check();
        assertEquals("failure", result.severity().name().toLowerCase(), result.toString());
        assertTrue(
                result.finding()
                        .startsWith("an unprivileged user connected to the instance"
                                + " metadata service at 169.254.169.254:80, so any local user can read the instance profile's"
                                + " temporary credentials"),
                result.toString());
    }

    @Test
    @Order(2)
    void applied_rootAndAllowedConnect_othersRefusedAtOnce_bothFamilies() throws Exception {
        Result apply = guard("apply");
        assertEquals(0, apply.exit, apply.toString());
        assertTrue(
                apply.out.startsWith("applied table inet seed_agent_imds_guard: only root, user 4242, group 4343"),
                apply.out);
        assertGuardHolds(List.of());
        assertEquals(
                otherTableBefore,
                in("nft", "list", "table", "ip", "other_firewall").ok());
    }

    @Test
    @Order(3)
    void applied_checkProbesAsNobody_ok() throws Exception {
        CheckResult result = check();
        assertEquals("ok", result.severity().name().toLowerCase(), result.toString());
        assertTrue(
                result.finding()
                        .startsWith("an unprivileged user's connection to"
                                + " 169.254.169.254:80 was rejected at once (Connection refused"),
                result.toString());
        assertTrue(result.finding().contains("found out by: a child process as uid 65534 (setpriv"), result.toString());
    }

    @Test
    @Order(4)
    void reapplied_asAtRestart_sameRuleSet_oneTable_stillHolds() throws Exception {
        String before =
                in("nft", "list", "table", "inet", "seed_agent_imds_guard").ok();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, guard("apply").exit);
        }
        assertEquals(
                before,
                in("nft", "list", "table", "inet", "seed_agent_imds_guard").ok());
        String tables = in("nft", "list", "tables").ok();
        assertEquals(
                List.of("table inet seed_agent_imds_guard", "table ip other_firewall"),
                tables.lines().sorted().toList());
        assertGuardHolds(List.of());
        // The shipped root-only file (the unit loads it before the JVM starts) replaces it the same way.
        in("nft", "-f", Path.of("packaging/imds-guard.nft").toAbsolutePath().toString())
                .ok();
        assertEquals(
                1,
                in("nft", "list", "tables")
                        .ok()
                        .lines()
                        .filter(l -> l.contains("seed_agent"))
                        .count());
        assertEquals(7, curl(ALLOWED_UID, 100, V4).exit, "root only: the allowed user is refused now");
        assertEquals(0, guard("apply").exit);
        assertEquals(
                otherTableBefore,
                in("nft", "list", "table", "ip", "other_firewall").ok());
    }

    @Test
    @Order(5)
    void configurationChanged_reapplied_newAccountConnects() throws Exception {
        writeConfig("imds-guard.allow-users = " + ALLOWED_UID + " " + OTHER + "\nimds-guard.allow-groups = "
                + ALLOWED_GID + "\n");
        assertEquals(0, guard("apply").exit);
        assertGuardHolds(List.of(OTHER));

        writeConfig("imds-guard.allow-users = not valid!\n");
        Result invalid = guard("apply");
        assertEquals(78, invalid.exit, invalid.toString());
        assertTrue(invalid.err.contains("the rule set in force is kept"), invalid.err);
        assertEquals(0, curl(OTHER, OTHER, V4).exit, "an invalid configuration keeps the rule set in force");
    }

    @Test
    @Order(6)
    void removed_onlyItsTableGoes_everyoneConnectsAgain() throws Exception {
        Result remove = guard("remove");
        assertEquals(0, remove.exit, remove.toString());
        assertEquals(
                List.of("table ip other_firewall"),
                in("nft", "list", "tables").ok().lines().toList());
        assertEquals(
                otherTableBefore,
                in("nft", "list", "table", "ip", "other_firewall").ok());
        assertEquals(0, curl(65534, 65534, V4).exit);
        assertEquals(0, curl(65534, 65534, "[" + V6 + "]").exit);
        assertEquals(0, guard("remove").exit, "removing an absent guard is no error");

        Result failClosed = guard("apply");
        assertEquals(78, failClosed.exit, "the configuration is still invalid");
        assertTrue(failClosed.err.contains("applied the root-only rule set"), failClosed.err);
        assertEquals(7, curl(65534, 65534, V4).exit, "no guard and an invalid configuration: root only");
        assertEquals(0, curl(0, 0, V4).exit);
        assertEquals(0, guard("remove").exit);
    }

    /** Root, the allowed user, the allowed group (and {@code alsoAllowed}) connect; nobody and others are refused. */
    private static void assertGuardHolds(List<Long> alsoAllowed) throws Exception {
        List<String> figures = new ArrayList<>();
        for (String host : List.of(V4, "[" + V6 + "]")) {
            assertEquals(0, curl(0, 0, host).exit, "root to " + host);
            assertEquals(0, curl(ALLOWED_UID, 100, host).exit, "allowed uid to " + host);
            assertEquals(0, curl(7777, ALLOWED_GID, host).exit, "allowed (effective) gid to " + host);
            for (long uid : new long[] {65534, OTHER}) {
                Curl refused = curl(uid, uid, host);
                if (alsoAllowed.contains(uid)) {
                    assertEquals(0, refused.exit, "uid " + uid + " was added to " + host);
                    continue;
                }
                // curl's 7 is "could not connect" (refused); a time-out would be 28.
                assertEquals(7, refused.exit, "uid " + uid + " to " + host + ": " + refused.err);
                assertTrue(
                        refused.err.contains("Connection refused") || refused.err.contains("Couldn't connect"),
                        refused.err);
                figures.add("uid " + uid + " " + host + " refused in " + refused.millis + " ms");
            }
            // A supplementary group does not count: the socket carries the effective gid only.
            Curl supplementary = curl(OTHER, OTHER, host, "--groups=" + ALLOWED_GID);
            assertEquals(alsoAllowed.contains(OTHER) ? 0 : 7, supplementary.exit, supplementary.err);
        }
        System.out.println("IMDS-GUARD\t" + String.join("\t", figures));
    }

    private static CheckResult check() throws Exception {
        Result check = in(launcher.toString(), "--config", config.toString(), "check", "--format", "json");
        return CheckReport.parse(check.out).results().stream()
                .filter(r -> r.id().equals("imds-guard"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no imds-guard result: " + check));
    }

    private static Result guard(String action) throws Exception {
        return in(
                launcher.toString(),
                "--config",
                config.toString(),
                "imds-guard",
                action,
                "--runtime-directory",
                runtime.toString());
    }

    private static void writeConfig(String guardSettings) throws IOException {
        Files.writeString(
                config,
                "metadata.endpoint = http://" + V4 + "\nmetadata.deadline = 20s\n"
                        + "condor.config-val = /nonexistent/condor_config_val\n" + guardSettings);
    }

    private record Curl(int exit, String err, long millis) {}

    private static Curl curl(long uid, long gid, String host, String... groups) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
        command.addAll(groups.length > 0 ? List.of(groups) : List.of("--clear-groups"));
        command.addAll(List.of("--", "curl", "-sS", "-o", "/dev/null", "--max-time", "15", "http://" + host + "/"));
        long start = System.nanoTime();
        Result r = in(command.toArray(String[]::new));
        return new Curl(r.exit, r.err, (System.nanoTime() - start) / 1_000_000);
    }

    private record Result(int exit, String out, String err) {
        String ok() {
            assertEquals(0, exit, toString());
            return out;
        }
    }

    /** Runs {@code command} inside the test's network namespace. */
    private static Result in(String... command) throws Exception {
        TestNetns.Result r = namespace.in(command);
        return new Result(r.exit(), r.out(), r.err());
    }

    private static List<String> nsenter(String... command) {
        return namespace.nsenter(command);
    }
}
