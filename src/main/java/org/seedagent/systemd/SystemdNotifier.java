package org.seedagent.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.seedagent.support.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) from inside the JVM: datagrams to the AF_UNIX socket systemd names in
 * {@code NOTIFY_SOCKET} (a path, or an abstract name starting with {@code @}). The messages come from
 * the JVM's own PID, as {@code NotifyAccess=main} requires.
 *
 * <p>The socket is opened on the first message and closed by {@link #close()}. A failed send is logged
 * at warning level once, then at debug level until a send succeeds again; it is never thrown. All
 * methods are thread-safe (the watchdog timer and the main loop may send concurrently).
 */
public final class SystemdNotifier implements Notifier {
    /** Longest {@code STATUS=} text sent, in characters (code points); longer text is cut. */
    public static final int MAX_STATUS_CHARS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final NotifyAddress address;
    private final NotifySocket.Opener opener;
    private final Optional<Duration> watchdogInterval;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private NotifySocket socket;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Guarded by {@link #lock}: the last send failed (so the warning has been logged). */
    private boolean failing;

    SystemdNotifier(NotifyAddress address, NotifySocket.Opener opener, Optional<Duration> watchdogInterval) {
        this.address = Objects.requireNonNull(address, "address");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.watchdogInterval = Objects.requireNonNull(watchdogInterval, "watchdogInterval");
    }

    /**
     * The notifier for this process: sends to {@code NOTIFY_SOCKET}, or {@link Notifier#none()} when it
     * is unset or empty (not started by systemd as {@code Type=notify}) or unusable (logged). JNA is
     * loaded only when a message is actually sent.
     *
     * @param environment usually {@code System.getenv()}
     */
    public static Notifier fromEnvironment(Map<String, String> environment) {
        return fromEnvironment(environment, ProcessHandle.current().pid());
    }

    static Notifier fromEnvironment(Map<String, String> environment, long ourPid) {
        String socket = environment.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return Notifier.none();
        }
        NotifyAddress address;
        try {
            address = NotifyAddress.parse(socket);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "NOTIFY_SOCKET={} cannot be used ({}): systemd will not be told when the agent is ready",
                    Text.quote(socket),
                    e.getMessage());
            return Notifier.none();
        }
        return new SystemdNotifier(address, JnaNotifySocket::open, watchdogInterval(environment, ourPid));
    }

    /**
     * Reads the watchdog interval the way {@code sd_watchdog_enabled(3)} does: {@code WATCHDOG_USEC} in
     * microseconds (positive, not infinity), and, if {@code WATCHDOG_PID} is set, only when it is ours.
     */
    static Optional<Duration> watchdogInterval(Map<String, String> environment, long ourPid) {
        String usec = environment.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseUnsignedLong(usec);
        } catch (NumberFormatException e) {
            LOG.warn(
                    "WATCHDOG_USEC={} is not a number of microseconds: no watchdog pings will be sent",
                    Text.quote(usec));
            return Optional.empty();
        }
        // 0 means off; USEC_INFINITY (2^64 - 1, negative here) and anything else above Long.MAX_VALUE
        // (centuries) mean there is no watchdog to ping.
        if (micros <= 0) {
            return Optional.empty();
        }
        String pid = environment.get("WATCHDOG_PID");
        if (pid != null && !pid.isEmpty()) {
            long watchdogPid;
            try {
                watchdogPid = Long.parseLong(pid);
            } catch (NumberFormatException e) {
                LOG.warn("WATCHDOG_PID={} is not a process id: no watchdog pings will be sent", Text.quote(pid));
                return Optional.empty();
            }
            if (watchdogPid != ourPid) {
                LOG.debug("WATCHDOG_PID={} is not this process ({}): no watchdog pings", watchdogPid, ourPid);
                return Optional.empty();
            }
        }
        return Optional.of(Duration.of(micros, ChronoUnit.MICROS));
    }

    /**
     * Makes {@code text} safe as one {@code STATUS=} line: every control character (newlines included)
     * and line or paragraph separator becomes a space, runs of them collapse to one, the ends are
     * trimmed, and text over {@link #MAX_STATUS_CHARS} code points is cut and ends in "...".
     */
    static String sanitizeStatus(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_STATUS_CHARS + 8));
        boolean replaced = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (Character.isISOControl(c)
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                if (!replaced) {
                    out.append(' ');
                    replaced = true;
                }
            } else {
                out.appendCodePoint(c);
                replaced = false;
            }
        }
        String clean = out.toString().strip();
        if (clean.codePointCount(0, clean.length()) <= MAX_STATUS_CHARS) {
            return clean;
        }
        int end = clean.offsetByCodePoints(0, MAX_STATUS_CHARS - 3);
        return clean.substring(0, end) + "...";
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void ready() {
        send("READY=1");
    }

    @Override
    public void ready(String status) {
        send("READY=1\nSTATUS=" + sanitizeStatus(status));
    }

    @Override
    public void status(String oneLine) {
        send("STATUS=" + sanitizeStatus(oneLine));
    }

    @Override
    public void watchdog() {
        send("WATCHDOG=1");
    }

    @Override
    public void stopping() {
        send("STOPPING=1");
    }

    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    private void send(String message) {
        byte[] datagram = message.getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            if (closed) {
                LOG.debug("Not sending {} to systemd: the notifier is closed", Text.quote(message));
                return;
            }
            try {
                if (socket == null) {
                    socket = opener.open(address);
                }
                socket.send(datagram);
                if (failing) {
                    failing = false;
                    LOG.info("Notifying systemd via {} works again", address);
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                // LinkageError: JNA could not load its native part (e.g. no writable, executable temp dir).
                if (failing) {
                    LOG.debug("Could not send {} to systemd: {}", Text.quote(message), describe(e));
                } else {
                    failing = true;
                    LOG.warn(
                            "Could not send {} to systemd (NOTIFY_SOCKET={}): {}. systemd may consider the agent not"
                                    + " started or hung; further failures are logged at debug level until a message gets through",
                            Text.quote(message),
                            address,
                            describe(e));
                }
            }
        }
    }

    private static String describe(Throwable e) {
        return e instanceof Exception x ? org.seedagent.support.Failures.plain(x) : e.toString();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.debug("Closing the sd_notify socket failed: {}", e.toString());
                }
                socket = null;
            }
        }
    }

    @Override
    public String toString() {
        return "sd_notify to " + address;
    }
}
