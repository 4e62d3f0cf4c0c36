package org.seedagent.state;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.jr.ob.JSON;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.config.ReloadMethod;
import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.restart.Outage;
import org.seedagent.restart.Restart;
import org.seedagent.restart.RestartKind;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.support.JsonNames;
import org.seedagent.sync.SyncResult;

/**
 * {@code state.json}, schema version 1. Times are ISO-8601 UTC strings; absent facts are absent
 * keys or {@code null}. Readers must ignore keys they do not know; a change that breaks readers
 * increases {@code schema_version}.
 */
public final class StateCodec {
    public static final int SCHEMA_VERSION = 1;
    private static final String FAILED = "failed";
    /** A spot interruption notice whose action could not be read. */
    private static final String NOTICE = "notice";

    private StateCodec() {
    }

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
        root.put("boot_sync", bootSync(s.bootSync));
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("current", s.currentAddress);
        address.put("kind", s.addressKind == null ? null : JsonNames.of(s.addressKind));
        address.put("since", time(s.addressSince));
        root.put("address", address);
        Map<String, Object> fragment = new LinkedHashMap<>();
        fragment.put("path", s.fragmentPath);
        fragment.put("sha256", s.fragmentSha256);
        root.put("fragment", fragment);
        root.put("last_poll", poll(s.lastPoll));
        root.put("last_success", time(s.lastSuccess));
        root.put("last_failure", poll(s.lastFailure));
        root.put("last_reload", lastReload(s.lastReload));
        root.put("pending_reload", pendingReload(s.pendingReload));
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
        root.put("checks_at", time(s.checksAt));
        root.put("checks", s.checks().stream().map(CheckReport::toMap).toList());
        root.put("instance", instance(s.instance));
        root.put("spot_interruption", spotInterruption(s.spotInterruption));
        root.put("scheduled_events", scheduledEvents(s.scheduledEvents));
        root.put("elastic_ip", elasticIp(s.elasticIp));
        root.put("stranded_annexes", strandedAnnexes(s.strandedAnnexes));
        root.put("restarts", s.restarts().stream().map(StateCodec::restart).toList());
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
            s.bootSync = bootSync(root.get("boot_sync"));
            Map<String, Object> address = map(root.get("address"));
            s.currentAddress = (String) address.get("current");
            s.addressKind = address.get("kind") == null ? null
                    : JsonNames.parse(AddressKind.class, JsonNames::of, (String) address.get("kind")).orElse(null);
            s.addressSince = instant(address.get("since"));
            Map<String, Object> fragment = map(root.get("fragment"));
            s.fragmentPath = (String) fragment.get("path");
            s.fragmentSha256 = (String) fragment.get("sha256");
            s.lastPoll = poll(root.get("last_poll"));
            s.lastSuccess = instant(root.get("last_success"));
            s.lastFailure = poll(root.get("last_failure"));
            s.lastReload = lastReload(root.get("last_reload"));
            Map<String, Object> pending = map(root.get("pending_reload"));
            if (pending.get("since") != null) {
                s.pendingReload = new DaemonState.PendingReload(instant(pending.get("since")),
                        (String) pending.get("because"),
                        pending.get("attempts") instanceof Number n ? n.intValue() : 1);
            }
            Map<String, Object> advertised = map(root.get("advertised"));
            if (!advertised.isEmpty()) {
                Map<String, String> addresses = new LinkedHashMap<>();
                map(advertised.get("addresses")).forEach((k, v) -> addresses.put(k, String.valueOf(v)));
                s.advertised = new DaemonState.Advertised(instant(advertised.get("checked")),
                        (String) advertised.get("expected"), addresses,
                        Boolean.TRUE.equals(advertised.get("converged")),
                        advertised.get("converged_after_seconds") instanceof Number n ? n.longValue() : null);
            }
            s.checksAt = instant(root.get("checks_at"));
            if (root.get("checks") instanceof List<?> checks) {
                readChecks(s, checks);
            }
            s.instance = instance(map(root.get("instance")));
            s.spotInterruption = spotInterruption(root.get("spot_interruption"));
            s.scheduledEvents = scheduledEvents(root.get("scheduled_events"));
            s.strandedAnnexes = strandedAnnexes(root.get("stranded_annexes"));
            s.elasticIp = elasticIp(map(root.get("elastic_ip")));
            if (root.get("restarts") instanceof List<?> restarts) {
                for (Object item : restarts) {
                    Restart restart = restart(map(item));
                    if (restart != null) {
                        s.recordRestart(restart);
                    }
                }
            }
            if (root.get("changes") instanceof List<?> changes) {
                for (Object item : changes) {
                    Map<String, Object> c = map(item);
                    s.recordChange(new DaemonState.Change(instant(c.get("time")), (String) c.get("from"), (String) c.get("to")));
                }
            }
            return s;
        } catch (ClassCastException | DateTimeParseException e) {
            throw new IOException("unexpected value: " + firstLine(e.getMessage()), e);
        }
    }

    /** {@code boot_sync}: {@code time}, {@code result} (the fragment's action, or {@code failed}), {@code detail}. */
    public static Map<String, Object> bootSync(BootSyncOutcome outcome) {
        return outcome == null ? null : outcome(outcome.time(),
                outcome.failed() ? FAILED : JsonNames.of(outcome.action()), outcome.detail());
    }

    private static BootSyncOutcome bootSync(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        String result = (String) map.get("result");
        if (FAILED.equals(result)) {
            return BootSyncOutcome.failed(instant(map.get("time")), (String) map.get("detail"));
        }
        return JsonNames.parse(SyncResult.Action.class, JsonNames::of, result)
                .map(action -> new BootSyncOutcome(instant(map.get("time")), action, (String) map.get("detail")))
                .orElse(null);
    }

    /** {@code last_poll}, {@code last_failure}: {@code time}, {@code result} ({@code ok}, {@code failed}), {@code detail}. */
    public static Map<String, Object> poll(Poll poll) {
        return poll == null ? null : outcome(poll.time(), poll.ok() ? "ok" : FAILED, poll.detail());
    }

    private static Poll poll(Object value) {
        Map<String, Object> map = map(value);
        return map.isEmpty() ? null
                : new Poll(instant(map.get("time")), "ok".equals(map.get("result")), (String) map.get("detail"));
    }

    /** {@code last_reload}: {@code time}, {@code result}, {@code detail}, {@code method}. */
    public static Map<String, Object> lastReload(LastReload reload) {
        if (reload == null) {
            return null;
        }
        Map<String, Object> map = outcome(reload.time(), JsonNames.of(reload.result()), reload.detail());
        map.put("method", reload.method() == null ? null : JsonNames.of(reload.method()));
        return map;
    }

    private static LastReload lastReload(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        ReloadMethod method = map.get("method") == null ? null
                : JsonNames.parse(ReloadMethod.class, JsonNames::of, (String) map.get("method")).orElse(null);
        return JsonNames.parse(LastReload.Result.class, JsonNames::of, (String) map.get("result"))
                .map(result -> new LastReload(instant(map.get("time")), result, method, (String) map.get("detail")))
                .orElse(null);
    }

    /** {@code spot_interruption}: {@code time}, {@code result} (EC2's action, or {@code notice}), {@code detail}. */
    public static Map<String, Object> spotInterruption(SpotInterruption spot) {
        return spot == null ? null
                : outcome(spot.time(), spot.action() == null ? NOTICE : spot.action(), spot.detail());
    }

    private static SpotInterruption spotInterruption(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        String result = (String) map.get("result");
        return new SpotInterruption(instant(map.get("time")), NOTICE.equals(result) ? null : result,
                (String) map.get("detail"));
    }

    private static Map<String, Object> outcome(Instant time, String result, String detail) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time(time));
        map.put("result", result);
        map.put("detail", detail);
        return map;
    }

    /** {@code instance}: {@code id}, {@code type}, {@code region}, {@code life_cycle}, {@code local_ipv4}. */
    public static Map<String, Object> instance(InstanceRecord instance) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", instance.id());
        map.put("type", instance.type());
        map.put("region", instance.region());
        map.put("life_cycle", instance.lifeCycle());
        map.put("local_ipv4", instance.localIpv4());
        return map;
    }

    private static InstanceRecord instance(Map<String, Object> map) {
        return new InstanceRecord(string(map.get("id")), string(map.get("type")), string(map.get("region")),
                string(map.get("life_cycle")), string(map.get("local_ipv4")));
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

    /**
     * {@code elastic_ip}: {@code configured}, {@code allow_reassociation}, {@code claim} (the last claim at boot),
     * {@code address} (whether the address in force is an Elastic IP, as EC2 said).
     */
    public static Map<String, Object> elasticIp(ElasticIpRecord eip) {
        if (eip == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("configured", eip.configured());
        map.put("allow_reassociation", eip.allowReassociation());
        map.put("claim", eip.claim() == null ? null : eip.claim().toMap());
        map.put("address", eip.address() == null ? null : eip.address().toMap());
        return map;
    }

    private static ElasticIpRecord elasticIp(Map<String, Object> map) {
        if (map.isEmpty()) {
            return null;
        }
        return new ElasticIpRecord((String) map.get("configured"), Boolean.TRUE.equals(map.get("allow_reassociation")),
                claim(map(map.get("claim"))), addressFact(map(map.get("address"))));
    }

    /** A claim as {@link ClaimOutcome#toMap} wrote it; null for none or a result this agent does not know. */
    private static ClaimOutcome claim(Map<String, Object> map) {
        if (map.isEmpty()) {
            return null;
        }
        Duration took = map.get("seconds") instanceof Number n ? Duration.ofMillis(Math.round(n.doubleValue() * 1000))
                : Duration.ZERO;
        int calls = map.get("associate_calls") instanceof Number n ? n.intValue() : 0;
        return JsonNames.parse(ClaimOutcome.Result.class, JsonNames::of, (String) map.get("result"))
                .map(result -> new ClaimOutcome(result, instant(map.get("time")), took, (String) map.get("target"),
                        (String) map.get("address"), (String) map.get("detail"), (String) map.get("fix"), calls))
                .orElse(null);
    }

    /** An address fact as {@link AddressFact#toMap} wrote it; null for none or a kind this agent does not know. */
    private static AddressFact addressFact(Map<String, Object> map) {
        if (map.isEmpty()) {
            return null;
        }
        return JsonNames.parse(AddressFact.Kind.class, JsonNames::of, (String) map.get("kind"))
                .map(kind -> new AddressFact(kind, instant(map.get("checked")), (String) map.get("address"),
                        (String) map.get("allocation_id"), (String) map.get("detail"), (String) map.get("fix")))
                .orElse(null);
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    /** One restart as state.json and status --format json carry it. */
    public static Map<String, Object> restart(Restart r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("detected_at", time(r.detectedAt()));
        map.put("boot_time", time(r.bootTime()));
        map.put("kind", r.kind().jsonName());
        map.put("verdict", r.verdict().jsonName());
        Outage o = r.outage();
        map.put("outage", o == null ? null : outage(o));
        map.put("previous_instance", r.previousInstance());
        map.put("instance", r.instance());
        map.put("previous_address", r.previousAddress());
        map.put("address", r.address());
        map.put("address_changed", r.addressChanged());
        map.put("lease_seconds", r.leaseSeconds());
        map.put("lease_source", r.leaseSource());
        map.put("summary", r.summary());
        map.put("remedy", r.remedy());
        return map;
    }

    private static Map<String, Object> outage(Outage o) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("basis", o.basis().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        map.put("from", time(o.from()));
        map.put("to", time(o.to()));
        map.put("at_least_seconds", o.atLeast() == null ? null : o.atLeast().toSeconds());
        map.put("at_most_seconds", o.atMost() == null ? null : o.atMost().toSeconds());
        return map;
    }

    /** A restart from state.json; null for an entry this agent does not understand (kept out, not fatal). */
    private static Restart restart(Map<String, Object> map) {
        RestartKind kind = RestartKind.fromJson((String) map.get("kind"));
        Restart.Verdict verdict = Restart.Verdict.fromJson((String) map.get("verdict"));
        if (kind == null || verdict == null || map.get("summary") == null) {
            return null;
        }
        Map<String, Object> o = map(map.get("outage"));
        Outage outage = null;
        if (!o.isEmpty()) {
            Outage.Basis basis = switch (String.valueOf(o.get("basis"))) {
                case "clean-stop" -> Outage.Basis.CLEAN_STOP;
                case "heartbeat" -> Outage.Basis.HEARTBEAT;
                default -> Outage.Basis.UNKNOWN;
            };
            outage = new Outage(basis, instant(o.get("from")), instant(o.get("to")), seconds(o.get("at_least_seconds")),
                    seconds(o.get("at_most_seconds")));
        }
        return new Restart(instant(map.get("detected_at")), instant(map.get("boot_time")), kind, verdict, outage,
                (String) map.get("previous_instance"), (String) map.get("instance"), (String) map.get("previous_address"),
                (String) map.get("address"), map.get("lease_seconds") instanceof Number n ? n.intValue() : null,
                (String) map.get("lease_source"), (String) map.get("summary"), (String) map.get("remedy"));
    }

    private static Duration seconds(Object value) {
        return value instanceof Number n ? Duration.ofSeconds(n.longValue()) : null;
    }

    /**
     * {@code stranded_annexes}: {@code checked}, {@code change_to}, {@code annex_collector}, {@code requests}
     * ({@code cluster}, {@code name}, {@code collector}), {@code error}; null when never asked.
     */
    public static Map<String, Object> strandedAnnexes(DaemonState.StrandedAnnexes stranded) {
        if (stranded == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("checked", time(stranded.checked()));
        map.put("change_to", stranded.changeTo());
        map.put("annex_collector", stranded.collector());
        List<Map<String, Object>> list = new ArrayList<>();
        for (DaemonState.StrandedAnnex a : stranded.requests()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("cluster", a.cluster());
            request.put("name", a.name());
            request.put("collector", a.collector());
            list.add(request);
        }
        map.put("requests", list);
        map.put("error", stranded.error());
        return map;
    }

    private static DaemonState.StrandedAnnexes strandedAnnexes(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        List<DaemonState.StrandedAnnex> requests = new ArrayList<>();
        if (map.get("requests") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> r = map(item);
                requests.add(new DaemonState.StrandedAnnex(String.valueOf(r.get("cluster")), String.valueOf(r.get("name")),
                        String.valueOf(r.get("collector"))));
            }
        }
        return new DaemonState.StrandedAnnexes(instant(map.get("checked")), (String) map.get("change_to"),
                (String) map.get("annex_collector"), requests, (String) map.get("error"));
    }

    /** {@code scheduled_events}: {@code checked}, {@code error}, {@code events} (as EC2 names the fields). */
    public static Map<String, Object> scheduledEvents(DaemonState.ScheduledEvents events) {
        if (events == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("checked", time(events.checked()));
        map.put("error", events.error());
        List<Map<String, Object>> list = new ArrayList<>();
        for (ScheduledEvent e : events.events()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("code", e.code());
            event.put("event_id", e.eventId());
            event.put("state", e.state());
            event.put("not_before", time(e.notBefore()));
            event.put("not_after", time(e.notAfter()));
            event.put("description", e.description());
            list.add(event);
        }
        map.put("events", list);
        return map;
    }

    private static DaemonState.ScheduledEvents scheduledEvents(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        List<ScheduledEvent> events = new ArrayList<>();
        if (map.get("events") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> e = map(item);
                events.add(new ScheduledEvent((String) e.get("code"), (String) e.get("description"),
                        (String) e.get("event_id"), instant(e.get("not_before")), instant(e.get("not_after")),
                        (String) e.get("state")));
            }
        }
        return new DaemonState.ScheduledEvents(instant(map.get("checked")), events, (String) map.get("error"));
    }

    /** {@code pending_reload}: {@code since}, {@code because}, {@code attempts}; null when none is pending. */
    public static Map<String, Object> pendingReload(DaemonState.PendingReload pending) {
        if (pending == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("since", time(pending.since()));
        map.put("because", pending.because());
        map.put("attempts", pending.attempts());
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        return (Map<String, Object>) value;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
