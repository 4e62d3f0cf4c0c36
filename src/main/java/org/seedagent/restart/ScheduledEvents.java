package org.seedagent.restart;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.seedagent.support.Text;

/**
 * Parses {@code events/maintenance/scheduled}: a JSON list of objects with {@code Code},
 * {@code Description}, {@code EventId}, {@code NotBefore}, {@code NotAfter} (as {@code 21 Jan 2019
 * 09:00:43 GMT}) and {@code State}; {@code []} when there is none. Anything else is rejected whole with
 * an error that shows what came back (escaped and shortened): the values end up in the journal and in
 * status, so they are held to a strict shape.
 */
public final class ScheduledEvents {
    /** The metadata item. */
    public static final String ITEM = "events/maintenance/scheduled";

    static final int MAX_BODY = 64 * 1024;
    static final int MAX_EVENTS = 100;
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern STATE = Pattern.compile("[A-Za-z-]{1,32}");
    private static final DateTimeFormatter EC2_TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss zzz", Locale.ENGLISH);

    private ScheduledEvents() {}

    /** The events in {@code body}; throws with what was wrong and where. */
    public static List<ScheduledEvent> parse(String body) throws InvalidEventsException {
        if (body.length() > MAX_BODY) {
            throw new InvalidEventsException(
                    "the answer is " + body.length() + " characters long, more than " + MAX_BODY);
        }
        Object root;
        try {
            root = JSON.std.anyFrom(body);
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventsException("not JSON: " + Text.quote(body, 80));
        }
        if (!(root instanceof List<?> list)) {
            throw new InvalidEventsException("not a JSON list: " + Text.quote(body, 80));
        }
        if (list.size() > MAX_EVENTS) {
            throw new InvalidEventsException(list.size() + " events, more than " + MAX_EVENTS);
        }
        List<ScheduledEvent> events = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> event)) {
                throw new InvalidEventsException(
                        "entry " + (i + 1) + " is not an object: " + Text.quote(String.valueOf(list.get(i)), 80));
            }
            String where = "entry " + (i + 1);
            String code = field(event, "Code", where, true);
            if (!CODE.matcher(code).matches()) {
                throw new InvalidEventsException(where + ": Code " + Text.quote(code, 80) + " is not an event code");
            }
            String eventId = field(event, "EventId", where, false);
            if (eventId != null && !EVENT_ID.matcher(eventId).matches()) {
                throw new InvalidEventsException(
                        where + ": EventId " + Text.quote(eventId, 80) + " is not an event id");
            }
            String state = field(event, "State", where, false);
            if (state != null && !STATE.matcher(state).matches()) {
                throw new InvalidEventsException(where + ": State " + Text.quote(state, 80) + " is not a state");
            }
            String description = field(event, "Description", where, false);
            if (description != null
                    && (description.length() > 512 || description.chars().anyMatch(Character::isISOControl))) {
                throw new InvalidEventsException(where + ": Description " + Text.quote(description, 80)
                        + " is longer than 512 characters or holds control characters");
            }
            events.add(new ScheduledEvent(
                    code,
                    description,
                    eventId == null ? "unnamed" : eventId,
                    time(field(event, "NotBefore", where, false), where, "NotBefore"),
                    time(field(event, "NotAfter", where, false), where, "NotAfter"),
                    state == null ? null : state.toLowerCase(Locale.ROOT)));
        }
        return events;
    }

    private static String field(Map<?, ?> event, String name, String where, boolean required)
            throws InvalidEventsException {
        Object value = event.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidEventsException(where + " has no " + name);
            }
            return null;
        }
        if (!(value instanceof String text)) {
            throw new InvalidEventsException(
                    where + ": " + name + " is not a string: " + Text.quote(String.valueOf(value), 80));
        }
        return text;
    }

    private static Instant time(String text, String where, String name) throws InvalidEventsException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(text.strip(), EC2_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventsException(where + ": " + name + " " + Text.quote(text, 80)
                    + " is not a time like \"21 Jan 2019 09:00:43 GMT\"");
        }
    }

    /** The answer was not a list of events. */
    public static final class InvalidEventsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEventsException(String message) {
            super(ITEM + ": " + message);
        }
    }
}
