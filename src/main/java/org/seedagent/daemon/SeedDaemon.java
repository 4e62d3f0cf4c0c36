package org.seedagent.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.seedagent.checks.Check;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.Checks;
import org.seedagent.condor.AnnexRequests;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.BootPolicy;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.fragment.Fragment;
import org.seedagent.fragment.FragmentFile;
import org.seedagent.fragment.FragmentWriteException;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.metadata.MetadataSource;
import org.seedagent.restart.BootIdentity;
import org.seedagent.restart.JobLease;
import org.seedagent.restart.RestartAnalyzer;
import org.seedagent.restart.SpotNotice;
import org.seedagent.state.DaemonState;
import org.seedagent.state.StateStore;
import org.seedagent.status.BootTime;
import org.seedagent.support.AtomicFile;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Sleeper;
import org.seedagent.support.Text;
import org.seedagent.sync.SyncException;
import org.seedagent.sync.SyncPlan;
import org.seedagent.sync.SyncResult;
import org.seedagent.sync.Synchronizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's work, one step at a time: {@link #boot()} once, then {@link #poll()} at every
 * interval. Scheduling, signals and sd_notify live in {@link DaemonRunner}; this class only decides
 * and acts, with time, processes and the metadata service injected, so tests drive it step by step.
 * All methods run on one thread.
 */
