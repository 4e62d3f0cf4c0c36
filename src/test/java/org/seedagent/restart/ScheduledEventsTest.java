package org.seedagent.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** events/maintenance/scheduled in the format EC2 serves it. */
class ScheduledEventsTest {
    /** As the EC2 user guide shows it (instance metadata categories, events/maintenance/scheduled). */
    static final String EC2_EXAMPLE = """
            [
              {
                "NotBefore" : "21 Jan 2019 09:00:43 GMT",
                "Code" : "system-reboot",
                "Description" : "scheduled reboot",
                "EventId" : "instance-event-0d59937288b749b32",
                "NotAfter" : "21 Jan 2019 09:17:23 GMT",
                "State" : "active"
              }
            ]""";

    @Test
    void parse_ec2Example_allFields() throws Exception {
        ScheduledEvent event = ScheduledEvents.parse(EC2_EXAMPLE).get(0);
        assertEquals("system-reboot", event.code());
        assertEquals("scheduled reboot", event.description());
        assertEquals("instance-event-0d59937288b749b32", event.eventId());
        assertEquals(Instant.parse("2019-01-21T09:00:43Z"), event.notBefore());
        assertEquals(Instant.parse("2019-01-21T09:17:23Z"), event.notAfter());
        assertEquals("active", event.state());
        assertTrue(event.active());
        assertFalse(event.changesAddress());
        assertTrue(event.describe().contains("the seed will be rebooted (it keeps its address"), event.describe());
    }

    @Test
    void parse_emptyList_noEvents() throws Exception {
        assertEquals(List.of(), ScheduledEvents.parse("[]"));
        assertEquals(List.of(), ScheduledEvents.parse(" [ ]\n"));
    }

    @Test
    void instanceStop_changesAddress_remedyNamesElasticIpAndReschedule() throws Exception {
        ScheduledEvent event = ScheduledEvents.parse("[{\"Code\":\"instance-stop\",\"EventId\":\"instance-event-1\","
                        + "\"NotBefore\":\"5 Dec 2026 02:00:00 GMT\",\"State\":\"active\"}]")
                .get(0);
        assertTrue(event.changesAddress());
        assertTrue(event.describe().contains("changes its public IP unless it is an Elastic IP"), event.describe());
        assertTrue(event.remedy().contains("Elastic IP"), event.remedy());
        assertTrue(event.remedy().contains("--instance-event-id instance-event-1"), event.remedy());
        assertNull(event.notAfter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"completed", "canceled", "Completed"})
    void completedOrCanceled_notActive_noRemedy(String state) throws Exception {
        ScheduledEvent event = ScheduledEvents.parse(
                        "[{\"Code\":\"instance-retirement\",\"EventId\":\"e-1\",\"State\":\"" + state + "\"}]")
                .get(0);
        assertFalse(event.active());
        assertNull(event.remedy());
        assertTrue(event.describe().endsWith("no longer scheduled"), event.describe());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<html>502 Bad Gateway</html>",
                "{\"Code\":\"instance-stop\"}",
                "[1, 2]",
                "[{}]",
                "[{\"Code\": 5}]",
                "[{\"Code\":\"instance-stop\",\"NotBefore\":\"tomorrow\"}]",
                "[{\"Code\":\"instance-stop\\nTCP_FORWARDING_HOST = 1.2.3.4\"}]",
                "[{\"Code\":\"instance-stop\",\"EventId\":\"$(x)\"}]",
                "[{\"Code\":\"instance-stop\",\"Description\":\"a\\u0007b\"}]"
            })
    void garbage_rejectedWithWhatCameBack(String body) {
        ScheduledEvents.InvalidEventsException e =
                assertThrows(ScheduledEvents.InvalidEventsException.class, () -> ScheduledEvents.parse(body));
        assertTrue(e.getMessage().startsWith("events/maintenance/scheduled: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void tooLong_rejected() {
        String body = "[" + "{\"Code\":\"system-reboot\"},".repeat(5000) + "{\"Code\":\"system-reboot\"}]";
        assertThrows(ScheduledEvents.InvalidEventsException.class, () -> ScheduledEvents.parse(body));
    }
}
