package org.seedagent.status;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.condor.AnnexRequests;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.restart.SpotNotice;
import org.seedagent.state.DaemonState;
import org.seedagent.state.HistoryCodec;
import org.seedagent.state.PartCodec;
import org.seedagent.status.StatusFacts.AddressRead;
import org.seedagent.status.StatusFacts.Read;
import org.seedagent.support.JsonNames;

/**
 * {@code seed-agent status --format json}, schema version {@value StatusReport#SCHEMA_VERSION}. The document is
 * described once, by its JSON Schema {@code docs/schemas/status.schema.json}.
 */
final class JsonRenderer {
    private JsonRenderer() {}

    static String render(StatusReport report) {
        StatusFacts facts = report.facts;
        DaemonState state = facts.state().state();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema_version", StatusReport.SCHEMA_VERSION);
        doc.put("generated_at", time(facts.now()));
        doc.put("health", report.health.jsonName());
        doc.put("exit_code", report.exitCode());
        doc.put("agent", agent(report, state));
        doc.put("systemd", systemd(facts.systemd()));
        doc.put(
                "address",
                state == null
                        ? null
                        : map(
                                "current",
                                state.currentAddress,
                                "kind",
                                state.addressKind == null ? null : JsonNames.of(state.addressKind),
                                "since",
                                time(state.addressSince)));
        StatusReport.FragmentVerdict f = report.fragment;
        doc.put(
                "fragment",
                map(
                        "path",
                        f.path().toString(),
                        "present",
                        f.read() == Read.OK ? Boolean.TRUE : f.read() == Read.MISSING ? Boolean.FALSE : null,
                        "sha256",
                        f.sha256(),
                        "expected_sha256",
                        f.expectedSha256(),
                        "matches",
                        f.matches(),
                        "error",
                        f.read() == Read.UNREADABLE || f.read() == Read.INVALID
                                ? facts.fragment().problem()
                                : null));
        StatusReport.Forwarding w = report.forwarding;
        Map<String, Object> htcondor = map(
                "tcp_forwarding_host",
                w.value(),
                "location",
                w.location(),
                "raw",
                w.raw(),
                "expected",
                w.expected(),
                "in_effect",
                w.inEffect(),
                "error",
                facts.condor() instanceof CondorEvaluation.Failed failed ? failed.reason() : null);
        if (facts.condor() instanceof CondorEvaluation.Evaluated evaluated) {
            htcondor.put(
                    "release",
                    AnnexTool.release(evaluated.view()).map(Object::toString).orElse(null));
            htcondor.put("annex_tool", AnnexTool.of(evaluated.view()).jsonName());
            htcondor.put(
                    "annex_collector",
                    evaluated.view().value("ANNEX_COLLECTOR").map(String::strip).orElse(null));
        } else {
            htcondor.put("release", null);
            htcondor.put("annex_tool", null);
            htcondor.put("annex_collector", null);
        }
        doc.put("htcondor", htcondor);
        doc.put("advertised", advertised(report));
        doc.put("local_tools", state == null ? null : PartCodec.localTools(state.localTools));
        doc.put("boot_sync", state == null ? null : PartCodec.bootSync(state.bootSync));
        doc.put("last_poll", state == null ? null : PartCodec.poll(state.lastPoll));
        doc.put("last_success", state == null ? null : time(state.lastSuccess));
        doc.put("last_failure", state == null ? null : PartCodec.poll(state.lastFailure));
        doc.put("last_reload", state == null ? null : PartCodec.lastReload(state.lastReload));
        doc.put("pending_reload", state == null ? null : PartCodec.pendingReload(state.pendingReload));
        doc.put("checks", checks(report, state));
        doc.put("instance", state == null ? null : PartCodec.instance(state.instance));
        Map<String, Object> spot = state == null ? null : PartCodec.spotInterruption(state.spotInterruption);
        if (spot != null) {
            // Additions (schema 1): what EC2 will do, when, and how long is left.
            SpotNotice notice = InstanceFindings.spotNotice(state.spotInterruption);
            spot.put("action", notice.action());
            spot.put("at", time(notice.at()));
            spot.put("seconds_left", notice.secondsLeft(facts.now()));
        }
        doc.put("spot_interruption", spot);
        List<Object> changes = new ArrayList<>();
        if (state != null) {
            for (DaemonState.Change c : state.changes()) {
                changes.add(map("time", time(c.time()), "from", c.from(), "to", c.to()));
            }
        }
        doc.put("changes", changes);
        doc.put(
                "restarts",
                state == null
                        ? List.of()
                        : state.restarts().stream().map(HistoryCodec::restart).toList());
        doc.put("scheduled_events", state == null ? null : HistoryCodec.scheduledEvents(state.scheduledEvents));
        doc.put("elastic_ip", state == null ? null : PartCodec.elasticIp(state.elasticIp));
        List<Object> findings = new ArrayList<>();
        for (Finding finding : report.findings) {
            findings.add(map(
                    "level",
                    finding.level().jsonName(),
                    "part",
                    finding.part(),
                    "text",
                    finding.text(),
                    "remedy",
                    finding.remedy()));
        }
        doc.put("findings", findings);
        AnnexRequests.Stranded stranded = facts.stranded();
        if (stranded != null) {
            doc.put(
                    "stranded_annexes",
                    map(
                            "source",
                            "live",
                            "checked",
                            time(facts.now()),
                            "change_to",
                            null,
                            "annex_collector",
                            stranded.current(),
                            "requests",
                            stranded.requests().stream()
                                    .map(r -> map("cluster", r.cluster(), "name", r.name(), "collector", r.collector()))
                                    .toList(),
                            "error",
                            stranded.problem()));
        } else if (state != null && state.strandedAnnexes != null) {
            Map<String, Object> recorded = new LinkedHashMap<>();
            recorded.put("source", "recorded");
            recorded.putAll(HistoryCodec.strandedAnnexes(state.strandedAnnexes));
            doc.put("stranded_annexes", recorded);
        } else {
            doc.put("stranded_annexes", null);
        }
        AgentRuntime runtime = facts.runtime();
        doc.put(
                "runtime",
                runtime == null
                        ? null
                        : map(
                                "java",
                                runtime.java(),
                                "java_version",
                                runtime.javaVersion(),
                                "cache",
                                runtime.cache(),
                                "cache_path",
                                runtime.cachePath()));
        try {
            return JSON.std
                            .with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
                            .asString(doc) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the status as JSON", e);
        }
    }

