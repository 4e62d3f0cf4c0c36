package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.config.ImdsGuardSettings;
import org.seedagent.eip.MetadataOptions;

/** Issue 21: check reports the hop limit in force (EC2's metadata options), weighed by what the guard refuses. */
class HopLimitTest {
    private static final String INSTANCE = "i-0123456789abcdef0";
    private static final ImdsGuardSettings GUARD_ON = new ImdsGuardSettings(true, List.of(), List.of(), List.of());
    private static final ImdsGuardSettings GUARD_OFF = new ImdsGuardSettings(false, List.of(), List.of(), List.of());
    private static final ImdsGuardSettings DOCKER0 =
            new ImdsGuardSettings(true, List.of(), List.of(), List.of("docker0"));

    private static CheckResult guard(List<CheckResult> results) {
        return results.stream()
                .filter(r -> r.id().equals("imds-guard"))
                .findFirst()
                .orElseThrow();
    }

    private static MetadataOptions.Read read(String tokens, Integer hop, String state) {
        return new MetadataOptions.Read(new MetadataOptions(tokens, hop, "enabled", state), null);
    }

    @Test
    void notAsked_unchanged_notRead_saysWhy() {
        List<CheckResult> base = Seed.healthy().results();
        assertEquals(base, HopLimit.with(base, null, GUARD_ON, true, INSTANCE));

        CheckResult r = guard(HopLimit.with(
                base,
                MetadataOptions.Read.not("the instance profile's role does not allow" + " ec2:DescribeInstances"),
                GUARD_ON,
                true,
                INSTANCE));
        assertEquals(guard(base).severity(), r.severity());
        assertTrue(
                r.finding()
                        .endsWith("; the hop limit in force was not read: the instance profile's role does not"
                                + " allow ec2:DescribeInstances"),
                r.finding());
    }

    @Test
    void hopLimit1_saysSo_severityAsItWas() {
        List<CheckResult> base = Seed.healthy().results();
        CheckResult r = guard(HopLimit.with(base, read("required", 1, "applied"), GUARD_OFF, false, INSTANCE));
        assertEquals(guard(base).severity(), r.severity());
        assertEquals(guard(base).remedy(), r.remedy());
        assertTrue(
                r.finding()
                        .endsWith("; metadata options (DescribeInstances): http-tokens required, hop limit 1: a"
                                + " token does not reach a container behind the host"),
                r.finding());
    }

    @Test
    void hopLimit2_guardRefusesForwarded_noted_withTheFix() {
        List<CheckResult> base = Seed.healthy().results();
        CheckResult r = guard(HopLimit.with(base, read("required", 2, "applied"), GUARD_ON, true, INSTANCE));
        assertEquals(guard(base).severity(), r.severity(), "the forward chain refuses such containers");
        assertTrue(
                r.finding()
                        .contains("hop limit 2: a container behind the host gets a token, and only the guard's"
                                + " forward chain keeps it from the credentials"),
                r.finding());
        assertTrue(
                r.remedy()
                        .contains("aws ec2 modify-instance-metadata-options --instance-id " + INSTANCE
                                + " --http-put-response-hop-limit 1"),
                r.remedy());
    }

    @Test
    void hopLimit2_guardOffOrAnInterfaceAllowed_warning() {
        List<CheckResult> base = Seed.healthy().results();
        CheckResult off = guard(HopLimit.with(base, read("required", 2, "pending"), GUARD_OFF, false, INSTANCE));
        assertEquals(Severity.WARNING, off.severity());
        assertTrue(
                off.finding()
                        .contains("hop limit 2 (a change is pending): a container behind the host gets a token"
                                + " and reaches the instance profile's credentials (the guard is off)"),
                off.finding());
        CheckResult docker = guard(HopLimit.with(base, read("required", 3, "applied"), DOCKER0, true, INSTANCE));
        assertEquals(Severity.WARNING, docker.severity());
        assertTrue(
                docker.finding().endsWith("through docker0 (imds-guard.allow-forward-interfaces)"), docker.finding());
    }

    /** Enabled in the configuration is not enough: its rule set must be in force (review of issue 21). */
    @Test
    void hopLimit2_guardEnabledButNotInForce_warning() {
        CheckResult r = guard(
                HopLimit.with(Seed.healthy().results(), read("required", 2, "applied"), GUARD_ON, false, INSTANCE));
        assertEquals(Severity.WARNING, r.severity());
        assertTrue(r.finding().endsWith("(the guard's rule set is not in force, see above)"), r.finding());
    }

    @Test
    void anUnexpectedWordFromEc2_quoted() {
        CheckResult r = guard(HopLimit.with(
                Seed.healthy().results(), read("required\u001b[2J", 1, "applied"), GUARD_ON, true, INSTANCE));
        assertTrue(!r.finding().contains("\u001b"), r.finding());
    }
}
