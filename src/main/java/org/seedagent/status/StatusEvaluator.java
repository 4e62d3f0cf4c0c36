package org.seedagent.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.seedagent.checks.CheckResult;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.Knob;
import org.seedagent.config.AgentConfig;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.status.StatusFacts.AddressRead;
import org.seedagent.status.StatusFacts.Read;
import org.seedagent.status.StatusReport.Advertised;
import org.seedagent.status.StatusReport.Forwarding;
import org.seedagent.status.StatusReport.FragmentVerdict;

/**
 * Decides what the facts mean: a pure function from {@link StatusFacts} to a {@link StatusReport}. No
 * I/O, no clock (now is in the facts), so every state is a table row in a test.
 */
final class StatusEvaluator {

    private final StatusFacts facts;
    private final AgentConfig config;
    private final DaemonState state;
    private final Instant now;
    private final String unit;
    private final List<Finding> findings = new ArrayList<>();

    private StatusEvaluator(StatusFacts facts) {
        this.facts = facts;
        this.config = facts.config();
        this.state = facts.state().state();
        this.now = facts.now();
        this.unit = config.condorUnit();
    }

    static StatusReport evaluate(StatusFacts facts) {
        return new StatusEvaluator(facts).run();
    }

    private StatusReport run() {
        AgentFindings agents = new AgentFindings(facts, findings);
        AgentState agent = agents.agentState();
        String agentDetail = agents.agentDetail(agent);
        agents.agentFinding(agent, agentDetail);
        // The most urgent first: EC2 gives two minutes after a spot notice (issue 22: it came fourth).
        InstanceFindings instance = new InstanceFindings(facts, findings);
        instance.spot();
        FragmentVerdict fragment = fragment(agent);
        Forwarding forwarding = forwarding();
        Advertised advertised = advertised(forwarding);
        ReloadFindings reloads = new ReloadFindings(facts, findings);
        reloads.poll();
        reloads.localTools();
        reloads.reload(advertised);
        List<CheckResult> checks = new CheckFindings(facts, findings).checks();
        instance.restart();
        instance.lastChange();
        instance.scheduledEvents();
        instance.elasticIpClaim();
        instance.guardUnit();
        return new StatusReport(facts, agent, agentDetail, fragment, forwarding, advertised, checks, findings);
    }

    // --- the fragment ------------------------------------------------------------------------------

    private FragmentVerdict fragment(AgentState agent) {
        StatusFacts.FragmentRead read = facts.fragment();
        String expected = state == null ? null : state.fragmentSha256;
        boolean agentWroteOne = expected != null;
        boolean agentRemovedIt = state != null && state.fragmentPath != null && expected == null;
        Boolean matches = null;
        String since = state != null && state.addressSince != null
                ? " (it wrote it " + Times.relative(state.addressSince, now) + ")"
                : "";
        String next = agent == AgentState.RUNNING
                ? "the agent restores it at its next poll (every " + Times.duration(config.pollInterval()) + ")"
                : "start the agent: it restores the fragment at boot";
        switch (read.read()) {
            case OK -> {
                if (agentWroteOne) {
                    matches = expected.equals(read.sha256());
                    if (!matches) {
                        findings.add(
                                Finding.failure(
                                        "fragment",
                                        read.path() + " is not what the agent wrote" + since
                                                + ": edited by hand, or written by something else",
                                        next
                                                + "; to override the address on purpose, set TCP_FORWARDING_HOST in a file that sorts after it"));
                    }
                } else if (agentRemovedIt) {
                    matches = false;
                    findings.add(Finding.note(
                            "fragment",
                            read.path() + " is present, but the agent last removed it ("
                                    + (state.lastPoll == null ? "no public IPv4" : state.lastPoll.detail()) + ")"));
                }
            }
            case MISSING -> {
                if (agentWroteOne) {
                    matches = false;
                    findings.add(Finding.failure(
                            "fragment", read.path() + " is missing: deleted after the agent wrote it" + since, next));
                } else if (agentRemovedIt) {
                    matches = true;
                }
            }
            case UNREADABLE, INVALID ->
                findings.add(Finding.note(
                        "fragment",
                        "cannot read " + read.path() + ": " + read.problem()
                                + "; not compared with what the agent wrote"));
        }
        return new FragmentVerdict(read.path(), read.read(), read.sha256(), expected, matches);
    }