    private static Map<String, Object> agent(StatusReport report, DaemonState state) {
        StatusFacts facts = report.facts;
        return map(
                "state",
                report.agent.jsonName(),
                "detail",
                report.agentDetail,
                "state_file",
                facts.state().file().toString(),
                "state_file_error",
                facts.state().read() == Read.OK || facts.state().read() == Read.MISSING
                        ? null
                        : facts.state().problem(),
                "pid",
                state == null || state.pid <= 0 ? null : state.pid,
                "version",
                state == null ? null : state.version,
                "started_at",
                state == null ? null : time(state.startedAt),
                "heartbeat",
                state == null ? null : time(state.heartbeat),
                "stale_after_seconds",
                facts.staleAfter().toSeconds(),
                "boot_time",
                time(facts.bootTime()));
    }

    private static Map<String, Object> systemd(SystemdView view) {
        return map(
                "available",
                view.available(),
                "unit",
                SystemdView.UNIT,
                "load_state",
                property(view, "LoadState"),
                "active_state",
                property(view, "ActiveState"),
                "sub_state",
                property(view, "SubState"),
                "main_pid",
                view.available() ? view.mainPid() : null,
                "active_since",
                property(view, "ActiveEnterTimestamp"),
                "status_text",
                property(view, "StatusText"),
                "error",
                view.problem());
    }

    private static Object property(SystemdView view, String name) {
        String value = view.properties().get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Map<String, Object> advertised(StatusReport report) {
        StatusReport.Advertised a = report.advertised;
        List<Object> files = new ArrayList<>();
        for (AddressRead read : report.facts.addresses()) {
            files.add(map(
                    "daemon",
                    read.daemon(),
                    "file",
                    read.file(),
                    "address",
                    read.host(),
                    "error",
                    read.read() == Read.OK ? null : read.problem()));
        }
        return map(
                "expected",
                a.expected(),
                "source",
                a.source(),
                "checked",
                time(a.checked()),
                "addresses",
                new LinkedHashMap<>(a.hosts()),
                "caught_up",
                a.caughtUp(),
                "progress",
                a.progress(),
                "files",
                files);
    }

    private static Map<String, Object> checks(StatusReport report, DaemonState state) {
        CheckReport checks = new CheckReport(report.checks);
        Map<String, Object> summary = new LinkedHashMap<>();
        checks.counts().forEach((severity, n) -> summary.put(severity.jsonName(), n));
        List<Object> results = new ArrayList<>();
        for (CheckResult r : report.checks) {
            results.add(CheckReport.toMap(r));
        }
        return map("checked_at", state == null ? null : time(state.checksAt), "summary", summary, "results", results);
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** An ordered map from alternating keys and values (values may be null). */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
