package org.seedagent.restart;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of {@code events/maintenance/scheduled}: EC2 announces a stop, reboot or retirement of
 * the instance ahead of time.
 *
 * @param code {@code instance-stop}, {@code instance-retirement}, {@code instance-reboot},
 *     {@code system-reboot}, {@code system-maintenance}
 * @param state {@code active}, {@code completed} or {@code canceled}
 * @param notBefore the start of the window; null when not given
 * @param notAfter the end of the window; null when not given
 */
public record ScheduledEvent(
        String code, String description, String eventId, Instant notBefore, Instant notAfter, String state) {
    private static final Set<String> CHANGES_ADDRESS = Set.of("instance-stop", "instance-retirement");

    /** Not completed or canceled: still to come (or under way). */
    public boolean active() {
        return state == null || state.toLowerCase(Locale.ROOT).equals("active");
    }

    /**
     * A stop or retirement: the seed is stopped (retirement: must be stopped and started, or replaced),
     * which gives it a new public IP unless it has an Elastic IP, and takes longer than a reboot.
     */
    public boolean changesAddress() {
        return CHANGES_ADDRESS.contains(code);
    }

    /** One line: what, when, and what it means for the seed. */
    public String describe() {
        String when = notBefore == null
                ? "at a time not given"
                : "between " + Clocks.utc(notBefore) + " and "
                        + (notAfter == null ? "an open end" : Clocks.utc(notAfter));
        String what = code + " (" + eventId + ", " + (state == null ? "active" : state) + ") " + when;
        if (!active()) {
            return what + ": no longer scheduled";
        }
        if (changesAddress()) {
            return what + ": the seed will be stopped, which changes its public IP unless it is an Elastic IP (annex"
                    + " nodes then cannot rejoin) and takes longer than a reboot";
        }
        return what + ": the seed will be rebooted (it keeps its address; running jobs reconnect if it is back within"
                + " the job lease)";
    }

    /** What to do about an active event; null when nothing is to be done. */
    public String remedy() {
        if (!active()) {
            return null;
        }
        if (changesAddress()) {
            return "associate an Elastic IP with the seed before the window (annex nodes must then be started again"
                    + " once), or reschedule the event (aws ec2 modify-instance-event-start-time --instance-id <id>"
                    + " --instance-event-id " + eventId + " --not-before <time>) to a quiet time, or stop and start the"
                    + " seed yourself at a quiet time";
        }
        return "reschedule the event to a quiet time (aws ec2 modify-instance-event-start-time --instance-id <id>"
                + " --instance-event-id " + eventId + " --not-before <time>), or reboot the seed yourself before it";
    }
}
