package org.seedagent.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.BootPolicy;
import org.seedagent.fragment.Fragment;
import org.seedagent.fragment.FragmentFile;
import org.seedagent.fragment.FragmentWriteException;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.state.DaemonState;
import org.seedagent.state.LastReload;
import org.seedagent.support.AtomicFile;
import org.seedagent.support.Digests;
import org.seedagent.sync.SyncException;
import org.seedagent.sync.SyncPlan;
import org.seedagent.sync.SyncResult;
import org.seedagent.sync.Synchronizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address in force: a sync result acted on. A change is pre-flighted (HTCondor parses its whole configuration
 * with the new fragment) and HTCondor reloaded; a fragment HTCondor rejects is rolled back and not written again
 * while the address stays; drift (the file deleted or edited while the address stayed) is repaired without a
 * reload. At boot without an address, the boot policy decides what becomes of the previous fragment.
 */
final class AddressSync {
    private static final Logger log = LoggerFactory.getLogger(AddressSync.class);

    /** What HTCondor's parser said of the configuration with a new fragment. */
    enum Preflight {
        /** It parses; HTCondor was reloaded (or the reload skipped or failed, as reported). */
        PARSES,
        /** Another file is broken: the fragment stays, HTCondor is not reloaded. */
        BROKEN_ELSEWHERE,
        /** Our fragment was rejected: the previous one was restored. */
        OURS_REJECTED
    }

    private final Reloads reloads;
    private final StrandedAnnexWatch strandedAnnexes;
    /** The fragment could not be brought in line (unwritable, or nothing safe to write). */
    private final FailureStreak failures = new FailureStreak();
    /**
     * The fragment HTCondor's parser rejected (it was rolled back), and why: not written again while the address
     * stays the same, until a SIGHUP says HTCondor's side was fixed.
     */
    private String rejectedFragment;

    private String rejectedDetail;

    AddressSync(Reloads reloads, StrandedAnnexWatch strandedAnnexes) {
        this.reloads = reloads;
        this.strandedAnnexes = strandedAnnexes;
    }

    /** The fragment for today's configuration. */
    static Synchronizer synchronizer(AgentConfig config) {
        return new Synchronizer(new FragmentFile(config.fragmentPath()), config.noPublicIp());
    }

    /** The configuration was reloaded (SIGHUP): a rejected fragment may be tried again. */
    void forgetRejection() {
        rejectedFragment = null;
    }

    /**
     * At a poll: brings the fragment in line with {@code address} and records the poll; returns whether the address
     * in force changed. A fragment HTCondor rejected is not written again while the address stays.
     */
    boolean poll(Step step, Optional<Ipv4Address> address)
            throws InterruptedException, SyncException, FragmentWriteException {
        if (stillRejected(step, address)) {
            PollRecord.failed(step, rejectedDetail);
            return false;
        }
        SyncResult result = synchronizer(step.config()).apply(address, step.facts());
        failures.succeeded(step.now())
                .ifPresent(streak -> log.info(
                        "the fragment {} is in line again after {}",
                        step.config().fragmentPath(),
                        streak));
        boolean changed = apply(step, result, false);
        PollRecord.ok(step, result);
        return changed;
    }

    /** The fragment could not be brought in line: said once per streak ({@code atBoot}: always), recorded. */
    void failed(Step step, Exception e, boolean atBoot) {
        boolean firstOfStreak = failures.failed(step.now());
        if (atBoot) {
            log.error("{}", e.getMessage());
        } else if (firstOfStreak) {
            log.error("{}; keeping the previous fragment and polling on", e.getMessage());
        }
        PollRecord.failed(step, e.getMessage());
    }

    /** Whether the fragment for {@code address} is the one HTCondor rejected (so it is not written again). */
    private boolean stillRejected(Step step, Optional<Ipv4Address> address) {
        if (rejectedFragment == null) {
            return false;
        }
        if (SyncPlan.decide(address, step.facts(), step.config().noPublicIp()) instanceof SyncPlan.Write write
                && write.fragment().text().equals(rejectedFragment)) {
            return true;
        }
        rejectedFragment = null;
        return false;
    }

    /**
     * Acts on a sync result; returns whether the address in force changed. {@code booting}: a reload is deferred
     * until after READY=1 when HTCondor already runs.
     */
    boolean apply(Step step, SyncResult result, boolean booting) throws InterruptedException {
        DaemonState state = step.state();
        Instant now = step.now();
        String old = state.currentAddress != null ? state.currentAddress : result.previousHost();
        String next = result.fragment() == null
                ? null
                : result.fragment().forwardingHost().text();
        boolean inForce = result.action() == SyncResult.Action.WRITTEN
                || result.action() == SyncResult.Action.UNCHANGED
                || result.action() == SyncResult.Action.REMOVED
                || result.action() == SyncResult.Action.ABSENT;
        if (!inForce) {
            step.summary().set(result.describe());
            return false;
        }
        boolean changed = !Objects.equals(old, next);
        state.fragmentPath = result.path().toString();
        state.fragmentSha256 = result.fragment() == null
                ? null
                : Digests.sha256(result.fragment().text());
        if (!changed) {
            if (state.currentAddress == null && next != null) {
                // The state file was lost; the fragment already holds the address.
                setAddress(state, result, now);
            }
            if (result.action() == SyncResult.Action.WRITTEN) {
                // An earlier version's fragment (another comment, another block) differs too: said as such, since
                // the first start after an upgrade rewrites it.
                log.warn(
                        "{} had been {}; restored it (TCP_FORWARDING_HOST = {})",
                        result.path(),
                        result.previousContent() == null
                                ? "deleted"
                                : "edited by hand, or written by an earlier version of seed-agent",
                        next);
            }
            step.summary().set(summaryFor(next, result));
            return false;
        }
        if (old != null && next != null && !old.equals(next)) {
            log.warn(
                    "public address changed from {} to {}: {}. Annex nodes already running were configured with "
                            + "the old collector address and will not rejoin; an Elastic IP keeps the address across "
                            + "stop/start",
                    old,
                    next,
                    result.describe());
        } else {
            log.info("{}", result.describe());
        }
        Preflight preflight = preflightAndReload(step, result, booting);
        if (preflight == Preflight.OURS_REJECTED) {
            // The previous fragment is back, and with it the address in force.
            state.fragmentSha256 = result.previousContent() == null ? null : Digests.sha256(result.previousContent());
            return false;
        }
        state.recordChange(new DaemonState.Change(now, old, next));
        if (old != null && next != null) {
            strandedAnnexes.changed(next, now);
        }
        setAddress(state, result, now);
        if (preflight == Preflight.PARSES) {
            step.summary().set(summaryFor(next, result));
        }
        return true;
    }