public final class SeedDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SeedDaemon.class);

    private final Clock clock;
    private final ProcessRunner processes;
    private final Function<MetadataSettings, MetadataSource> metadataSources;
    private final Function<AgentConfig, ConfigProbe> probes;
    private final CheckSuite checks;
    private final String version;
    private final long pid;
    private final BootIdentity boot;

    private AgentConfig config;
    private MetadataSource source;
    private MetadataSettings sourceSettings;
    private InstanceFacts facts = InstanceFacts.UNKNOWN;
    private DaemonState state = new DaemonState();
    private final FailureStreak metadataFailures = new FailureStreak();
    /** The fragment could not be brought in line (unwritable, or nothing safe to write). */
    private final FailureStreak syncFailures = new FailureStreak();
    private final FailureStreak stateFailures = new FailureStreak();
    private Map<String, String> knobs = Map.of();
    /** The pre-flight of the current step, reused by the checks so HTCondor is asked once. */
    private ConfigProbe.Result stepProbe;
    /** The last pre-flight of the boot sync, whatever used it; the restart assessment reads the job lease from it. */
    private ConfigProbe.Result lastProbe;
    /** What {@link #logAnnexTool} said last, so that it is said once. */
    private String annexToolLogged;
    /** Why the state file could not be read at boot; null when it could (or there was none). */
    private String stateUnreadable;
    private final ConvergenceWatch convergence = new ConvergenceWatch();
    private final StrandedAnnexWatch strandedAnnexes = new StrandedAnnexWatch();
    private final Reloads reloads;
    private final RestartWatch restarts;
    private final ElasticIpWatch elasticIps;
    /**
     * The fragment HTCondor's parser rejected (it was rolled back), and why: not written again while the
     * address stays the same, until a SIGHUP says HTCondor's side was fixed.
     */
    private String rejectedFragment;
    private String rejectedDetail;
    private String lastSpotNotice;
    private String summary = "starting";
    /** Set during boot(): a reload is deferred until after READY=1 (see {@link #afterReady()}). */
    private boolean booting;

    public SeedDaemon(AgentConfig config, Clock clock, ProcessRunner processes,
            Function<MetadataSettings, MetadataSource> metadataSources, Function<AgentConfig, ConfigProbe> probes,
            CheckSuite checks, String version, long pid) {
        this(config, clock, processes, metadataSources, probes, checks, version, pid, systemBoot(clock));
    }

    /** With this boot's identity given, for tests of restarts. */
    public SeedDaemon(AgentConfig config, Clock clock, ProcessRunner processes,
            Function<MetadataSettings, MetadataSource> metadataSources, Function<AgentConfig, ConfigProbe> probes,
            CheckSuite checks, String version, long pid, BootIdentity boot) {
        this.config = config;
        this.clock = clock;
        this.processes = processes;
        this.metadataSources = metadataSources;
        this.probes = probes;
        this.checks = checks;
        this.version = version;
        this.pid = pid;
        this.reloads = new Reloads(clock, processes, convergence);
        this.boot = boot;
        this.restarts = new RestartWatch();
        this.elasticIps = new ElasticIpWatch(clock, Sleeper.SYSTEM);
    }

    private static BootIdentity systemBoot(Clock clock) {
        return BootIdentity.read(BootIdentity.BOOT_ID, BootTime.system(clock).get());
    }

    /** The daemon with the real HTCondor pre-flight and settings checks. */
    public static SeedDaemon create(AgentConfig config, Clock clock, ProcessRunner processes,
            Function<MetadataSettings, MetadataSource> metadataSources, String version, long pid) {
        Function<AgentConfig, ConfigProbe> probes = c -> new CondorConfigProbe(
                new CondorConfigReader(processes, c.condorConfigVal(), c.condorTimeout()));
        return new SeedDaemon(config, clock, processes, metadataSources, probes,
                new SettingsChecks(CheckEnvironment.system(), processes), version, pid);
    }

    public AgentConfig config() {
        return config;
    }

    /** The one-line summary for STATUS= and the journal. */
    public String summary() {
        return summary;
    }

    /** Swaps in a new, already validated configuration (SIGHUP). */
    public void reconfigure(AgentConfig newConfig) {
        this.config = newConfig;
        rejectedFragment = null;
        log.info("configuration reloaded from {}", newConfig.source() == null ? "built-in defaults" : newConfig.source());
    }

    /**
     * The boot sync: bring the fragment in line before HTCondor starts. Never throws for an
     * unavailable metadata service or an unwritable file: it reports, applies the boot policy, and
     * returns, so the caller can send READY=1 and let HTCondor start.
     */
    public String boot() throws InterruptedException {
        Instant now = clock.instant();
        booting = true;
        try {
            return bootSync(now);
        } finally {
            booting = false;
        }
    }

    /**
     * Runs a reload the boot sync deferred. Called after READY=1: until then systemd holds jobs of
     * condor.service ordered after us, so a blocking `systemctl reload` would wait for our own start
     * to finish, which waits for the reload (measured: stuck until TimeoutStartSec). This happens
     * when the agent restarts while HTCondor runs; at a real boot HTCondor is not running yet.
     */
    public void afterReady() throws InterruptedException {
        reloads.afterReady(config, state);
        boolean synced = state.bootSync != null && !"failed".equals(state.bootSync.result());
        if (synced && elasticIps.fact() == null && "public".equals(state.addressKind)) {
            assessAddress();
            updateElasticIpCheck();
        }
        saveState(clock.instant());
    }

    private String bootSync(Instant now) throws InterruptedException {
        reloads.beginStep();
        stepProbe = null;
        boolean restored = restoreState(now);
        RestartAnalyzer.PreviousRun previous = restored ? previousRun(state) : null;
        state.bootId = boot.bootId();
        state.cleanStop = null;
        // Temp files a crash (kill -9, power cut) left between create and rename: the fragment's and the state's.
        AtomicFile.removeStaleTemps(config.fragmentPath());
        AtomicFile.removeStaleTemps(new StateStore(config.stateDirectory()).file());
        try {
            // The Elastic IP first (only when eip.* names one), so the fragment carries it and HTCondor starts on it.
            ClaimOutcome claim = elasticIps.claimAtBoot(config, metadata());
            Optional<Ipv4Address> address = metadata().publicIpv4();
            facts = metadata().facts();
            state.instance = instanceMap(facts);
            SyncResult result = synchronizer().apply(address, facts);
            handle(result, now);
            state.bootSync = new DaemonState.Outcome(now, result.action().name().toLowerCase(Locale.ROOT), result.describe()
                    + (claim == null ? "" : "; " + claim.detail()));
            if (claim != null && !claim.holds()) {
                summary = summary + "; Elastic IP " + claim.target() + " not claimed (" + claim.result().jsonName()
                        + "): see seed-agent status";
            }
            recordPollSuccess(now, result);
            if (claim != null && claim.holds()) {
                assessAddress(); // answered from the claim, no request
            }
            // Events first: the checks then use the list just read instead of reading it again.
            restarts.readEvents(now, metadata(), state, true);
            runChecks();
        } catch (MetadataException e) {
            String kept = bootFallback();
            log.error("cannot read the instance's address within {} s: {}; {}. HTCondor starts anyway; "
                    + "seed-agent keeps polling", config.metadataDeadline().toSeconds(), e.getMessage(), kept);
            state.bootSync = new DaemonState.Outcome(now, "failed", e.getMessage() + "; " + kept);
            recordPollFailure(now, e.getMessage());
            metadataFailures.failed(now);
            summary = "metadata service unavailable at boot: " + kept;
        } catch (SyncException | FragmentWriteException e) {
            log.error("{}", e.getMessage());
            syncFailures.failed(now);
            state.bootSync = new DaemonState.Outcome(now, "failed", e.getMessage());
            recordPollFailure(now, e.getMessage());
            summary = "boot sync failed: " + e.getMessage();
        }
        retryPendingReload();
        if (restored || stateUnreadable == null) {
            restarts.assess(now, previous, new RestartAnalyzer.ThisBoot(now, boot, facts.instanceId(),
                    facts.instanceId() == null ? null : state.currentAddress, null), this::jobLease, state);
        } else {
            // The unreadable state file was warned about already; this is its consequence.
            log.info("whether this boot is a restart of the seed, and what it cost, is not known: the state file could "
                    + "not be read ({})", stateUnreadable);
        }
        saveState(now);
        return summary;
    }

    /**
     * The lease the schedd gives, from this step's pre-flight; one launch of condor_config_val only when
     * no pre-flight ran (the metadata service did not answer at boot).
     */
    private JobLease jobLease() throws InterruptedException {
        ConfigProbe.Result probe = lastProbe != null ? lastProbe : probes.apply(config).probe();
        if (!probe.parses()) {
            return JobLease.unreadable(probe.error());
        }
        return JobLease.evaluated(probe.knobs().get("JOB_DEFAULT_LEASE_DURATION"));
    }

    private RestartAnalyzer.PreviousRun previousRun(DaemonState previous) {
        return new RestartAnalyzer.PreviousRun(previous.bootId, previous.heartbeat, previous.cleanStop,
                previous.instance == null ? null : previous.instance.get("id"), previous.currentAddress,
                config.pollInterval());
    }

    /** Records a clean stop (SIGTERM), so the next boot knows exactly when the seed went down. */
    public void recordCleanStop() {
        Instant now = clock.instant();
        state.cleanStop = now;
        saveState(now);
    }

    /** One poll: read the address, repair drift, apply a change, follow the daemons' advertised address. */
    public String poll() throws InterruptedException {
        Instant now = clock.instant();
        reloads.beginStep();
        try {
            Optional<Ipv4Address> address = metadata().publicIpv4();
            metadataFailures.succeeded(now).ifPresent(streak ->
                    log.info("metadata service answering again after {}", streak));
            if (facts.instanceId() == null) {
                facts = metadata().facts();
                state.instance = instanceMap(facts);
            }
            if (elasticIps.watchAtPoll(config, metadata(), address, facts, now)) {
                address = metadata().publicIpv4();
            }
            watchSpotInterruption(now);
            restarts.readEvents(now, metadata(), state, false);
            if (stillRejected(address)) {
                recordPollFailure(now, rejectedDetail);
            } else {
                SyncResult result = synchronizer().apply(address, facts);
                syncFailures.succeeded(now).ifPresent(streak ->
                        log.info("the fragment {} is in line again after {}", config.fragmentPath(), streak));
                boolean changed = handle(result, now);
                recordPollSuccess(now, result);
                if (changed) {
                    assessAddress();
                    runChecks();
                }
            }
        } catch (MetadataException e) {
            if (metadataFailures.failed(now)) {
                log.warn("cannot read the public address: {}; keeping {} and polling on", e.getMessage(),
                        state.currentAddress == null ? "the fragment as it is" : "TCP_FORWARDING_HOST = " + state.currentAddress);
            }
            recordPollFailure(now, e.getMessage());
        } catch (SyncException | FragmentWriteException e) {
            if (syncFailures.failed(now)) {
                log.error("{}; keeping the previous fragment and polling on", e.getMessage());
            }
            recordPollFailure(now, e.getMessage());
        }
        retryPendingReload();
        // Now, not the poll's start: a reload in this poll started the watch later than that.
        followAdvertisedAddress(clock.instant());
        if (strandedAnnexes.pending()) { // only after a change: nothing in steady state
            strandedAnnexes.step(clock.instant(), knobs, state, new AnnexRequests(processes,
                    config.condorConfigVal().resolveSibling("condor_q"), config.condorTimeout()));
        }
        saveState(now);
        return summary;
    }

    /**
     * A reload that was withheld or failed is tried again, after a fresh pre-flight: only while one is
     * pending, so a steady state launches no condor_config_val. A reload restored from the state file at
     * boot is resumed the same way (deferred until READY=1 when HTCondor already runs; dropped when it
     * does not, as HTCondor then reads the fragment when it starts).
     */
    private void retryPendingReload() throws InterruptedException {
        ConfigProbe probe = () -> {
            ConfigProbe.Result result = probes.apply(config).probe();
            stepProbe = result;
            lastProbe = result;
            if (result.parses()) {
                knobs = result.knobs();
            }
            return result;
        };
        if (booting) {
            if (state.pendingReload != null) {
                reloads.resumeAtBoot(config, state, probe, state.currentAddress);
            }
            return;
        }
        if (reloads.retryPending(config, state, probe, state.currentAddress) == Reloads.Retry.DONE
                && state.currentAddress != null) {
            summary = "TCP_FORWARDING_HOST = " + state.currentAddress + "; the pending reload of HTCondor is done";
        }
    }

    /**
     * Acts on a sync result; returns whether the address in force changed. A change is preflighted
     * and HTCondor reloaded; drift (the file deleted or edited while the address stayed) is repaired
     * without a reload, as HTCondor's running configuration already has the address.
     */
    private boolean handle(SyncResult result, Instant now) throws InterruptedException {
        String old = state.currentAddress != null ? state.currentAddress : result.previousHost();
        String next = result.fragment() == null ? null : result.fragment().forwardingHost().text();
        boolean inForce = result.action() == SyncResult.Action.WRITTEN || result.action() == SyncResult.Action.UNCHANGED
                || result.action() == SyncResult.Action.REMOVED || result.action() == SyncResult.Action.ABSENT;
        if (!inForce) {
            summary = result.describe();
            return false;
        }
        boolean changed = !Objects.equals(old, next);
        state.fragmentPath = result.path().toString();
        state.fragmentSha256 = result.fragment() == null ? null : sha256(result.fragment().text());
        if (!changed) {
            if (state.currentAddress == null && next != null) {
                // The state file was lost; the fragment already holds the address.
                setAddress(result, now);
            }
            if (result.action() == SyncResult.Action.WRITTEN) {
                log.warn("{} had been {}; restored it (TCP_FORWARDING_HOST = {})", result.path(),
                        result.previousContent() == null ? "deleted" : "edited by hand", next);
            }
            summary = summaryFor(next, result);
            return false;
        }
        if (old != null && next != null && !old.equals(next)) {
            log.warn("public address changed from {} to {}: {}. Annex nodes already running were configured with "
                    + "the old collector address and will not rejoin; an Elastic IP keeps the address across "
                    + "stop/start", old, next, result.describe());
        } else {
            log.info("{}", result.describe());
        }
        Preflight preflight = preflightAndReload(result, now);
        if (preflight == Preflight.OURS_REJECTED) {
            // The previous fragment is back, and with it the address in force.
            state.fragmentSha256 = result.previousContent() == null ? null : sha256(result.previousContent());
            return false;
        }
        state.recordChange(new DaemonState.Change(now, old, next));
        if (old != null && next != null) {
            strandedAnnexes.changed(next, now);
        }
        setAddress(result, now);
        if (preflight == Preflight.PARSES) {
            summary = summaryFor(next, result);
        }
        return true;
    }

    /** What HTCondor's parser said of the configuration with a new fragment. */
    private enum Preflight {
        /** It parses; HTCondor was reloaded (or the reload skipped or failed, as reported). */
        PARSES,
        /** Another file is broken: the fragment stays, HTCondor is not reloaded. */
        BROKEN_ELSEWHERE,
        /** Our fragment was rejected: the previous one was restored. */
        OURS_REJECTED
    }

    /** Whether the fragment for {@code address} is the one HTCondor rejected (so it is not written again). */
    private boolean stillRejected(Optional<Ipv4Address> address) {
        if (rejectedFragment == null) {
            return false;
        }
        if (SyncPlan.decide(address, facts, config.noPublicIp()) instanceof SyncPlan.Write write
                && write.fragment().text().equals(rejectedFragment)) {
            return true;
        }
        rejectedFragment = null;
        return false;
    }

    private void setAddress(SyncResult result, Instant now) {
        state.currentAddress = result.fragment() == null ? null : result.fragment().forwardingHost().text();
        state.addressKind = result.fragment() == null ? null : result.fragment().kind().name().toLowerCase(Locale.ROOT);
        state.addressSince = now;
    }

    /** Checks that HTCondor parses its whole configuration with the new fragment, then reloads it. */
    private Preflight preflightAndReload(SyncResult result, Instant now) throws InterruptedException {
        ConfigProbe.Result probe = probes.apply(config).probe();
        stepProbe = probe;
        lastProbe = probe;
        if (!probe.parses()) {
            boolean ours = probe.errorFile() != null && Path.of(probe.errorFile()).equals(config.fragmentPath());
            String detail;
            if (ours) {
                restorePrevious(result);
                detail = "HTCondor rejects the new fragment (" + probe.error() + "); the previous one was restored";
                if (result.fragment() != null) {
                    rejectedFragment = result.fragment().text();
                    rejectedDetail = "HTCondor rejected the fragment for TCP_FORWARDING_HOST = "
                            + result.fragment().forwardingHost() + " (" + probe.error() + "); the previous one stays"
                            + " until the address changes or seed-agent is reloaded (systemctl reload seed-agent)";
                }
                log.error("{}", detail);
                state.lastReload = new DaemonState.Outcome(now, "not-attempted", detail);
                state.reloadMethod = config.reloadMethod().name().toLowerCase(Locale.ROOT);
            } else {
                reloads.withhold(config, state, Reloads.withheldBecause(probe, config));
            }
            summary = probe.evaluation() instanceof CondorEvaluation.Failed f
                    && f.kind() == CondorEvaluation.Kind.NOT_INSTALLED
                    ? "HTCondor's condor_config_val not found at " + config.condorConfigVal()
                    : "HTCondor configuration broken: " + probe.error();
            return ours ? Preflight.OURS_REJECTED : Preflight.BROKEN_ELSEWHERE;
        }
        knobs = probe.knobs();
        String inForce = knobs.get("TCP_FORWARDING_HOST");
        if (result.fragment() != null && !result.fragment().forwardingHost().text().equals(inForce)) {
            log.warn("HTCondor's TCP_FORWARDING_HOST is {}, not {}: a file read after {} overrides it "
                    + "(see seed-agent check)", inForce == null ? "undefined" : inForce,
                    result.fragment().forwardingHost(), config.fragmentPath());
        }
        String expected = result.fragment() == null ? null : result.fragment().forwardingHost().text();
        reloads.reloadOrDefer(config, state, expected, booting);
        return Preflight.PARSES;
    }

    /** Follows the daemons' advertised address after a reload; reloads once more for a lagging collector. */
    private void followAdvertisedAddress(Instant now) throws InterruptedException {
        switch (convergence.follow(now, knobs, state, config.advertiseTimeout(), config.condorUnit())) {
            case RELOAD_FOR_COLLECTOR -> {
                convergence.extraReloadDone();
                reloads.reload(config, state, state.advertised.expected());
            }
            case CONVERGED -> summary = summary + "; advertised after " + state.advertised.convergedAfterSeconds() + " s";
            case NOTHING -> { }
        }
    }

    private void watchSpotInterruption(Instant now) throws InterruptedException {
        if (!facts.isSpot()) {
            return;
        }
        try {
            Optional<String> notice = metadata().raw("spot/instance-action");
            if (notice.isPresent() && !notice.get().equals(lastSpotNotice)) {
                lastSpotNotice = notice.get();
                SpotNotice read = SpotNotice.parse(notice.get());
                log.warn("spot interruption notice for this seed: {}. The pool loses its central manager when the "
                        + "instance is stopped or terminated", read.describe(now));
                // Stored as what and when (the state file's JSON escapes it once); an unreadable notice, quoted.
                state.spotInterruption = read.readable()
                        ? new DaemonState.Outcome(now, read.action(), read.at().toString())
                        : new DaemonState.Outcome(now, "notice", read.raw());
            }
        } catch (MetadataException e) {
            log.debug("spot/instance-action not read: {}", e.getMessage());
        }
    }

    private String bootFallback() {
        FragmentFile file = new FragmentFile(config.fragmentPath());
        if (config.bootOnUnavailable() == BootPolicy.REMOVE) {
            try {
                boolean removed = file.remove();
                if (removed) {
                    state.recordChange(new DaemonState.Change(clock.instant(), state.currentAddress, null));
                    state.currentAddress = null;
                }
                return removed ? "removed " + file.path() + " (boot.on-unavailable = remove)"
                        : file.path() + " is absent (boot.on-unavailable = remove)";
            } catch (FragmentWriteException e) {
                return "could not remove " + file.path() + ": " + e.getMessage();
            }
        }
        try {
            String host = file.read().map(Fragment::forwardingHostIn).orElse(null);
            return host == null ? "no previous fragment to keep"
                    : "kept the previous fragment (TCP_FORWARDING_HOST = " + host + ")";
        } catch (FragmentWriteException e) {
            return "kept the previous fragment";
        }
    }

    private void restorePrevious(SyncResult result) {
        try {
            if (result.previousContent() == null) {
                new FragmentFile(result.path()).remove();
            } else {
                AtomicFile.write(result.path(), result.previousContent().getBytes(StandardCharsets.UTF_8),
                        PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            log.error("could not restore the previous fragment {}: {}", result.path(), e.getMessage());
        }
    }

    /**
     * Asks EC2 whether the public address in force is an Elastic IP: at boot and after a change only, as each
     * question costs a request (and the answer changes only with the address).
     */
    private void assessAddress() throws InterruptedException {
        try {
            var fact = elasticIps.assess(config, metadata(), "public".equals(state.addressKind) ? state.currentAddress : null,
                    facts);
            if (fact != null) {
                log.info("public address {}: {}", fact.address(), fact.detail());
            }
        } catch (RuntimeException e) {
            log.warn("whether the address is an Elastic IP could not be asked: {}", e.toString());
        }
    }

    /** Replaces the elastic-ip result of the last checks with what EC2 said since. */
    private void updateElasticIpCheck() {
        Ipv4Address current = state.currentAddress == null || !"public".equals(state.addressKind) ? null
                : Ipv4Address.parse(state.currentAddress);
        Map<String, Object> updated = CheckReport.toMap(Checks.withReassociation(
                java.util.List.of(Checks.elasticIp(current, elasticIps.fact())), config.elasticIp()).get(0));
        state.checks = state.checks.stream()
                .map(c -> Check.ELASTIC_IP.id().equals(c.get("id")) ? updated : c)
                .toList();
    }

    private void runChecks() throws InterruptedException {
        ConfigProbe.Result probe = stepProbe != null ? stepProbe : probes.apply(config).probe();
        stepProbe = null;
        lastProbe = probe;
        logAnnexTool(probe.evaluation());
        try {
            state.checks = checks.run(config, probe.evaluation(), metadata(), elasticIps.fact(),
                    RestartWatch.freshEvents(state, clock.instant()));
            state.checksAt = clock.instant();
            long failures = state.checks.stream().filter(c -> "failure".equals(c.get("severity"))).count();
            long warnings = state.checks.stream().filter(c -> "warning".equals(c.get("severity"))).count();
            if (failures + warnings > 0) {
                log.warn("settings checks: {} failure(s), {} warning(s); run `seed-agent check` for details and remedies",
                        failures, warnings);
            }
        } catch (RuntimeException e) {
            log.warn("the settings checks could not run: {}", e.toString());
        }
    }

    /** Says once (at boot, and again if it changes) which release and annex tool this seed has. */
    private void logAnnexTool(CondorEvaluation evaluation) {
        if (!(evaluation instanceof CondorEvaluation.Evaluated evaluated)) {
            return;
        }
        AnnexTool tool = AnnexTool.of(evaluated.view());
        String release = AnnexTool.release(evaluated.view()).map(Object::toString).orElse("of unknown release");
        String said = "HTCondor " + release + "; annex nodes come from " + tool.description();
        if (!said.equals(annexToolLogged)) {
            annexToolLogged = said;
            if (tool == AnnexTool.NONE) {
                log.warn("{}", said);
            } else {
                log.info("{}", said);
            }
        }
    }

    private void recordPollSuccess(Instant now, SyncResult result) {
        state.lastPoll = new DaemonState.Outcome(now, "ok", result.describe());
        state.lastSuccess = now;
    }

    private void recordPollFailure(Instant now, String error) {
        state.lastPoll = new DaemonState.Outcome(now, "failed", error);
        state.lastFailure = state.lastPoll;
        summary = (state.currentAddress == null ? "" : "TCP_FORWARDING_HOST = " + state.currentAddress + "; ")
                + "last poll failed: " + error;
    }

    private String summaryFor(String host, SyncResult result) {
        if (host == null) {
            return result.describe();
        }
        return "TCP_FORWARDING_HOST = " + host + " ("
                + (result.fragment().kind() == Fragment.AddressKind.PUBLIC ? "public IPv4" : "private address, no public IPv4")
                + ")";
    }

    /** Loads the previous run's state; returns whether there was one. */
    private boolean restoreState(Instant now) {
        StateStore store = new StateStore(config.stateDirectory());
        boolean restored = false;
        stateUnreadable = null;
        try {
            DaemonState previous = store.load();
            if (previous != null) {
                state = previous;
                restored = true;
            }
        } catch (IOException e) {
            stateUnreadable = e.getMessage();
            log.warn("ignoring the state file {}: {}; starting with an empty history", store.file(), e.getMessage());
        }
        state.version = version;
        state.pid = pid;
        state.startedAt = now;
        state.bootSync = null;
        state.spotInterruption = null;
        return restored;
    }

    private void saveState(Instant now) {
        state.heartbeat = now;
        state.elasticIp = elasticIps.toMap(config);
        StateStore store = new StateStore(config.stateDirectory());
        try {
            store.save(state);
            stateFailures.succeeded(now).ifPresent(streak -> log.info("state file {} written again", store.file()));
        } catch (IOException e) {
            if (stateFailures.failed(now)) {
                log.warn("cannot write the state file {}: {}; seed-agent status will show stale data",
                        store.file(), e.getMessage());
            }
        }
    }

    private Synchronizer synchronizer() {
        return new Synchronizer(new FragmentFile(config.fragmentPath()), config.noPublicIp());
    }

    /** The metadata client for the current settings; rebuilt only when SIGHUP changed them. */
    private InstanceMetadata metadata() {
        MetadataSettings wanted = new MetadataSettings(config.metadataEndpoint(), config.tokenTtl(),
                config.requestTimeout(), config.metadataDeadline());
        if (source == null || !wanted.equals(sourceSettings)) {
            if (source != null) {
                source.close();
            }
            source = metadataSources.apply(wanted);
            sourceSettings = wanted;
        }
        return new InstanceMetadata(source);
    }

    private static Map<String, String> instanceMap(InstanceFacts facts) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("id", facts.instanceId());
        map.put("type", facts.instanceType());
        map.put("region", facts.region());
        map.put("life_cycle", facts.lifeCycle());
        map.put("local_ipv4", facts.localIpv4() == null ? null : facts.localIpv4().text());
        return map;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        elasticIps.close();
        if (source != null) {
            source.close();
        }
    }
}
