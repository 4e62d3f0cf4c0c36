package org.seedagent.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.seedagent.condor.HtcondorService;
import org.seedagent.config.AgentConfig;
import org.seedagent.config.ConfigException;
import org.seedagent.systemd.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SeedDaemon} under systemd: the boot sync, then READY=1; polls on one named thread at
 * a jittered interval; WATCHDOG=1 at half the watchdog interval while polls keep completing;
 * configuration reloads and a bounded, orderly stop.
 */
public final class DaemonRunner {
    private static final Logger log = LoggerFactory.getLogger(DaemonRunner.class);
    /** How long a stop waits for a poll in progress before abandoning it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(4);

    /** Loads and validates the configuration again (SIGHUP). */
    @FunctionalInterface
    public interface ConfigReloader {
        AgentConfig load() throws ConfigException;
    }

    private final SeedDaemon daemon;
    private final Notifier notifier;
    private final Clock clock;
    private final RandomGenerator random;
    private final ConfigReloader reloader;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final ScheduledExecutorService pollThread = pollExecutor();
    private final ScheduledExecutorService watchdogThread =
            Executors.newSingleThreadScheduledExecutor(named("seed-agent-watchdog"));
    private volatile Instant lastProgress;
    private volatile String lastStatus;

    public DaemonRunner(
            SeedDaemon daemon, Notifier notifier, Clock clock, RandomGenerator random, ConfigReloader reloader) {
        this.daemon = daemon;
        this.notifier = notifier;
        this.clock = clock;
        this.random = random;
        this.reloader = reloader;
    }

    /** Runs until {@link #stop()}; returns the exit code (0: an orderly stop). */
    public int run() throws InterruptedException {
        String status;
        try {
            status = daemon.boot();
        } catch (RuntimeException e) {
            // A bug must not hold HTCondor back: report it and carry on to READY=1 and polling.
            log.error("the boot sync failed unexpectedly; HTCondor starts anyway", e);
            status = "boot sync failed: " + e;
        }
        lastProgress = clock.instant();
        lastStatus = status;
        notifier.ready(status);
        log.info("ready: {}", status);
        pollThread.execute(this::afterReady);
        schedulePoll();
        notifier.watchdogInterval().ifPresent(this::startWatchdog);
        try {
            stopRequested.await();
        } finally {
            shutdown();
        }
        return 0;
    }

    /** Asks the runner to stop (SIGTERM, SIGINT). Returns at once. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Re-reads the configuration and swaps it in on the poll thread if it is valid (SIGHUP). */
    public void reloadConfiguration() {
        pollThread.execute(() -> {
            try {
                daemon.reconfigure(reloader.load());
            } catch (ConfigException e) {
                log.error("configuration not reloaded, the previous one stays in force: {}", e.getMessage());
            }
        });
    }

    private void afterReady() {
        try {
            daemon.afterReady();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("unexpected error reloading HTCondor after start-up; polling continues", e);
        }
    }

    private void schedulePoll() {
        if (stopRequested.getCount() == 0) {
            return;
        }
        Duration delay = PollSchedule.nextDelay(daemon.pollInterval(), random);
        pollThread.schedule(this::pollOnce, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        try {
            String status = daemon.poll();
            lastProgress = clock.instant();
            if (!Objects.equals(status, lastStatus)) {
                lastStatus = status;
                notifier.status(status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            // A bug must not end the service: log it whole and poll again at the next interval.
            log.error("unexpected error in a poll; polling continues", e);
        }
        schedulePoll();
    }

    private void startWatchdog(Duration interval) {
        long every = Math.max(1, interval.toMillis() / 2);
        watchdogThread.scheduleAtFixedRate(
                () -> {
                    if (healthy()) {
                        notifier.watchdog();
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    /** Polls keep completing: the last one ended within an interval plus the longest a poll may take. */
    boolean healthy() {
        return healthy(lastProgress, clock.instant(), daemon.config());
    }

    static boolean healthy(Instant lastProgress, Instant now, AgentConfig config) {
        // A poll may run HTCondor's tools a few times and reload (or restart, which may take longer) once.
        Duration allowance = config.pollInterval()
                .multipliedBy(2)
                .plus(config.metadataDeadline())
                .plus(config.condorTimeout().multipliedBy(3))
                .plus(HtcondorService.timeoutFor(config.reloadMethod(), config.condorTimeout()));
        return lastProgress != null && Duration.between(lastProgress, now).compareTo(allowance) <= 0;
    }

    private void shutdown() throws InterruptedException {
        notifier.stopping();
        log.info("stopping");
        watchdogThread.shutdownNow();
        pollThread.shutdown();
        if (!pollThread.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            // File writes are atomic, so abandoning a poll can never leave a partial fragment.
            log.warn("abandoning the poll in progress to stop in time");
            pollThread.shutdownNow();
            pollThread.awaitTermination(1, TimeUnit.SECONDS);
        }
        try {
            daemon.recordCleanStop();
        } catch (RuntimeException e) {
            log.warn("could not record the clean stop: {}", e.toString());
        }
        daemon.close();
        notifier.close();
        log.info("stopped");
    }

    /**
     * The poll thread. A poll scheduled but not started is dropped at shutdown (a plain scheduled executor would
     * still wait for it: the stop took until the next poll, 2-3.5 s, issue 22); one in progress is awaited.
     */
    private static ScheduledExecutorService pollExecutor() {
        java.util.concurrent.ScheduledThreadPoolExecutor executor =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, named("seed-agent-poll"));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
