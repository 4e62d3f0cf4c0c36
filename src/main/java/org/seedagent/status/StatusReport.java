package org.seedagent.status;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.seedagent.checks.CheckResult;
import org.seedagent.status.StatusFacts.Read;

/**
 * One {@code seed-agent status} report: what was read ({@link StatusFacts}), what it means (each part's
 * verdict, the findings) and the overall {@link Health}, which is the exit code. Immutable; rendered by
 * {@link #text} and {@link #json}.
 */
public final class StatusReport {
    /** The schema version of {@link #json()}; raised only by a change that breaks readers. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * HTCondor's live {@code TCP_FORWARDING_HOST}.
     *
     * @param value the expanded value, or null when undefined or HTCondor could not be asked
     * @param location where the winning definition is (file and line), or null
     * @param raw the definition before expansion, or null
     * @param expected the address the agent put in force, or null when it has none
     * @param inEffect whether {@code value} is {@code expected}; null when that cannot be told
     */
    record Forwarding(String value, String location, String raw, String expected, Boolean inEffect) {}

    /**
     * The fragment.
     *
     * @param expectedSha256 SHA-256 of what the agent last wrote; null when it wrote none (or removed it)
     * @param matches whether the file holds what the agent wrote; null when that cannot be told
     */
    record FragmentVerdict(Path path, Read read, String sha256, String expectedSha256, Boolean matches) {}

    /**
     * What HTCondor's daemons advertise.
     *
     * @param source {@code live} (address files read now), {@code recorded} (the agent's last reading) or
     *     {@code none}
     * @param checked when the addresses were read
     * @param hosts daemon name to advertised host
     * @param caughtUp whether every daemon advertises {@code expected}; null when that cannot be told
     * @param progress {@code caught-up}; {@code catching-up} (within {@code advertise.timeout} of the change);
     *     {@code late} (past it); {@code configured-otherwise} (HTCondor is configured with another address, so
     *     the daemons are not expected to advertise the agent's); null when {@code caughtUp} is null
     */
    record Advertised(
            String expected,
            String source,
            Instant checked,
            Map<String, String> hosts,
            Boolean caughtUp,
            String progress) {
        /** The order daemons are shown in; others follow by name. */
        static final List<String> DAEMONS = List.of("master", "schedd", "collector");

        Advertised {
            Map<String, String> ordered = new LinkedHashMap<>();
            for (String daemon : DAEMONS) {
                if (hosts.containsKey(daemon)) {
                    ordered.put(daemon, hosts.get(daemon));
                }
            }
            new TreeMap<>(hosts).forEach(ordered::putIfAbsent);
            hosts = Collections.unmodifiableMap(ordered);
        }
    }

    final StatusFacts facts;
    final AgentState agent;
    final String agentDetail;
    final FragmentVerdict fragment;
    final Forwarding forwarding;
    final Advertised advertised;
    final List<CheckResult> checks;
    final List<Finding> findings;
    final Health health;

    StatusReport(
            StatusFacts facts,
            AgentState agent,
            String agentDetail,
            FragmentVerdict fragment,
            Forwarding forwarding,
            Advertised advertised,
            List<CheckResult> checks,
            List<Finding> findings) {
        this.facts = Objects.requireNonNull(facts, "facts");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.agentDetail = Objects.requireNonNull(agentDetail, "agentDetail");
        this.fragment = Objects.requireNonNull(fragment, "fragment");
        this.forwarding = Objects.requireNonNull(forwarding, "forwarding");
        this.advertised = Objects.requireNonNull(advertised, "advertised");
        this.checks = List.copyOf(checks);
        this.findings = List.copyOf(findings);
        this.health = health(agent, this.findings);
    }

    private static Health health(AgentState agent, List<Finding> findings) {
        if (agent != AgentState.RUNNING) {
            return Health.NOT_RUNNING;
        }
        if (findings.stream().anyMatch(f -> f.level() == Finding.Level.FAILURE)) {
            return Health.NEEDS_ATTENTION;
        }
        if (findings.stream().anyMatch(f -> f.level() == Finding.Level.WARNING)) {
            return Health.DEGRADED;
        }
        return Health.HEALTHY;
    }

    public Health health() {
        return health;
    }

    /** The exit code of {@code seed-agent status}: 0, 1, 2 or 3 (see {@link Health}). */
    public int exitCode() {
        return health.exitCode();
    }

    /**
     * The one-screen text report.
     *
     * @param colour ANSI colours (only on a terminal)
     * @param full every check result with its details and the whole history ({@code --long})
     */
    public String text(boolean colour, boolean full) {
        return new TextRenderer(this, colour, full).render();
    }

    /**
     * The text report for a terminal {@code width} columns wide: long lines wrapped at spaces, each continuation
     * indented under what it continues ({@code width} 0: not wrapped, one line per item).
     */
    public String text(boolean colour, boolean full, int width) {
        return ScreenWrap.wrap(text(colour, full), width);
    }

    /** The JSON document (schema_version 1; pretty-printed; ends with a newline). Always complete. */
    public String json() {
        return JsonRenderer.render(this);
    }

    /** The problems at {@code level}, a folded cascade counted as the checks it stands for. */
    long count(Finding.Level level) {
        return findings.stream()
                .filter(f -> f.level() == level)
                .mapToLong(Finding::checks)
                .sum();
    }
}
