package org.seedagent.status;

/**
 * What to do about a reload the daemon keeps pending, from the cause it recorded (its words: the daemon's
 * {@code Reloads.withheldBecause}): a missing or slow condor_config_val is not a broken file, and neither is a
 * failing {@code systemctl reload} (issue 22).
 */
public final class PendingReloadFix {
    private PendingReloadFix() {}

    /** The fix for {@code because}, the cause the daemon recorded; {@code unit} is HTCondor's unit. */
    public static String forCause(String because, String unit) {
        String why = because == null ? "" : because;
        if (why.startsWith("HTCondor's condor_config_val is not installed at ")) {
            return "install HTCondor, or set condor.config-val in seed-agent's configuration to the path of"
                    + " condor_config_val, then systemctl reload " + SystemdView.UNIT + "; seed-agent then reloads "
                    + unit + " by itself";
        }
        if (why.contains(" did not finish within ") && why.contains("raise condor.timeout")) {
            return "raise condor.timeout in seed-agent's configuration if condor_config_val is only slow (time it:"
                    + " time condor_config_val -dump), then systemctl reload " + SystemdView.UNIT
                    + "; seed-agent tries again at every poll";
        }
        if (why.startsWith("HTCondor's configuration does not parse")) {
            return "fix the file named (condor_config_val -config shows the error); seed-agent then reloads " + unit
                    + " by itself within one poll interval";
        }
        return "systemctl status " + unit + " says why the reload fails; seed-agent tries again at every poll "
                + "(journalctl -u " + SystemdView.UNIT + " has the agent's log)";
    }
}
