package org.seedagent.state;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.seedagent.config.ReloadMethod;
import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ClaimOutcome;
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

    /**
     * {@code local_tools}: {@code address}, {@code since}, {@code until} (null while open), {@code open},
     * {@code seconds} (null while open), {@code failing} and {@code failed} (daemon names).
     */
    public static Map<String, Object> localTools(LocalToolsWindow window) {
        if (window == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("address", window.address());
        map.put("since", time(window.since()));
        map.put("until", time(window.until()));
        map.put("open", window.open());
        map.put("seconds", window.seconds());
        map.put("failing", window.failing());
        map.put("failed", window.failed());
        return map;
    }

    static LocalToolsWindow localTools(Object value) {
        Map<String, Object> map = map(value);
        if (!(map.get("address") instanceof String address) || map.get("since") == null) {
            return null; // none, or damaged
        }
        return new LocalToolsWindow(
                address,
                instant(map.get("since")),
                instant(map.get("until")),
                names(map.get("failing")),
                names(map.get("failed")));
    }

    private static List<String> names(Object value) {
        return value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
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
