package org.seedagent.status;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.seedagent.condor.AnnexRequests;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorConfigReader;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.SinfulString;
import org.seedagent.config.AgentConfig;
import org.seedagent.guard.GuardRecord;
import org.seedagent.restart.BootTime;
import org.seedagent.state.DaemonState;
import org.seedagent.state.StateCodec;
import org.seedagent.state.StateStore;
import org.seedagent.status.StatusFacts.AddressRead;
import org.seedagent.status.StatusFacts.FragmentRead;
import org.seedagent.status.StatusFacts.Read;
import org.seedagent.status.StatusFacts.StateRead;
import org.seedagent.support.Digests;
import org.seedagent.support.Failures;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * Reads what a status report needs, each part on its own: a part that cannot be read (a missing tool,
 * a file only root may read) is recorded with the reason and the rest is still read. Never throws for
 * what it reads; only an interrupt escapes.
 */
final class StatusGatherer {
    /** The knobs read in the one {@code condor_config_val} launch. */
    static final List<String> KNOBS = List.of(
            "TCP_FORWARDING_HOST",
            "MASTER_ADDRESS_FILE",
            "SCHEDD_ADDRESS_FILE",
            "COLLECTOR_ADDRESS_FILE",
            "CONDOR_VERSION",
            "HPC_ANNEX_ENABLED",
            "ANNEX_COLLECTOR");
    /** The daemons whose address files are read, with the knob naming each file. */
    static final List<List<String>> DAEMONS = List.of(
            List.of("master", "MASTER_ADDRESS_FILE"),
            List.of("schedd", "SCHEDD_ADDRESS_FILE"),
            List.of("collector", "COLLECTOR_ADDRESS_FILE"));

    private static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(5);

    private final ProcessRunner processes;
    private final Clock clock;
    private final BootTime bootTime;
    private final Path root;

    /** {@code root} stands for {@code /} where the IMDS guard's record is read. */
    StatusGatherer(ProcessRunner processes, Clock clock, BootTime bootTime, Path root) {
        this.processes = processes;
        this.clock = clock;
        this.bootTime = bootTime;
        this.root = root;
    }

    /** With {@code long}: also the htcondor annex requests an address change stranded (one condor_q). */
    StatusFacts gather(AgentConfig config, boolean full) throws InterruptedException {
        StateRead state = readState(config.stateDirectory());
        Path fragmentPath = state.state() != null && state.state().fragmentPath != null
                ? Path.of(state.state().fragmentPath)
                : config.fragmentPath();
        FragmentRead fragment = readFragment(fragmentPath);
        CondorEvaluation condor =
                new CondorConfigReader(processes, config.condorConfigVal(), config.condorTimeout()).read(KNOBS);
        List<AddressRead> addresses =
                condor instanceof CondorEvaluation.Evaluated e ? readAddresses(e.view()) : List.of();
        SystemdView systemd = systemd();
        AnnexRequests.Stranded stranded = null;
        if (full
                && condor instanceof CondorEvaluation.Evaluated e
                && AnnexTool.of(e.view()) == AnnexTool.HTCONDOR_ANNEX) {
            stranded = new AnnexRequests(
                            processes, config.condorConfigVal().resolveSibling("condor_q"), config.condorTimeout())
                    .stranded(
                            e.view().value("ANNEX_COLLECTOR").map(String::strip).orElse(null));
        }
        SystemdView guard = systemd.available() && config.imdsGuard().enabled() ? guardUnit() : null;
        GuardRecord guardRecord = guard != null && "active".equals(guard.activeState()) ? GuardRecord.read(root) : null;
        Boolean alive = systemd.available() || state.state() == null ? null : processAlive(state.state().pid);
        long pid = systemd.available() ? systemd.mainPid() : Boolean.TRUE.equals(alive) ? state.state().pid : 0;
        return new StatusFacts(
                clock.instant(),
                config,
                state,
                fragment,
                condor,
                addresses,
                systemd,
                bootTime.get().orElse(null),
                stranded,
                guard,
                guardRecord,
                alive,
                AgentRuntime.read(root, pid));
    }

