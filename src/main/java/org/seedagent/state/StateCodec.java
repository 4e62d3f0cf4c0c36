package org.seedagent.state;

import static org.seedagent.state.PartCodec.instant;
import static org.seedagent.state.PartCodec.map;
import static org.seedagent.state.PartCodec.time;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.restart.Restart;
import org.seedagent.support.JsonNames;

/**
 * {@code state.json}, schema version 1. Times are ISO-8601 UTC strings; absent facts are absent
 * keys or {@code null}. Readers must ignore keys they do not know; a change that breaks readers
 * increases {@code schema_version}.
 */
public final class StateCodec {
    public static final int SCHEMA_VERSION = 1;

    private StateCodec() {}

    public static String encode(DaemonState s) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema_version", SCHEMA_VERSION);
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("version", s.version);
        agent.put("pid", s.pid);
        agent.put("started_at", time(s.startedAt));
        agent.put("heartbeat", time(s.heartbeat));
        agent.put("boot_id", s.bootId);
        agent.put("clean_stop", time(s.cleanStop));
        root.put("agent", agent);
        root.put("boot_sync", PartCodec.bootSync(s.bootSync));
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("current", s.currentAddress);
        address.put("kind", s.addressKind == null ? null : JsonNames.of(s.addressKind));
        address.put("since", time(s.addressSince));
        root.put("address", address);
        Map<String, Object> fragment = new LinkedHashMap<>();
        fragment.put("path", s.fragmentPath);
        fragment.put("sha256", s.fragmentSha256);
        root.put("fragment", fragment);
        root.put("last_poll", PartCodec.poll(s.lastPoll));
        root.put("last_success", time(s.lastSuccess));
        root.put("last_failure", PartCodec.poll(s.lastFailure));
        root.put("last_reload", PartCodec.lastReload(s.lastReload));
        root.put("pending_reload", PartCodec.pendingReload(s.pendingReload));
        if (s.advertised != null) {
            Map<String, Object> advertised = new LinkedHashMap<>();
            advertised.put("checked", time(s.advertised.checked()));
            advertised.put("expected", s.advertised.expected());
            advertised.put("addresses", new LinkedHashMap<>(s.advertised.addresses()));
            advertised.put("converged", s.advertised.converged());
            advertised.put("converged_after_seconds", s.advertised.convergedAfterSeconds());
            root.put("advertised", advertised);
        } else {
            root.put("advertised", null);
        }
        if (s.localTools != null) {
            // Absent, not null, when there was none: state files of earlier releases are written back unchanged.
            root.put("local_tools", PartCodec.localTools(s.localTools));
        }
        root.put("checks_at", time(s.checksAt));
        root.put("checks", s.checks().stream().map(CheckReport::toMap).toList());
        root.put("instance", PartCodec.instance(s.instance));
        root.put("spot_interruption", PartCodec.spotInterruption(s.spotInterruption));
        root.put("scheduled_events", HistoryCodec.scheduledEvents(s.scheduledEvents));
        root.put("elastic_ip", PartCodec.elasticIp(s.elasticIp));
        root.put("stranded_annexes", HistoryCodec.strandedAnnexes(s.strandedAnnexes));
        root.put("restarts", s.restarts().stream().map(HistoryCodec::restart).toList());
        List<Map<String, Object>> changes = new ArrayList<>();
        for (DaemonState.Change change : s.changes()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("time", time(change.time()));
            c.put("from", change.from());
            c.put("to", change.to());
            changes.add(c);
        }
        root.put("changes", changes);
        return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n";
    }

    /** Parses {@code text}; a corrupt or foreign document is an {@link IOException} saying what is wrong. */
    @SuppressWarnings("unchecked")
    public static DaemonState decode(String text) throws IOException {
        Map<String, Object> root;
        try {
            root = JSON.std.mapFrom(text);
        } catch (IOException | RuntimeException e) {
            throw new IOException("not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !(root.get("schema_version") instanceof Number version)) {
            throw new IOException("no schema_version");
        }
        if (version.intValue() != SCHEMA_VERSION) {
            throw new IOException("schema_version " + version + " is not " + SCHEMA_VERSION);
        }
        try {
            DaemonState s = new DaemonState();
            Map<String, Object> agent = map(root.get("agent"));
            s.version = (String) agent.get("version");
            s.pid = agent.get("pid") instanceof Number n ? n.longValue() : 0;
            s.startedAt = instant(agent.get("started_at"));
            s.heartbeat = instant(agent.get("heartbeat"));
            s.bootId = (String) agent.get("boot_id");
            s.cleanStop = instant(agent.get("clean_stop"));
            s.bootSync = PartCodec.bootSync(root.get("boot_sync"));
            Map<String, Object> address = map(root.get("address"));
            s.currentAddress = (String) address.get("current");
            s.addressKind = address.get("kind") == null
                    ? null
                    : JsonNames.parse(AddressKind.class, JsonNames::of, (String) address.get("kind"))
                            .orElse(null);
            s.addressSince = instant(address.get("since"));
            Map<String, Object> fragment = map(root.get("fragment"));
            s.fragmentPath = (String) fragment.get("path");
            s.fragmentSha256 = (String) fragment.get("sha256");
            s.lastPoll = PartCodec.poll(root.get("last_poll"));
            s.lastSuccess = instant(root.get("last_success"));
            s.lastFailure = PartCodec.poll(root.get("last_failure"));
            s.lastReload = PartCodec.lastReload(root.get("last_reload"));
            Map<String, Object> pending = map(root.get("pending_reload"));
            if (pending.get("since") != null) {
                s.pendingReload = new DaemonState.PendingReload(
                        instant(pending.get("since")),
                        (String) pending.get("because"),
                        pending.get("attempts") instanceof Number n ? n.intValue() : 1);
            }
            Map<String, Object> advertised = map(root.get("advertised"));
            if (!advertised.isEmpty()) {
                Map<String, String> addresses = new LinkedHashMap<>();
                map(advertised.get("addresses")).forEach((k, v) -> addresses.put(k, String.valueOf(v)));
                s.advertised = new DaemonState.Advertised(
                        instant(advertised.get("checked")),
                        (String) advertised.get("expected"),
                        addresses,
                        Boolean.TRUE.equals(advertised.get("converged")),
                        advertised.get("converged_after_seconds") instanceof Number n ? n.longValue() : null);
            }
            s.localTools = PartCodec.localTools(root.get("local_tools"));
            s.checksAt = instant(root.get("checks_at"));
            if (root.get("checks") instanceof List<?> checks) {
                readChecks(s, checks);
            }
            s.instance = PartCodec.instance(map(root.get("instance")));
            s.spotInterruption = PartCodec.spotInterruption(root.get("spot_interruption"));
            s.scheduledEvents = HistoryCodec.scheduledEvents(root.get("scheduled_events"));
            s.strandedAnnexes = HistoryCodec.strandedAnnexes(root.get("stranded_annexes"));
            s.elasticIp = PartCodec.elasticIp(root.get("elastic_ip"));
            if (root.get("restarts") instanceof List<?> restarts) {
                for (Object item : restarts) {
                    Restart restart = HistoryCodec.restart(map(item));
                    if (restart != null) {
                        s.recordRestart(restart);
                    }
                }
            }
            if (root.get("changes") instanceof List<?> changes) {
                for (Object item : changes) {
                    Map<String, Object> c = map(item);
                    s.recordChange(new DaemonState.Change(
                            instant(c.get("time")), (String) c.get("from"), (String) c.get("to")));
                }
            }
            return s;
        } catch (ClassCastException | DateTimeParseException e) {
            throw new IOException("unexpected value: " + firstLine(e.getMessage()), e);
        }
    }

    /** Check results as {@code check --format json} has them; one this agent cannot read is counted, not fatal. */
    private static void readChecks(DaemonState s, List<?> items) {
        List<CheckResult> results = new ArrayList<>();
        int unreadable = 0;
        for (Object item : items) {
            try {
                results.add(CheckReport.fromMap((Map<?, ?>) item));
            } catch (RuntimeException e) {
                unreadable++;
            }
        }
        s.setChecksRead(results, unreadable);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
