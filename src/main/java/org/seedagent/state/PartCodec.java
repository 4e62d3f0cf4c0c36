package org.seedagent.state;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.seedagent.config.ReloadMethod;
import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.restart.Outage;
import org.seedagent.restart.Restart;
import org.seedagent.restart.RestartKind;
import org.seedagent.restart.ScheduledEvent;
import org.seedagent.support.JsonNames;
import org.seedagent.sync.SyncResult;

/**
 * The parts of {@code state.json} that {@code status --format json} shows as they are: each part's map, and back
 * (for {@link StateCodec} only). A part this agent cannot read (a value it does not know, a damaged entry) is left
 * out, never the whole file.
 */
public final class PartCodec {
    private static final String FAILED = "failed";
    /** A spot interruption notice whose action could not be read. */
    private static final String NOTICE = "notice";

    private PartCodec() {}

    /** {@code boot_sync}: {@code time}, {@code result} (the fragment's action, or {@code failed}), {@code detail}. */
    public static Map<String, Object> bootSync(BootSyncOutcome outcome) {
        return outcome == null
                ? null
                : outcome(outcome.time(), outcome.failed() ? FAILED : JsonNames.of(outcome.action()), outcome.detail());
    }

    static BootSyncOutcome bootSync(Object value) {
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

    static Poll poll(Object value) {
        Map<String, Object> map = map(value);
        Object result = map.get("result");
        if (!"ok".equals(result) && !FAILED.equals(result)) {
            return null; // none, or a result this agent does not know
        }
        return new Poll(instant(map.get("time")), "ok".equals(result), (String) map.get("detail"));
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

    static LastReload lastReload(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        ReloadMethod method = map.get("method") == null
                ? null
                : JsonNames.parse(ReloadMethod.class, JsonNames::of, (String) map.get("method"))
                        .orElse(null);
        return JsonNames.parse(LastReload.Result.class, JsonNames::of, (String) map.get("result"))
                .map(result -> new LastReload(instant(map.get("time")), result, method, (String) map.get("detail")))
                .orElse(null);
    }

    /** {@code spot_interruption}: {@code time}, {@code result} (EC2's action, or {@code notice}), {@code detail}. */
    public static Map<String, Object> spotInterruption(SpotInterruption spot) {
        return spot == null
                ? null
                : outcome(spot.time(), spot.action() == null ? NOTICE : spot.action(), spot.detail());
    }

    static SpotInterruption spotInterruption(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        String result = (String) map.get("result");
        return new SpotInterruption(
                instant(map.get("time")), NOTICE.equals(result) ? null : result, (String) map.get("detail"));
    }

    private static Map<String, Object> outcome(Instant time, String result, String detail) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time(time));
        map.put("result", result);
        map.put("detail", detail);
        return map;
    }

