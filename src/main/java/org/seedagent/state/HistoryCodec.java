package org.seedagent.state;

import static org.seedagent.state.PartCodec.instant;
import static org.seedagent.state.PartCodec.map;
import static org.seedagent.state.PartCodec.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seedagent.restart.Outage;
import org.seedagent.restart.Restart;
import org.seedagent.restart.RestartKind;
import org.seedagent.restart.ScheduledEvent;

/**
 * The history parts of {@code state.json}, which {@code status --format json} shows as they are: restarts, the
 * annex requests a change of address stranded, EC2's scheduled events. Like {@link PartCodec}, an entry this agent
 * cannot read is left out, not the file.
 */
public final class HistoryCodec {
    private HistoryCodec() {}

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
}
