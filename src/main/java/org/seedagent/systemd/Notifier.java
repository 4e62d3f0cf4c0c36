package org.seedagent.systemd;

import java.time.Duration;
import java.util.Optional;

/**
 * Tells the service manager how the agent is doing (sd_notify). Every method returns quietly: a
 * failure to notify is logged by the implementation and never thrown into the daemon loop.
 * Implementations are thread-safe.
 *
 * <p>Use {@link SystemdNotifier#fromEnvironment(java.util.Map)} for the real one and {@link #none()}
 * where there is no service manager to talk to.
 */
public interface Notifier extends AutoCloseable {

    /** Whether messages go anywhere; false when the agent was not started by systemd with Type=notify. */
    boolean enabled();

    /** {@code READY=1}: start-up is complete (systemd then starts the units ordered after us). */
    void ready();

    /**
     * {@code READY=1} and {@code STATUS=...} in one datagram, so the status never lags the state change.
     * The status is sanitized as in {@link #status(String)}.
     */
    void ready(String status);

    /**
     * {@code STATUS=...}: a one-line summary shown by {@code systemctl status}. Control characters
     * (including newlines) become spaces and the text is cut to {@value SystemdNotifier#MAX_STATUS_CHARS}
     * characters, so untrusted text cannot inject further {@code KEY=value} assignments.
     */
    void status(String oneLine);

    /** {@code WATCHDOG=1}: the main loop is alive. Send at half of {@link #watchdogInterval()}. */
    void watchdog();

    /** {@code STOPPING=1}: shutdown has begun. */
    void stopping();

    /**
     * The interval systemd expects {@link #watchdog()} within ({@code WatchdogSec=}, passed as
     * {@code WATCHDOG_USEC}); empty when there is no watchdog, when it is meant for another process
     * ({@code WATCHDOG_PID}), or when notifications are disabled.
     */
    Optional<Duration> watchdogInterval();

    /** Releases the socket; later calls do nothing. */
    @Override
    void close();

    /** A notifier that sends nothing. */
    static Notifier none() {
        return NoopNotifier.INSTANCE;
    }
}
