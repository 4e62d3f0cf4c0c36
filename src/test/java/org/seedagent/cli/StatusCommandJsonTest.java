package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.state.LocalToolsWindow;
import org.seedagent.status.SeedTree;

/** {@code seed-agent status --format json}: parsed back and checked against the documented schema. */
class StatusCommandJsonTest {
    /** Every top-level key of schema version 1, in order. */
    static final List<String> TOP_LEVEL = List.of(
            "schema_version",
            "generated_at",
            "health",
            "exit_code",
            "agent",
            "systemd",
            "address",
            "fragment",
            "htcondor",
            "advertised",
            "local_tools",
            "boot_sync",
            "last_poll",
            "last_success",
            "last_failure",
            "last_reload",
            "pending_reload",
            "checks",
            "instance",
            "spot_interruption",
            "changes",
            "restarts",
            "scheduled_events",
            "elastic_ip",
            "findings",
            "stranded_annexes",
            "runtime");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SeedTree.Processes processes = new SeedTree.Processes();

    private int run(SeedTree seed, String... arguments) throws Exception {
        out.reset();
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.fixed(SeedTree.NOW, ZoneOffset.UTC),
                processes,
                settings -> {
                    throw new AssertionError("no metadata");
                },
                seed.agentConfig,
                true);
        return new StatusCommand(() -> Optional.of(SeedTree.BOOT), d -> {}, seed.root).run(context, List.of(arguments));
    }

    private Map<String, Object> json() throws Exception {
        return JSON.std.mapFrom(out.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthySeed_everySchemaField() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);

        assertEquals(0, run(seed, "--format", "json"));

        Map<String, Object> doc = json();
        assertEquals(TOP_LEVEL, List.copyOf(doc.keySet()));
        assertEquals(1, doc.get("schema_version"));
        assertEquals("2025-01-01T12:00:00Z", doc.get("generated_at"));
        assertEquals("healthy", doc.get("health"));
        assertEquals(0, doc.get("exit_code"));

        Map<String, Object> agent = object(doc, "agent");
        assertEquals(
                List.of(
                        "state",
                        "detail",
                        "state_file",
                        "state_file_error",
                        "pid",
                        "version",
                        "started_at",
                        "heartbeat",
                        "stale_after_seconds",
                        "boot_time"),
                List.copyOf(agent.keySet()));
        assertEquals("running", agent.get("state"));
        assertEquals(seed.stateFile().toString(), agent.get("state_file"));
        assertEquals(4242, agent.get("pid"));
        assertEquals("2025-01-01T11:59:40Z", agent.get("heartbeat"));
        assertEquals(420, agent.get("stale_after_seconds"));
        assertEquals("2025-01-01T09:59:30Z", agent.get("boot_time"));

        Map<String, Object> systemd = object(doc, "systemd");
        assertEquals(true, systemd.get("available"));
        assertEquals("seed-agent.service", systemd.get("unit"));
        assertEquals("active", systemd.get("active_state"));
        assertEquals("running", systemd.get("sub_state"));
        assertEquals(4242, systemd.get("main_pid"));
        assertEquals("TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)", systemd.get("status_text"));
        assertNull(systemd.get("error"));

        assertEquals(
                Map.of("current", "203.0.113.10", "kind", "public", "since", "2025-01-01T10:00:05Z"),
                doc.get("address"));

        Map<String, Object> fragment = object(doc, "fragment");
        assertEquals(seed.fragment.toString(), fragment.get("path"));
        assertEquals(true, fragment.get("present"));
        assertEquals(true, fragment.get("matches"));
        assertEquals(fragment.get("expected_sha256"), fragment.get("sha256"));
        assertEquals(SeedTree.sha256(seed.fragmentText(SeedTree.ADDRESS)), fragment.get("sha256"));

        Map<String, Object> htcondor = object(doc, "htcondor");
        assertEquals("203.0.113.10", htcondor.get("tcp_forwarding_host"));
        assertEquals(seed.fragment + ", line 7", htcondor.get("location"));
        assertEquals(true, htcondor.get("in_effect"));
        assertNull(htcondor.get("error"));
        assertEquals("24.0.23", htcondor.get("release"));
        assertEquals("condor_annex", htcondor.get("annex_tool"));
        assertNull(htcondor.get("annex_collector"));
        assertNull(doc.get("stranded_annexes"), "asked only by --long on an htcondor annex seed");
        assertNull(doc.get("runtime"), "no agent process in the test tree's /proc");

        Map<String, Object> advertised = object(doc, "advertised");
        assertEquals("live", advertised.get("source"));
        assertEquals(true, advertised.get("caught_up"));
        assertEquals("caught-up", advertised.get("progress"));
        assertEquals(
                Map.of("master", "203.0.113.10", "schedd", "203.0.113.10", "collector", "203.0.113.10"),
                advertised.get("addresses"));
        List<Map<String, Object>> files = (List<Map<String, Object>>) advertised.get("files");
        assertEquals(
                List.of("master", "schedd", "collector"),
                files.stream().map(f -> f.get("daemon")).toList());
        assertEquals(seed.scheddAddress.toString(), files.get(1).get("file"));

        assertEquals("ok", object(doc, "last_poll").get("result"));
        assertEquals(
                Map.of(
                        "time",
                        "2025-01-01T10:00:05Z",
                        "result",
                        "done",
                        "detail",
                        "systemctl reload condor.service",
                        "method",
                        "reload"),
                doc.get("last_reload"));

        Map<String, Object> checks = object(doc, "checks");
        assertEquals(Map.of("ok", 4, "info", 1, "warning", 0, "failure", 0), checks.get("summary"));
        assertEquals(5, ((List<?>) checks.get("results")).size());
        assertEquals("i-0123456789abcdef0", object(doc, "instance").get("id"));
        assertEquals(
                List.of(Map.of("time", "2025-01-01T10:00:05Z", "from", "198.51.100.23", "to", "203.0.113.10")),
                ((List<?>) doc.get("changes")).subList(1, 2));
        // Only the note on the seed's last address change (it was at 198.51.100.23 before): no problem.
        assertEquals(
                List.of(Map.of("level", "note", "part", "changes")),
                ((List<Map<String, Object>>) doc.get("findings"))
                        .stream()
                                .map(f -> Map.of("level", f.get("level"), "part", f.get("part")))
                                .toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void failingSeed_findingsCarryLevelPartTextAndRemedy_exitCodeMatches() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.overrideForwarding("198.51.100.7");
        seed.advertise("198.51.100.7", "198.51.100.7", "198.51.100.7");

        assertEquals(1, run(seed, "--format=json"));

        Map<String, Object> doc = json();
        assertEquals("needs-attention", doc.get("health"));
        assertEquals(1, doc.get("exit_code"));
        assertEquals(false, object(doc, "htcondor").get("in_effect"));
        assertEquals("configured-otherwise", object(doc, "advertised").get("progress"));
        List<Map<String, Object>> findings = ((List<Map<String, Object>>) doc.get("findings"))
                .stream().filter(f -> !"note".equals(f.get("level"))).toList();
        assertEquals(1, findings.size(), findings::toString);
        assertEquals(
                List.of("level", "part", "text", "remedy"),
                List.copyOf(findings.get(0).keySet()));
        assertEquals("failure", findings.get(0).get("level"));
        assertEquals("htcondor", findings.get(0).get("part"));
        assertTrue(((String) findings.get(0).get("remedy")).contains("99-local"));
    }

    @Test
    void neverRan_everyTopLevelKeyStillPresent_stateDependentOnesNull() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        Files.delete(seed.stateFile());
        processes.systemctl = c -> SeedTree.Processes.absent();

        assertEquals(3, run(seed, "--format", "json"));

        Map<String, Object> doc = json();
        assertEquals(TOP_LEVEL, List.copyOf(doc.keySet()));
        assertEquals("not-running", doc.get("health"));
        assertEquals("never-ran", object(doc, "agent").get("state"));
        assertNull(doc.get("address"));
        assertNull(doc.get("last_poll"));
        assertEquals(List.of(), doc.get("changes"));
        assertEquals(false, object(doc, "systemd").get("available"));
        assertEquals(
                "systemctl cannot be run: No such file or directory",
                object(doc, "systemd").get("error"));
    }

    @Test
    void corruptStateFile_jsonSaysWhy() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        Files.writeString(seed.stateFile(), "[1, 2");

        assertEquals(3, run(seed, "--format", "json"));

        Map<String, Object> agent = object(json(), "agent");
        assertEquals("unknown", agent.get("state"));
        assertTrue(((String) agent.get("state_file_error")).startsWith("not valid JSON"), agent::toString);
    }

    @Test
    void json_ignoresLong_alwaysComplete() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);

        run(seed, "--format", "json");
        String plain = out.toString(StandardCharsets.UTF_8);
        run(seed, "--format", "json", "--long");

        assertEquals(plain, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void json_isValidWithHostileTextInTheStateFile() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.state.lastPoll =
                org.seedagent.state.Poll.failed(SeedTree.NOW, "quote \" backslash \\ newline \n escape \u001b[31m");
        seed.saveState();

        assertEquals(2, run(seed, "--format", "json"));

        assertInstanceOf(Map.class, json());
        assertEquals(
                "quote \" backslash \\ newline \n escape \u001b[31m",
                object(json(), "last_poll").get("detail"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void localToolsWindow_openIsAWarningWithWhatFails_closedIsShownWithItsLength() throws Exception {
        SeedTree seed = SeedTree.healthy(tmp);
        seed.state.localTools = new LocalToolsWindow(
                SeedTree.ADDRESS,
                SeedTree.NOW.minusSeconds(3),
                null,
                List.of("schedd", "master"),
                List.of("schedd", "master", "collector"));
        seed.saveState();

        assertEquals(2, run(seed, "--format", "json"), "a warning: degraded");
        Map<String, Object> window = object(json(), "local_tools");
        assertEquals(SeedTree.ADDRESS, window.get("address"));
        assertEquals("2025-01-01T11:59:57Z", window.get("since"));
        assertNull(window.get("until"));
        assertEquals(true, window.get("open"));
        assertNull(window.get("seconds"));
        assertEquals(List.of("schedd", "master"), window.get("failing"));
        assertEquals(List.of("schedd", "master", "collector"), window.get("failed"));
        Map<String, Object> finding = ((List<Map<String, Object>>) json().get("findings"))
                .stream()
                        .filter(f -> "local-tools".equals(f.get("part")))
                        .findFirst()
                        .orElseThrow();
        assertEquals("warning", finding.get("level"));
        assertEquals(
                "local tools cannot reach HTCondor's schedd, master at " + SeedTree.ADDRESS + " since 3 s ago: normal"
                        + " users' condor_submit and condor_q; condor_reconfig, condor_restart and condor_off fail",
                finding.get("text"));
        assertTrue(((String) finding.get("remedy")).startsWith("systemctl restart condor.service ends it now"));
        assertEquals(2, run(seed));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Local tools:  cannot reach the schedd, master at " + SeedTree.ADDRESS), text);

        seed.state.localTools = new LocalToolsWindow(
                SeedTree.ADDRESS,
                SeedTree.NOW.minusSeconds(60),
                SeedTree.NOW.minusSeconds(56),
                List.of(),
                List.of("schedd"));
        seed.saveState();
        assertEquals(0, run(seed, "--format", "json"));
        window = object(json(), "local_tools");
        assertEquals(false, window.get("open"));
        assertEquals(4, window.get("seconds"));
        assertEquals("2025-01-01T11:59:04Z", window.get("until"));
        assertEquals(0, run(seed));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("Local tools:"), "closed: only in --long");
        assertEquals(0, run(seed, "--long"));
        text = out.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.contains("Local tools:  reach the daemons at " + SeedTree.ADDRESS
                        + "; after the last change they could not for 4 s"),
                text);
    }
}