    /** Checks that HTCondor parses its whole configuration with the new fragment, then reloads it. */
    private Preflight preflightAndReload(Step step, SyncResult result, boolean booting) throws InterruptedException {
        AgentConfig config = step.config();
        DaemonState state = step.state();
        ConfigProbe.Result probe = step.preflights().run(config);
        if (!probe.parses()) {
            boolean ours =
                    probe.errorFile() != null && Path.of(probe.errorFile()).equals(config.fragmentPath());
            if (ours) {
                restorePrevious(result);
                String detail =
                        "HTCondor rejects the new fragment (" + probe.error() + "); the previous one was restored";
                if (result.fragment() != null) {
                    rejectedFragment = result.fragment().text();
                    rejectedDetail = "HTCondor rejected the fragment for TCP_FORWARDING_HOST = "
                            + result.fragment().forwardingHost() + " (" + probe.error() + "); the previous one stays"
                            + " until the address changes or seed-agent is reloaded (systemctl reload seed-agent)";
                }
                log.error("{}", detail);
                state.lastReload =
                        new LastReload(step.now(), LastReload.Result.NOT_ATTEMPTED, config.reloadMethod(), detail);
            } else {
                reloads.withhold(config, state, Reloads.withheldBecause(probe, config));
            }
            step.summary()
                    .set(
                            probe.evaluation() instanceof CondorEvaluation.Failed f
                                            && f.kind() == CondorEvaluation.Kind.NOT_INSTALLED
                                    ? "HTCondor's condor_config_val not found at " + config.condorConfigVal()
                                    : "HTCondor configuration broken: " + probe.error());
            return ours ? Preflight.OURS_REJECTED : Preflight.BROKEN_ELSEWHERE;
        }
        String inForce = probe.knobs().get("TCP_FORWARDING_HOST");
        if (result.fragment() != null
                && !result.fragment().forwardingHost().text().equals(inForce)) {
            log.warn(
                    "HTCondor's TCP_FORWARDING_HOST is {}, not {}: a file read after {} overrides it "
                            + "(see seed-agent check)",
                    inForce == null ? "undefined" : inForce,
                    result.fragment().forwardingHost(),
                    config.fragmentPath());
        }
        String expected = result.fragment() == null
                ? null
                : result.fragment().forwardingHost().text();
        reloads.reloadOrDefer(config, state, expected, booting);
        return Preflight.PARSES;
    }

    /**
     * The metadata service did not answer at boot: what the boot policy does with the previous fragment, said in a
     * few words for the log and the boot record.
     */
    static String bootFallback(Step step, Instant now) {
        AgentConfig config = step.config();
        DaemonState state = step.state();
        FragmentFile file = new FragmentFile(config.fragmentPath());
        if (config.bootOnUnavailable() == BootPolicy.REMOVE) {
            try {
                boolean removed = file.remove();
                if (removed) {
                    state.recordChange(new DaemonState.Change(now, state.currentAddress, null));
                    state.currentAddress = null;
                }
                return removed
                        ? "removed " + file.path() + " (boot.on-unavailable = remove)"
                        : file.path() + " is absent (boot.on-unavailable = remove)";
            } catch (FragmentWriteException e) {
                return "could not remove " + file.path() + ": " + e.getMessage();
            }
        }
        try {
            String host = file.read().map(Fragment::forwardingHostIn).orElse(null);
            return host == null
                    ? "no previous fragment to keep"
                    : "kept the previous fragment (TCP_FORWARDING_HOST = " + host + ")";
        } catch (FragmentWriteException e) {
            return "kept the previous fragment";
        }
    }

    private static void setAddress(DaemonState state, SyncResult result, Instant now) {
        state.currentAddress = result.fragment() == null
                ? null
                : result.fragment().forwardingHost().text();
        state.addressKind = result.fragment() == null ? null : result.fragment().kind();
        state.addressSince = now;
    }

    private static void restorePrevious(SyncResult result) {
        try {
            if (result.previousContent() == null) {
                new FragmentFile(result.path()).remove();
            } else {
                AtomicFile.write(
                        result.path(),
                        result.previousContent().getBytes(StandardCharsets.UTF_8),
                        PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            log.error("could not restore the previous fragment {}: {}", result.path(), e.getMessage());
        }
    }

    static String summaryFor(String host, SyncResult result) {
        if (host == null) {
            return result.describe();
        }
        return "TCP_FORWARDING_HOST = " + host + " ("
                + (result.fragment().kind() == Fragment.AddressKind.PUBLIC
                        ? "public IPv4"
                        : "private address, no public IPv4")
                + ")";
    }
}
