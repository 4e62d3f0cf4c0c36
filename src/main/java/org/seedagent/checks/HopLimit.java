package org.seedagent.checks;

import java.util.List;
import org.seedagent.config.ImdsGuardSettings;
import org.seedagent.eip.MetadataOptions;

/**
 * The imds-guard result with the metadata options in force, as EC2 reports them (issue 21): the PUT response's
 * hop limit decides whether a token reaches a container behind the host (a bridge adds a hop). With the guard's rule
 * set in force and no forwarded interface allowed, its forward chain refuses such containers anyway, so a hop limit
 * above 1 is only noted; with the guard off or not in force, or an interface allowed through it, it is a warning
 * with the fix.
 */
public final class HopLimit {
    private HopLimit() {}

    /**
     * {@code results} unchanged when {@code options} is null (not asked: no instance profile, no metadata).
     *
     * @param guardInForce whether the guard's rule set is in force now (its record and its watch's word), not only
     *     enabled in the configuration
     */
    public static List<CheckResult> with(
            List<CheckResult> results,
            MetadataOptions.Read options,
            ImdsGuardSettings guard,
            boolean guardInForce,
            String instanceId) {
        if (options == null) {
            return results;
        }
        return Checks.amend(results, Check.IMDS_GUARD, r -> amend(r, options, guard, guardInForce, instanceId));
    }

    private static CheckResult amend(
            CheckResult r,
            MetadataOptions.Read read,
            ImdsGuardSettings guard,
            boolean guardInForce,
            String instanceId) {
        if (read.options() == null) {
            return r.amended(null, "; the hop limit in force was not read: " + read.notRead(), null);
        }
        MetadataOptions options = read.options();
        String facts = "; metadata options (DescribeInstances): http-tokens " + value(options.httpTokens())
                + ", hop limit " + (options.hopLimit() == null ? "not given" : options.hopLimit())
                + ("pending".equals(options.state()) ? " (a change is pending)" : "");
        if (options.hopLimit() == null || options.hopLimit() <= 1) {
            return r.amended(
                    null,
                    facts + (options.hopLimit() == null ? "" : ": a token does not reach a container behind the host"),
                    null);
        }
        // The IMDSv1 fix (when it answers) already sets the hop limit to 1: the same command is not given twice.
        String fix = r.remedy() != null && r.remedy().contains("--http-put-response-hop-limit 1")
                ? null
                : "`" + Checks.metadataOptionsCommand(instanceId, "--http-put-response-hop-limit 1") + "`";
        boolean guardRefusesForwarded = guardInForce
                && guard.enabled()
                && guard.allowForwardInterfaces().isEmpty();
        if (guardRefusesForwarded) {
            return r.amended(
                    null,
                    facts + ": a container behind the host gets a token, and only the guard's forward"
                            + " chain keeps it from the credentials",
                    fix);
        }
        return r.amended(
                Severity.WARNING,
                facts + ": a container behind the host gets a token and reaches the instance"
                        + " profile's credentials"
                        + (!guard.enabled()
                                ? " (the guard is off)"
                                : !guardInForce
                                        ? " (the guard's rule set is not in force, see above)"
                                        : " through " + String.join(", ", guard.allowForwardInterfaces())
                                                + " (imds-guard.allow-forward-interfaces)"),
                fix);
    }

    /** EC2's word as is when it is one (required, optional); anything else quoted, as untrusted text is. */
    private static String value(String text) {
        return text == null ? "not given" : text.matches("[a-z]{1,16}") ? text : Show.value(text);
    }
}
