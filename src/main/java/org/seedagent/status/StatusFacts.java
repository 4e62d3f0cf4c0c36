package org.seedagent.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.seedagent.condor.AnnexRequests;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.HtcondorService;
import org.seedagent.config.AgentConfig;
import org.seedagent.guard.GuardRecord;
import org.seedagent.state.DaemonState;

/**
 * Everything one status report is made from, read once: the state file, the fragment, HTCondor's live
 * configuration, the daemons' address files, systemd's view, the boot time and "now". Gathered by
 * {@link StatusGatherer}; turned into a report by the pure {@link StatusEvaluator}.
 *
 * @param bootTime when the system booted, or null when that could not be read
 * @param stranded the htcondor annex requests an address change stranded (asked by {@code --long} on an
 *     htcondor annex seed only), else null
 * @param guard systemd's view of the IMDS guard's unit, or null when not asked
 * @param guardRecord what the guard's units recorded in /run (its watch's word on the kernel's table), or null
 *     when not read (the guard unit not asked, or not active)
 * @param agentProcessAlive without systemd, whether the process the state file names still exists (/proc); null
 *     when not looked at (systemd answers instead) or unknown
 * @param runtime the Java runtime and start-up cache of the running agent (its command line in /proc), or null
 *     when no agent process was found or its command line could not be read
 */
record StatusFacts(
        Instant now,
        AgentConfig config,
        StateRead state,
        FragmentRead fragment,
        CondorEvaluation condor,
        List<AddressRead> addresses,
        SystemdView systemd,
        Instant bootTime,
        AnnexRequests.Stranded stranded,
        SystemdView guard,
        GuardRecord guardRecord,
        Boolean agentProcessAlive,
        AgentRuntime runtime) {

    StatusFacts {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fragment, "fragment");
        Objects.requireNonNull(condor, "condor");
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(systemd, "systemd");
    }

    /**
     * How old a heartbeat may be before the agent counts as stale: 3 poll intervals, plus one poll's worst case, whose
     * reload or restart has a limit of its own (a restart up to 180 s: {@link HtcondorService#timeoutFor}).
     */
    Duration staleAfter() {
        return config.pollInterval()
                .multipliedBy(3)
                .plus(config.metadataDeadline())
                .plus(HtcondorService.timeoutFor(config.reloadMethod(), config.condorTimeout()));
    }

    /** How reading a file went. */
    enum Read {
        /** Read. */
        OK,
        /** No such file. */
        MISSING,
        /** There, but it could not be read (permissions, a directory in the way, an I/O error). */
        UNREADABLE,
        /** Read, but its content is not what it should be (a corrupt state file, not a sinful string). */
        INVALID
    }

    /**
     * The state file.
     *
     * @param state the decoded state when {@code read} is OK, else null
     * @param problem why it could not be used, else null
     */
    record StateRead(Path file, Read read, DaemonState state, String problem) {
        StateRead {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(read, "read");
            if ((read == Read.OK) != (state != null)) {
                throw new IllegalArgumentException("a state is present exactly when it was read");
            }
        }
    }

    /**
     * The fragment file.
     *
     * @param sha256 SHA-256 (hex) of its bytes when read, else null
     */
    record FragmentRead(Path path, Read read, String sha256, String problem) {
        FragmentRead {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(read, "read");
        }
    }

    /**
     * One daemon's address file.
     *
     * @param daemon {@code master}, {@code schedd} or {@code collector}
     * @param file the file HTCondor's {@code *_ADDRESS_FILE} names
     * @param host the advertised host when the file was read and holds a sinful string, else null
     */
    record AddressRead(String daemon, String file, Read read, String host, String problem) {
        AddressRead {
            Objects.requireNonNull(daemon, "daemon");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(read, "read");
        }
    }
}
