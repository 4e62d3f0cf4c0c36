package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.guard.GuardRuleset;
import org.seedagent.support.SystemProcessRunner;

/**
 * {@code seed-agent imds-guard} with a stand-in nft (a script that records what it was asked to load
 * and exits as told) and the real getent. The real nft, in a network namespace: ImdsGuardKernelIT.
 */
class ImdsGuardCommandTest {
    @TempDir
    Path tmp;

    private Path nft;
    private Path runtime;
    private Path config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        nft = tmp.resolve("nft");
        Files.writeString(nft, """
                #!/bin/bash
                # Stand-in nft: logs its arguments and the script it was given, exits as told.
                here=$(dirname "$0")
                echo "nft $*" >>"$here/nft.log"
                if [[ $1 == -f ]]; then cat "$2" >>"$here/loaded.nft"; echo "--- end" >>"$here/loaded.nft"; fi
                if [[ $1 == list ]]; then exit "$(cat "$here/table-exists" 2>/dev/null || echo 1)"; fi
                if [[ -f $here/fail ]]; then echo "Error: Could not process rule: Operation not permitted" >&2; exit 1; fi
                exit 0
                """);
        Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwxr-xr-x"));
        runtime = tmp.resolve("run");
        config = tmp.resolve("seed-agent.conf");
    }

    @Test
    void apply_resolvesAccounts_loadsOneScript_recordsIt() throws Exception {
        Files.writeString(config, "imds-guard.allow-users = nobody, 4242\nimds-guard.allow-groups = root\n");

        int exit = run("imds-guard", "apply");

        assertEquals(ExitCode.OK, exit, err());
        String loaded = Files.readString(tmp.resolve("loaded.nft"));
        assertTrue(loaded.contains("elements = { 0, 65534, 4242 }"), loaded);
        assertTrue(loaded.contains("# Groups (a process's effective group): root (0)"), loaded);
        assertEquals(
                loaded,
                Files.readString(runtime.resolve("ruleset.nft")) + "--- end\n",
                "the record is exactly what nft loaded");
        assertEquals(List.of("ruleset.nft"), list(runtime), "no temporary file left");
        assertEquals(
                "applied table inet seed_agent_imds_guard: only root, user nobody (65534), user 4242, group root"
                        + " (0) may reach 169.254.169.254 and fd00:ec2::254; everyone else is rejected\n",
                out());
        assertEquals("", err());
    }

    @Test
    void apply_disabled_removesTheTableAndTheRecord() throws Exception {
        Files.writeString(config, "imds-guard.enabled = false\n");
        Files.createDirectories(runtime);
        Files.writeString(runtime.resolve("ruleset.nft"), "old");

        assertEquals(ExitCode.OK, run("imds-guard", "apply"), err());

        assertEquals(GuardRuleset.removal() + "--- end\n", Files.readString(tmp.resolve("loaded.nft")));
        assertFalse(Files.exists(runtime.resolve("ruleset.nft")));
        assertTrue(out().startsWith("imds-guard.enabled = false: removed table inet seed_agent_imds_guard"), out());
    }

    @Test
    void apply_unknownUser_warnsAndAppliesTheRest() throws Exception {
        Files.writeString(config, "imds-guard.allow-users = no-such-user-seed-agent 4242\n");

        assertEquals(ExitCode.OK, run("imds-guard", "apply"));

        assertTrue(Files.readString(tmp.resolve("loaded.nft")).contains("elements = { 0, 4242 }"));
        assertTrue(
                err().contains("warning: not allowed, because they could not be resolved: user"
                        + " no-such-user-seed-agent (no such user); create them, then systemctl reload"
                        + " seed-agent-imds-guard.service"),
                err());
    }

    @Test
    void apply_allowedIdInAUsersSubordinateRange_refusedWithTheReason_theRestApplied() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(etc.resolve("subuid"), "bob:100000:65536\nmalformed line\n");
        Files.writeString(etc.resolve("subgid"), "bob:200000:65536\n");
        Files.writeString(config, "imds-guard.allow-users = 100500, 4242\nimds-guard.allow-groups = 200001, 0\n");

        assertEquals(ExitCode.OK, run("imds-guard", "apply", "--etc", etc.toString()));

        String loaded = Files.readString(tmp.resolve("loaded.nft"));
        assertTrue(loaded.contains("elements = { 0, 4242 }"), loaded);
        assertFalse(loaded.contains("100500") || loaded.contains("200001"), loaded);
        assertTrue(
                err().contains("warning: not allowed, because their id is another user's to take: user 100500 (in"
                        + " bob's subordinate uid range 100000-165535, /etc/subuid: bob can take that uid in a user namespace),"
                        + " group 200001 (in bob's subordinate gid range 200000-265535, /etc/subgid"),
                err());
        assertTrue(
                out().contains("only root, user 4242, group root (0)") || out().contains("only root, user 4242"),
                out());
    }

    @Test
    void apply_underSystemd_warningAndErrorLinesCarryJournalPriorities() throws Exception {
        environment = Map.of("JOURNAL_STREAM", "8:1234");
        Files.writeString(config, "imds-guard.allow-users = no-such-user-seed-agent\n");
        assertEquals(ExitCode.OK, run("imds-guard", "apply"));
        assertTrue(err().startsWith("<4>seed-agent imds-guard apply: warning: not allowed"), err());

        Files.writeString(tmp.resolve("fail"), "");
        assertEquals(ImdsGuardCommand.NFT_FAILED, run("imds-guard", "apply"));
        assertTrue(err().contains("<3>seed-agent imds-guard apply: "), err());
    }

    @Test
    void apply_invalidConfiguration_noTable_appliesRootOnly_exit78() throws Exception {
        Files.writeString(config, "imds-guard.allow-users = alice; flush ruleset\n");

        int exit = run("imds-guard", "apply");

        assertEquals(ExitCode.CONFIG, exit);
        assertTrue(err().contains("invalid value \"alice; flush ruleset\" for key imds-guard.allow-users"), err());
        assertTrue(err().contains("applied the root-only rule set until the configuration is fixed"), err());
        assertEquals(
                GuardRuleset.render(List.of(), List.of()) + "--- end\n", Files.readString(tmp.resolve("loaded.nft")));
    }

    @Test
    void apply_invalidConfiguration_tableInForce_keepsIt_exit78() throws Exception {
        Files.writeString(config, "imds-guard.enabled = yes please\n");
        Files.writeString(tmp.resolve("table-exists"), "0");

        assertEquals(ExitCode.CONFIG, run("imds-guard", "apply"));

        assertTrue(err().contains("the rule set in force is kept"), err());
        assertFalse(Files.exists(tmp.resolve("loaded.nft")), "nothing loaded");
        assertEquals("nft list table inet seed_agent_imds_guard\n", Files.readString(tmp.resolve("nft.log")));
    }

    @Test
    void apply_nftFails_exit71_withNftsMessage_noRecord() throws Exception {
        Files.writeString(config, "");
        Files.writeString(tmp.resolve("fail"), "");

        assertEquals(ImdsGuardCommand.NFT_FAILED, run("imds-guard", "apply"));

        assertTrue(err().contains("exited 1: Error: Could not process rule: Operation not permitted"), err());
        assertEquals(List.of(), list(runtime), "no record of a rule set that is not in force");
    }

    @Test
    void print_loadsNothing() throws Exception {
        Files.writeString(config, "imds-guard.allow-users = 4242\n");

        assertEquals(ExitCode.OK, run("imds-guard", "print"));

        assertEquals(GuardRuleset.render(List.of(new org.seedagent.guard.Account(null, 4242)), List.of()), out());
        assertFalse(Files.exists(tmp.resolve("nft.log")));
    }

    @Test
    void remove_deletesOnlyItsTable() throws Exception {
        assertEquals(ExitCode.OK, run("imds-guard", "remove"));

        assertEquals(GuardRuleset.removal() + "--- end\n", Files.readString(tmp.resolve("loaded.nft")));
    }

    /**
     * The record goes before the table (else the watch would put the table back), but when nft fails the table
     * stays in force, and so must its record (issue 21 review: it was lost, and status said "not applied").
     */
    @Test
    void remove_nftFails_recordKept_nftSucceeds_recordGone() throws Exception {
        Files.writeString(config, "imds-guard.allow-users = 4242\n");
        assertEquals(ExitCode.OK, run("imds-guard", "apply"));
        String applied = Files.readString(runtime.resolve("ruleset.nft"));

        Files.writeString(tmp.resolve("fail"), "");
        assertEquals(ImdsGuardCommand.NFT_FAILED, run("imds-guard", "remove"));
        assertEquals(applied, Files.readString(runtime.resolve("ruleset.nft")), "the record of the table in force");
        assertEquals(List.of("ruleset.nft"), list(runtime), "nothing set aside is left");

        Files.delete(tmp.resolve("fail"));
        assertEquals(ExitCode.OK, run("imds-guard", "remove"));
        assertEquals(List.of(), list(runtime));
    }

    @Test
    void usage_noActionOrTwo_exit2() throws Exception {
        assertEquals(ExitCode.USAGE, run("imds-guard"));
        assertTrue(err().contains("imds-guard: say apply, remove or print"), err());
        assertEquals(ExitCode.USAGE, run("imds-guard", "apply", "remove"));
        assertEquals(ExitCode.USAGE, run("imds-guard", "apply", "--nft", "nft"));
    }

    private Map<String, String> environment = Map.of();

    private int run(String... args) throws Exception {
        out.reset();
        err.reset();
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                environment,
                Clock.systemUTC(),
                new SystemProcessRunner(),
                settings -> {
                    throw new AssertionError("imds-guard reads no metadata");
                },
                config,
                true);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--nft", nft.toString(), "--runtime-directory", runtime.toString()));
        return new Main(context).run(all.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