    // --- HTCondor's live configuration ---------------------------------------------------------------

    private Forwarding forwarding() {
        String expected = state == null ? null : state.currentAddress;
        if (facts.condor() instanceof CondorEvaluation.Failed failed) {
            if (failed.kind() == CondorEvaluation.Kind.CONFIGURATION_ERROR) {
                findings.add(Finding.failure(
                        "htcondor",
                        "HTCondor's configuration does not parse: " + failed.reason(),
                        "fix " + (failed.file() == null ? "the file named" : failed.file() + " line " + failed.line())
                                + ": until then every HTCondor tool fails, and a reload or restart stops the pool"));
            } else {
                findings.add(Finding.warning(
                        "htcondor",
                        "cannot read HTCondor's configuration, so TCP_FORWARDING_HOST is " + "not verified: "
                                + failed.reason(),
                        switch (failed.kind()) {
                            case NOT_INSTALLED ->
                                "install HTCondor, or set condor.config-val in the agent's configuration";
                            case TIMED_OUT -> "run condor_config_val TCP_FORWARDING_HOST by hand to see why it hangs";
                            default -> "run condor_config_val -v TCP_FORWARDING_HOST by hand to see why it fails";
                        }));
            }
            return new Forwarding(null, null, null, expected, null);
        }
        CondorEvaluation.Evaluated evaluated = (CondorEvaluation.Evaluated) facts.condor();
        Knob knob = evaluated.view().defined("TCP_FORWARDING_HOST").orElse(null);
        String value = knob == null ? null : knob.value().strip();
        String location = knob == null ? null : knob.location().describe();
        String raw = knob == null ? null : knob.raw().strip();
        if (expected == null) {
            return new Forwarding(value, location, raw, null, null);
        }
        boolean inEffect = expected.equals(value);
        if (!inEffect) {
            String fragmentPath = facts.fragment().path().toString();
            if (knob == null) {
                findings.add(Finding.failure(
                        "htcondor",
                        "TCP_FORWARDING_HOST is not defined in HTCondor's configuration, " + "not " + expected,
                        "is " + fragmentPath + " read? condor_config_val -config lists the files "
                                + "HTCondor reads (LOCAL_CONFIG_DIR)"));
            } else if (knob.location().isFile() && knob.location().source().equals(fragmentPath)) {
                findings.add(Finding.failure(
                        "htcondor",
                        "TCP_FORWARDING_HOST is " + value + ", not " + expected
                                + ": the fragment holds another address",
                        "the agent rewrites the fragment at its next poll (every "
                                + Times.duration(config.pollInterval()) + ")"));
            } else {
                Path winner = knob.location().isFile() ? Path.of(knob.location().source()) : null;
                boolean laterInSameDirectory = winner != null
                        && Objects.equals(
                                winner.getParent(), facts.fragment().path().getParent())
                        && winner.getFileName()
                                        .toString()
                                        .compareTo(facts.fragment()
                                                .path()
                                                .getFileName()
                                                .toString())
                                > 0;
                String remedy = laterInSameDirectory
                        ? "remove TCP_FORWARDING_HOST from " + winner
                                + " (or set it to $(EC2PublicIP)), then: systemctl reload " + unit
                        : "condor_config_val -config lists the files HTCondor reads, in order: " + fragmentPath
                                + " must be read after " + (winner == null ? "the winning definition" : winner)
                                + "; then: systemctl reload " + unit;
                String how = raw.equals(value) ? "" : " (" + raw + ")";
                findings.add(Finding.failure(
                        "htcondor",
                        "forwarding not in effect: TCP_FORWARDING_HOST is " + value + how + ", set at " + location
                                + ", not " + expected,
                        remedy));
            }
        }
        return new Forwarding(value, location, raw, expected, inEffect);
    }

    // --- what the daemons advertise ------------------------------------------------------------------