    /**
     * {@code instance}: {@code id}, {@code type}, {@code region}, {@code life_cycle}, {@code local_ipv4}; a part not
     * read is absent, as the state file has it.
     */
    public static Map<String, Object> instance(InstanceRecord instance) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", instance.id());
        map.put("type", instance.type());
        map.put("region", instance.region());
        map.put("life_cycle", instance.lifeCycle());
        map.put("local_ipv4", instance.localIpv4());
        return withoutNulls(map);
    }

    static InstanceRecord instance(Map<String, Object> map) {
        return new InstanceRecord(
                string(map.get("id")),
                string(map.get("type")),
                string(map.get("region")),
                string(map.get("life_cycle")),
                string(map.get("local_ipv4")));
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
        map.put("claim", eip.claim() == null ? null : withoutNulls(eip.claim().toMap()));
        map.put(
                "address",
                eip.address() == null ? null : withoutNulls(eip.address().toMap()));
        return withoutNulls(map);
    }

    /** The Elastic IP part; null when absent or damaged (the rest of the file is still read). */
    static ElasticIpRecord elasticIp(Object value) {
        if (!(value instanceof Map<?, ?> raw) || raw.isEmpty()) {
            return null;
        }
        try {
            Map<String, Object> map = map(raw);
            return new ElasticIpRecord(
                    (String) map.get("configured"),
                    Boolean.TRUE.equals(map.get("allow_reassociation")),
                    claim(map.get("claim")),
                    addressFact(map.get("address")));
        } catch (ClassCastException | DateTimeParseException e) {
            return null;
        }
    }

    /** A claim as {@link ClaimOutcome#toMap} wrote it; null for none or a result this agent does not know. */
    private static ClaimOutcome claim(Object value) {
        Map<String, Object> map = map(value);
        if (map.get("time") == null) {
            return null;
        }
        Duration took = map.get("seconds") instanceof Number n
                ? Duration.ofMillis(Math.round(n.doubleValue() * 1000))
                : Duration.ZERO;
        int calls = map.get("associate_calls") instanceof Number n ? n.intValue() : 0;
        return JsonNames.parse(ClaimOutcome.Result.class, JsonNames::of, (String) map.get("result"))
                .map(result -> new ClaimOutcome(
                        result,
                        instant(map.get("time")),
                        took,
                        (String) map.get("target"),
                        (String) map.get("address"),
                        (String) map.get("detail"),
                        (String) map.get("fix"),
                        calls))
                .orElse(null);
    }

    /** An address fact as {@link AddressFact#toMap} wrote it; null for none or a kind this agent does not know. */
    private static AddressFact addressFact(Object value) {
        Map<String, Object> map = map(value);
        if (map.get("checked") == null) {
            return null;
        }
        return JsonNames.parse(AddressFact.Kind.class, JsonNames::of, (String) map.get("kind"))
                .map(kind -> new AddressFact(
                        kind,
                        instant(map.get("checked")),
                        (String) map.get("address"),
                        (String) map.get("allocation_id"),
                        (String) map.get("detail"),
                        (String) map.get("fix")))
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
    static Restart restart(Map<String, Object> map) {
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
            outage = new Outage(
                    basis,
                    instant(o.get("from")),
                    instant(o.get("to")),
                    seconds(o.get("at_least_seconds")),
                    seconds(o.get("at_most_seconds")));
        }
        return new Restart(
                instant(map.get("detected_at")),
                instant(map.get("boot_time")),
                kind,
                verdict,
                outage,
                (String) map.get("previous_instance"),
                (String) map.get("instance"),
                (String) map.get("previous_address"),
                (String) map.get("address"),
                map.get("lease_seconds") instanceof Number n ? n.intValue() : null,
                (String) map.get("lease_source"),
                (String) map.get("summary"),
                (String) map.get("remedy"));
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

    static DaemonState.StrandedAnnexes strandedAnnexes(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        List<DaemonState.StrandedAnnex> requests = new ArrayList<>();
        if (map.get("requests") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> r = map(item);
                requests.add(new DaemonState.StrandedAnnex(
                        String.valueOf(r.get("cluster")),
                        String.valueOf(r.get("name")),
                        String.valueOf(r.get("collector"))));
            }
        }
        return new DaemonState.StrandedAnnexes(
                instant(map.get("checked")),
                (String) map.get("change_to"),
                (String) map.get("annex_collector"),
                requests,
                (String) map.get("error"));
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

    static DaemonState.ScheduledEvents scheduledEvents(Object value) {
        Map<String, Object> map = map(value);
        if (map.isEmpty()) {
            return null;
        }
        List<ScheduledEvent> events = new ArrayList<>();
        if (map.get("events") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> e = map(item);
                events.add(new ScheduledEvent(
                        (String) e.get("code"),
                        (String) e.get("description"),
                        (String) e.get("event_id"),
                        instant(e.get("not_before")),
                        instant(e.get("not_after")),
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
    static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        return (Map<String, Object>) value;
    }

    /** {@code map} without its null values: what the state file, which leaves nulls out, holds. */
    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        map.values().removeIf(Objects::isNull);
        return map;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }
}
