package org.seedagent.guard;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;

/**
 * Tests the path for real: a child process that drops to an unprivileged uid ({@code setpriv}, with
 * no supplementary groups) opens a TCP connection to the metadata endpoint ({@code bash}'s
 * {@code /dev/tcp}, no HTTP request is sent) within a short time-out. Dropping privileges needs
 * CAP_SETUID and CAP_SETGID; without them (not root, or seed-agent.service's empty capability set)
 * the probe says so instead of guessing.
 */
public final class UnprivilegedConnectProbe implements MetadataAccessProbe {
    /** nobody: an account no allow-list should name; its group is nogroup/nobody, 65534 too. */
    public static final long UID = 65534;

    public static final long GID = 65534;
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long CAP_SETGID = 6;
    private static final long CAP_SETUID = 7;
    /** bash opens the connection and exits; $1 and $2 are arguments, never parsed as script. */
    private static final String CONNECT = "exec 3<>\"/dev/tcp/$1/$2\"";

    private final ProcessRunner processes;
    private final Path procSelfStatus;
    private final String setpriv;
    private final String bash;
    private final Duration timeout;

    public UnprivilegedConnectProbe(ProcessRunner processes) {
        this(processes, Path.of("/proc/self/status"), "/usr/bin/setpriv", "/bin/bash", TIMEOUT);
    }

    UnprivilegedConnectProbe(
            ProcessRunner processes, Path procSelfStatus, String setpriv, String bash, Duration timeout) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.procSelfStatus = Objects.requireNonNull(procSelfStatus, "procSelfStatus");
        this.setpriv = Objects.requireNonNull(setpriv, "setpriv");
        this.bash = Objects.requireNonNull(bash, "bash");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public MetadataAccess probe(URI endpoint) throws InterruptedException {
        String missing = missingPrivilege(procSelfStatus);
        if (missing != null) {
            return MetadataAccess.notChecked(missing, null);
        }
        String host = endpoint.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = endpoint.getPort() >= 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String method = "a child process as uid " + UID + " (setpriv --reuid=" + UID + " --regid=" + GID
                + " --clear-groups) opened a TCP connection to " + target + " (" + timeout.toMillis() + " ms time-out)";
        List<String> command = List.of(
                setpriv,
                "--reuid=" + UID,
                "--regid=" + GID,
                "--clear-groups",
                "--",
                bash,
                "-c",
                CONNECT,
                "seed-agent-probe",
                host,
                Integer.toString(port));
        long start = System.nanoTime();
        ProcessResult result;
        try {
            result = processes.run(command, timeout);
        } catch (IOException e) {
            return new MetadataAccess(
                    MetadataAccess.Outcome.FAILED,
                    target,
                    method,
                    0,
                    "cannot run " + setpriv + ": " + e.getMessage(),
                    null);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (result.timedOut()) {
            return new MetadataAccess(
                    MetadataAccess.Outcome.TIMED_OUT,
                    target,
                    method,
                    millis,
                    "no answer within " + timeout.toMillis() + " ms",
                    null);
        }
        if (result.exitCode() == 0) {
            return new MetadataAccess(MetadataAccess.Outcome.CONNECTED, target, method, millis, null, null);
        }
        String error = connectError(result.stderr());
        if (error != null && blocked(error)) {
            return new MetadataAccess(MetadataAccess.Outcome.REFUSED, target, method, millis, error, null);
        }
        String stderr = result.stderr().strip();
        return new MetadataAccess(
                MetadataAccess.Outcome.FAILED,
                target,
                method,
                millis,
                "exit " + result.exitCode()
                        + (stderr.isEmpty()
                                ? ""
                                : ": " + stderr.lines().findFirst().orElse("")),
                null);
    }

    /** Why this process cannot start a child as another user, or {@code null} when it can. */
    static String missingPrivilege(Path procSelfStatus) {
        String status;
        try {
            status = Files.readString(procSelfStatus, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "cannot tell whether this process may switch users (" + procSelfStatus + ": " + e.getMessage() + ")";
        }
        String uid = field(status, "Uid:");
        String capEff = field(status, "CapEff:");
        String effectiveUid = uid == null ? null : uid.split("\\s+").length > 1 ? uid.split("\\s+")[1] : null;
        if (!"0".equals(effectiveUid)) {
            return "it needs root, to start a process as an unprivileged user (running as uid "
                    + (effectiveUid == null ? "unknown" : effectiveUid) + "); run seed-agent check as root";
        }
        long caps;
        try {
            caps = capEff == null ? 0 : Long.parseUnsignedLong(capEff.strip(), 16);
        } catch (NumberFormatException e) {
            caps = 0;
        }
        if ((caps & (1L << CAP_SETUID)) == 0 || (caps & (1L << CAP_SETGID)) == 0) {
            return "this process has no CAP_SETUID/CAP_SETGID to start a process as an unprivileged user (as in"
                    + " seed-agent.service, which runs without capabilities); run seed-agent check as root";
        }
        return null;
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip();
            }
        }
        return null;
    }

    /** bash's "connect: Connection refused" (the first such line), or null. */
    static String connectError(String stderr) {
        for (String line : stderr.split("\n")) {
            int at = line.indexOf("connect: ");
            if (at >= 0) {
                return line.substring(at + "connect: ".length()).strip();
            }
        }
        return null;
    }

    /** Errors that mean the connection was rejected on its way, not that the probe broke. */
    static boolean blocked(String error) {
        String e = error.toLowerCase(Locale.ROOT);
        return e.contains("connection refused")
                || e.contains("connection reset")
                || e.contains("no route to host")
                || e.contains("network is unreachable")
                || e.contains("operation not permitted")
                || e.contains("permission denied");
    }
}