    /**
     * Whether process {@code pid} exists (its /proc directory); null when /proc cannot tell: not mounted, or
     * mounted with hidepid (PID 1 invisible), where another user's process looks gone.
     */
    private Boolean processAlive(long pid) {
        Path proc = root.resolve("proc");
        if (pid <= 0 || !Files.isDirectory(proc.resolve("self")) || !Files.isDirectory(proc.resolve("1"))) {
            return null;
        }
        return Files.isDirectory(proc.resolve(Long.toString(pid)));
    }

    /** The state file: absent, unreadable, corrupt or decoded. */
    static StateRead readState(Path stateDirectory) {
        Path file = new StateStore(stateDirectory).file();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new StateRead(file, Read.MISSING, null, "no such file");
        } catch (CharacterCodingException e) {
            return new StateRead(file, Read.INVALID, null, "not UTF-8 text");
        } catch (IOException e) {
            return new StateRead(file, Read.UNREADABLE, null, Failures.reason(e));
        }
        try {
            DaemonState state = StateCodec.decode(text);
            return new StateRead(file, Read.OK, state, null);
        } catch (IOException | RuntimeException e) {
            return new StateRead(
                    file,
                    Read.INVALID,
                    null,
                    e.getMessage() == null || e.getMessage().isBlank()
                            ? e.getClass().getSimpleName()
                            : e.getMessage());
        }
    }

    static FragmentRead readFragment(Path path) {
        try {
            return new FragmentRead(path, Read.OK, Digests.sha256(Files.readAllBytes(path)), null);
        } catch (NoSuchFileException e) {
            return new FragmentRead(path, Read.MISSING, null, "no such file");
        } catch (IOException e) {
            return new FragmentRead(path, Read.UNREADABLE, null, Failures.reason(e));
        }
    }

    static List<AddressRead> readAddresses(CondorConfigView view) {
        List<AddressRead> reads = new ArrayList<>();
        for (List<String> daemon : DAEMONS) {
            Optional<String> file = view.value(daemon.get(1));
            file.ifPresent(f -> reads.add(readAddress(daemon.get(0), f.strip())));
        }
        return reads;
    }

    /** The host a daemon advertises: the first line of its address file is its sinful string. */
    static AddressRead readAddress(String daemon, String file) {
        String first;
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            first = reader.readLine();
        } catch (NoSuchFileException e) {
            return new AddressRead(daemon, file, Read.MISSING, null, "no such file");
        } catch (IOException | RuntimeException e) {
            return new AddressRead(
                    daemon,
                    file,
                    Read.UNREADABLE,
                    null,
                    e instanceof IOException io ? Failures.reason(io) : e.toString());
        }
        String host = SinfulString.host(first);
        if (host == null) {
            return new AddressRead(
                    daemon,
                    file,
                    Read.INVALID,
                    null,
                    "the first line is not a sinful string: " + Text.quote(first, 80));
        }
        return new AddressRead(daemon, file, Read.OK, host, null);
    }

    /** The IMDS guard's unit: a failed guard at boot must be loud (issue 21). Null when it cannot be asked. */
    private SystemdView guardUnit() throws InterruptedException {
        try {
            ProcessResult result = processes.run(
                    List.of(
                            "systemctl",
                            "show",
                            org.seedagent.guard.ImdsGuard.UNIT,
                            "-p",
                            "LoadState,ActiveState,SubState,Result"),
                    SYSTEMCTL_TIMEOUT);
            return result.timedOut() || result.exitCode() != 0 ? null : SystemdView.parse(result.stdout());
        } catch (IOException e) {
            return null;
        }
    }

    private SystemdView systemd() throws InterruptedException {
        ProcessResult result;
        try {
            result = processes.run(SystemdView.command(), SYSTEMCTL_TIMEOUT);
        } catch (IOException e) {
            return SystemdView.unavailable("systemctl cannot be run: " + Failures.reason(e));
        }
        if (result.timedOut()) {
            return SystemdView.unavailable(
                    "systemctl show did not answer within " + SYSTEMCTL_TIMEOUT.toSeconds() + " s");
        }
        if (result.exitCode() != 0) {
            String first = result.stderr().strip().lines().findFirst().orElse("");
            return SystemdView.unavailable(
                    "systemctl show exited " + result.exitCode() + (first.isEmpty() ? "" : ": " + first));
        }
        return SystemdView.parse(result.stdout());
    }
}