    private Advertised advertised(Forwarding forwarding) {
        String expected = forwarding.expected() != null ? forwarding.expected() : forwarding.value();
        Map<String, String> live = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (AddressRead read : facts.addresses()) {
            switch (read.read()) {
                case OK -> live.put(read.daemon(), read.host());
                case MISSING -> missing.add(read.daemon() + " (" + read.file() + ")");
                case UNREADABLE, INVALID ->
                    findings.add(Finding.note(
                            "advertised",
                            "cannot read the " + read.daemon() + "'s address file " + read.file() + ": "
                                    + read.problem()));
            }
        }
        if (!missing.isEmpty()) {
            boolean none = missing.size() == facts.addresses().size();
            findings.add(Finding.warning(
                    "advertised",
                    (none ? "HTCondor does not seem to run: no address file for " : "no address file for ")
                            + String.join(", ", missing),
                    "systemctl status " + unit
                            + (none ? "; systemctl start " + unit : "; the master's log says why a daemon exits")));
        }
        String source;
        Instant checked;
        Map<String, String> hosts;
        if (!live.isEmpty()) {
            source = "live";
            checked = now;
            hosts = live;
        } else if (state != null
                && state.advertised != null
                && !state.advertised.addresses().isEmpty()
                && (facts.condor() instanceof CondorEvaluation.Failed
                        || facts.addresses().stream()
                                .anyMatch(r -> r.read() == Read.UNREADABLE || r.read() == Read.INVALID))) {
            // Nothing could be read live (as a user who may not read the files, or without condor_config_val):
            // show what the agent, running as root, read last.
            source = "recorded";
            checked = state.advertised.checked();
            hosts = state.advertised.addresses();
        } else {
            return new Advertised(expected, "none", null, Map.of(), null, null);
        }
        if (expected == null) {
            return new Advertised(null, source, checked, hosts, null, null);
        }
        boolean caughtUp = hosts.values().stream().allMatch(expected::equals);
        if (caughtUp) {
            return new Advertised(expected, source, checked, hosts, true, "caught-up");
        }
        if (Boolean.FALSE.equals(forwarding.inEffect())) {
            // The daemons follow HTCondor's configuration, which names another address: reported above.
            return new Advertised(expected, source, checked, hosts, false, "configured-otherwise");
        }
        Map<String, List<String>> byAddress = new LinkedHashMap<>();
        hosts.forEach((daemon, host) -> {
            if (!host.equals(expected)) {
                byAddress.computeIfAbsent(host, k -> new ArrayList<>()).add(daemon);
            }
        });
        List<String> parts = new ArrayList<>();
        byAddress.forEach((address, daemons) -> parts.add(
                String.join(", ", daemons) + " still advertise" + (daemons.size() == 1 ? "s " : " ") + address));
        Instant since = state == null ? null : state.addressSince;
        Duration age = since == null ? null : Duration.between(since, now);
        boolean late = age == null || age.compareTo(config.advertiseTimeout()) >= 0 || noReloadSince(since);
        String text = String.join("; ", parts) + ", not " + expected
                + (since == null ? "" : " (the address changed " + Times.relative(since, now) + ")")
                + ("recorded".equals(source) ? " [as the agent read it " + Times.relative(checked, now) + "]" : "");
        String remedy =
                "systemctl restart " + unit + " re-advertises at once (the schedd restarts; running jobs reconnect)";
        if (late) {
            findings.add(Finding.failure("advertised", text + ": annex nodes may be given the old address", remedy));
        } else {
            findings.add(Finding.warning(
                    "advertised", text + ": catching up (usually within 5 min of a reload)", "wait; or " + remedy));
        }
        return new Advertised(expected, source, checked, hosts, false, late ? "late" : "catching-up");
    }

    /** Whether HTCondor was not (and will not be) reloaded after the change: waiting will not help. */
    private boolean noReloadSince(Instant since) {
        LastReload reload = state == null ? null : state.lastReload;
        if (reload == null
                || since == null
                || reload.time() == null
                || reload.time().isBefore(since)) {
            return false;
        }
        return reload.neverTold();
    }
}
