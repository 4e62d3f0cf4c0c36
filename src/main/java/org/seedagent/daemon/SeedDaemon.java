package org.seedagent.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.config.AgentConfig;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.fragment.FragmentWriteException;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.metadata.MetadataSettings;
import org.seedagent.metadata.MetadataSource;
import org.seedagent.restart.BootIdentity;
import org.seedagent.restart.BootTime;
import org.seedagent.restart.RestartAnalyzer;
import org.seedagent.state.DaemonState;
import org.seedagent.state.InstanceRecord;
import org.seedagent.state.StateStore;
import org.seedagent.support.AtomicFile;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Sleeper;
import org.seedagent.sync.SyncException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's work, one step at a time: {@link #boot()} once, then {@link #poll()} at every interval. A poll reads
 * the address, steps the watchers that look before the fragment is brought in line (the Elastic IP, the spot
 * notice, scheduled events), brings the fragment in line ({@link AddressSync}), then steps the watchers that follow
 * a change (a pending reload, the daemons' advertised address, the annexes it stranded). Scheduling, signals and
 * sd_notify live in {@link DaemonRunner}; time, processes and the metadata service are injected, so tests drive it
 * step by step. All methods run on one thread.
 */
public final class SeedDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SeedDaemon.class);

    private final Clock clock;
    private final String version;
    private final long pid;
    private final BootIdentity boot;

    private AgentConfig config;
    private InstanceFacts facts = InstanceFacts.UNKNOWN;
    private final MetadataClients metadata;
    private final StateKeeper states = new StateKeeper();
    private final Preflights preflights;
    private final Summary summary = new Summary();
    private final FailureStreak metadataFailures = new FailureStreak();
    private final Reloads reloads;
    private final RestartWatch restarts = new RestartWatch();
    private final ElasticIpWatch elasticIps;
    private final ElasticIpFact elasticIpFact;
    private final SettingsCheckRun settingsChecks;
    private final AddressSync addressSync;
    private final BootSync bootSync;
    /** Stepped at every poll before the fragment is brought in line. */
    private final List<Watcher> beforeSync;
    /** Stepped at every poll after it, in this order. */
    private final List<Watcher> afterSync;

    /** {@code boot}: this boot's identity ({@link BootIdentity#read} at a real start). */
    public SeedDaemon(
            AgentConfig config,
            Clock clock,
            ProcessRunner processes,
            Function<MetadataSettings, MetadataSource> metadataSources,
            Function<AgentConfig, ConfigProbe> probes,
            CheckSuite checks,
            String version,
            long pid,
            BootIdentity boot) {
        this.config = config;
        this.clock = clock;
        this.version = version;
        this.pid = pid;
        this.boot = boot;
        this.metadata = new MetadataClients(metadataSources);
        this.preflights = new Preflights(probes);
        ConvergenceWatch convergence = new ConvergenceWatch();
        StrandedAnnexWatch strandedAnnexes = new StrandedAnnexWatch(processes);
        this.reloads = new Reloads(clock, processes, convergence);
        this.elasticIps = new ElasticIpWatch(clock, Sleeper.SYSTEM);
        this.elasticIpFact = new ElasticIpFact(elasticIps);
        this.settingsChecks = new SettingsCheckRun(checks, clock);
        this.addressSync = new AddressSync(reloads, strandedAnnexes);
        this.bootSync = new BootSync(elasticIps, elasticIpFact, addressSync, restarts, settingsChecks, clock);
        this.beforeSync = List.of(new SpotWatch(), restarts);
        this.afterSync = List.of(
                new PendingReloadWatch(reloads),
                new AdvertisedAddressWatch(convergence, reloads),
                new LocalToolsWatch(clock),
                strandedAnnexes);
    }

    /** The daemon with the real HTCondor pre-flight and settings checks. */
    public static SeedDaemon create(
            AgentConfig config,
            Clock clock,
            ProcessRunner processes,
            Function<MetadataSettings, MetadataSource> metadataSources,
            String version,
            long pid) {
        Function<AgentConfig, ConfigProbe> probes =
                c -> new CondorConfigProbe(new CondorConfigReader(processes, c.condorConfigVal(), c.condorTimeout()));
        return new SeedDaemon(
                config,
                clock,
                processes,
                metadataSources,
                probes,
                new SettingsChecks(CheckEnvironment.system(), processes),
                version,
                pid,
                BootIdentity.read(BootIdentity.BOOT_ID, BootTime.system(clock).get()));
    }

    public AgentConfig config() {
        return config;
    }

    /** Until the next poll: the configured interval, or a second while local tools cannot reach HTCondor's daemons. */
    public Duration pollInterval() {
        return LocalToolsWatch.pollInterval(states.state(), config.pollInterval(), clock.instant());
    }

    /** The one-line summary for STATUS= and the journal. */
    public String summary() {
        return summary.text();
    }

    /** Swaps in a new, already validated configuration (SIGHUP). */
    public void reconfigure(AgentConfig newConfig) {
        this.config = newConfig;
        addressSync.forgetRejection();
        log.info(
                "configuration reloaded from {}",
                newConfig.source() == null ? "built-in defaults" : newConfig.source());
    }

    private Step step(Instant now) {
        return new Step(now, config, metadata.current(config), facts, states.state(), preflights, summary);
    }

    /**
     * The boot sync: bring the fragment in line before HTCondor starts. Never throws for an
     * unavailable metadata service or an unwritable file: it reports, applies the boot policy, and
     * returns, so the caller can send READY=1 and let HTCondor start.
     */
    public String boot() throws InterruptedException {
        return bootSync(clock.instant());
    }

    /**
     * Runs a reload the boot sync deferred. Called after READY=1: until then systemd holds jobs of
     * condor.service ordered after us, so a blocking `systemctl reload` would wait for our own start
     * to finish, which waits for the reload (measured: stuck until TimeoutStartSec). This happens
     * when the agent restarts while HTCondor runs; at a real boot HTCondor is not running yet.
     */
    public void afterReady() throws InterruptedException {
        DaemonState state = states.state();
        reloads.afterReady(config, state);
        elasticIpFact.afterReady(step(clock.instant()));
        save(clock.instant());
    }

    private String bootSync(Instant now) throws InterruptedException {
        reloads.beginStep();
        preflights.forgetStep();
        boolean restored = states.load(store(), version, pid, now);
        DaemonState state = states.state();
        RestartAnalyzer.PreviousRun previous = restored ? RestartWatch.previousRun(state, config.pollInterval()) : null;
        state.bootId = boot.bootId();
        state.cleanStop = null;
        // Temp files a crash (kill -9, power cut) left between create and rename: the fragment's and the state's.
        AtomicFile.removeStaleTemps(config.fragmentPath());
        AtomicFile.removeStaleTemps(store().file());
        facts = bootSync.run(
                known -> new Step(now, config, metadata.current(config), known, states.state(), preflights, summary),
                metadataFailures);
        if (state.pendingReload != null) {
            // A reload pending from the previous run: resumed (after READY=1) when HTCondor runs.
            reloads.resumeAtBoot(config, state, () -> preflights.run(config), state.currentAddress);
        }
        restarts.assessAtBoot(step(now), previous, boot, states.unreadable());
        save(now);
        return summary.text();
    }

    /** Records a clean stop (SIGTERM), so the next boot knows exactly when the seed went down. */
    public void recordCleanStop() {
        Instant now = clock.instant();
        states.state().cleanStop = now;
        save(now);
    }

    /** One poll: read the address, step the watchers, bring the fragment in line, follow a change. */
    public String poll() throws InterruptedException {
        Instant now = clock.instant();
        reloads.beginStep();
        DaemonState state = states.state();
        try {
            InstanceMetadata instance = metadata.current(config);
            Optional<Ipv4Address> address = instance.publicIpv4();
            metadataFailures
                    .succeeded(now)
                    .ifPresent(streak -> log.info("metadata service answering again after {}", streak));
            if (facts.instanceId() == null) {
                facts = instance.facts();
                state.instance = InstanceRecord.of(facts);
            }
            if (elasticIps.watchAtPoll(config, instance, address, facts, now)) {
                address = instance.publicIpv4();
            }
            Step step = step(now);
            for (Watcher watcher : beforeSync) {
                watcher.step(step);
            }
            if (addressSync.poll(step, address)) {
                elasticIpFact.assess(step);
                settingsChecks.run(step, elasticIps.fact());
            }
        } catch (MetadataException e) {
            PollRecord.metadataFailed(step(now), e, metadataFailures);
        } catch (SyncException | FragmentWriteException e) {
            addressSync.failed(step(now), e, false);
        }
        for (Watcher watcher : afterSync) {
            // Now, not the poll's start: a reload in this poll started the convergence watch later than that.
            watcher.step(step(clock.instant()));
        }
        save(now);
        return summary.text();
    }

    private StateStore store() {
        return new StateStore(config.stateDirectory());
    }

    private void save(Instant now) {
        states.save(store(), now, config, elasticIps);
    }

    @Override
    public void close() {
        elasticIps.close();
        metadata.close();
    }
}
