package org.seedagent.restart;

import java.util.OptionalInt;
import org.seedagent.condor.CondorValues;

/**
 * The job lease the schedd gives ({@code JOB_DEFAULT_LEASE_DURATION}, as HTCondor evaluates it):
 * running jobs reconnect only if the seed's schedd is back within it.
 *
 * @param seconds the lease compared with (HTCondor's default when it is not set or cannot be read)
 * @param source where the figure comes from
 * @param detail why it could not be read; null otherwise
 */
public record JobLease(int seconds, Source source, String detail) {
    /** HTCondor's default for JOB_DEFAULT_LEASE_DURATION. */
    public static final int DEFAULT_SECONDS = 2400;

    /** Where the figure comes from. */
    public enum Source {
        /** JOB_DEFAULT_LEASE_DURATION as evaluated by condor_config_val. */
        CONFIGURED,
        /** Not set: HTCondor's default applies. */
        DEFAULT,
        /** condor_config_val could not tell (missing, broken, or a value that is not a number): the default is assumed. */
        UNREADABLE
    }

    /** From the evaluated value ({@code null}: not defined). */
    public static JobLease evaluated(String value) {
        if (value == null) {
            return new JobLease(DEFAULT_SECONDS, Source.DEFAULT, null);
        }
        OptionalInt seconds = CondorValues.integer(value);
        if (seconds.isEmpty() || seconds.getAsInt() <= 0) {
            return unreadable("JOB_DEFAULT_LEASE_DURATION = " + value + " is not a positive number of seconds");
        }
        return new JobLease(seconds.getAsInt(), Source.CONFIGURED, null);
    }

    public static JobLease unreadable(String why) {
        return new JobLease(DEFAULT_SECONDS, Source.UNREADABLE, why);
    }

    /** "the job lease of 2400 s (JOB_DEFAULT_LEASE_DURATION)" and where it comes from. */
    public String describe() {
        return switch (source) {
            case CONFIGURED -> "the job lease of " + seconds + " s (JOB_DEFAULT_LEASE_DURATION)";
            case DEFAULT ->
                "the job lease of " + seconds + " s (HTCondor's default; JOB_DEFAULT_LEASE_DURATION is not set)";
            case UNREADABLE ->
                "the job lease, assumed to be HTCondor's default of " + seconds + " s (it could not be read: " + detail
                        + ")";
        };
    }
}
