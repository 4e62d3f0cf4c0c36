package org.seedagent.condor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.Text;

/**
 * The {@code htcondor annex} requests an address change stranded: {@code htcondor annex create} leaves one
 * local-universe job per request in the seed's queue, carrying {@code hpc_annex_name} and the collector it
 * gave the annex ({@code hpc_annex_collector}); a request whose collector is not the current
 * {@code ANNEX_COLLECTOR} has nodes that can no longer reach the seed. One {@code condor_q}, run as root
 * (root's condor_q reaches the schedd through its private super port even while the daemons still advertise
 * the old address), only when asked: never at a poll.
 */
public final class AnnexRequests {
    /** What may appear inside the ClassAd string literal of the constraint. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9.:?=_<>\\[\\]\\-]{1,200}");

    /**
     * One request.
     *
     * @param cluster the tracking job's cluster id
     * @param name the annex's name
     * @param collector the collector the annex was given
     */
    public record Request(String cluster, String name, String collector) {
        public Request {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(collector, "collector");
        }
    }

    /**
     * The answer: the stranded requests, or why the queue could not be asked.
     *
     * @param current the ANNEX_COLLECTOR they were compared with
     */
    public record Stranded(String current, List<Request> requests, String problem) {
        public Stranded {
            requests = List.copyOf(requests);
        }
    }

    private final ProcessRunner processes;
    private final Path condorQ;
    private final Duration timeout;

    public AnnexRequests(ProcessRunner processes, Path condorQ, Duration timeout) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.condorQ = Objects.requireNonNull(condorQ, "condorQ");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The command line asking for the requests not given {@code current}. */
    public List<String> command(String current) {
        return List.of(
                condorQ.toString(),
                "-allusers",
                "-constraint",
                "hpc_annex_name =!= undefined && hpc_annex_collector =!= \"" + current + "\"",
                "-af",
                "ClusterId",
                "hpc_annex_name",
                "hpc_annex_collector");
    }

    /** The requests whose collector is not {@code current} (ANNEX_COLLECTOR as HTCondor evaluates it now). */
    public Stranded stranded(String current) throws InterruptedException {
        if (current == null || !SAFE.matcher(current).matches()) {
            return new Stranded(
                    current,
                    List.of(),
                    "ANNEX_COLLECTOR " + Text.quote(String.valueOf(current), 100)
                            + " is not an address the queue can be asked about");
        }
        ToolRun run = ToolRun.run(processes, command(current), timeout);
        if (!run.succeeded()) {
            return new Stranded(current, List.of(), run.failure());
        }
        return new Stranded(current, parse(run.stdout()), null);
    }

    /**
     * {@code condor_q -af ClusterId hpc_annex_name hpc_annex_collector} output, one request a line, the values
     * separated by a space ({@code 3 annex-one 203.0.113.10:9618?sock=ap_collector}): the first word is the
     * cluster, the last the collector (it holds no space), the rest the name.
     */
    static List<Request> parse(String stdout) {
        List<Request> requests = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String trimmed = line.strip();
            int first = trimmed.indexOf(' ');
            int last = trimmed.lastIndexOf(' ');
            if (first > 0 && last > first) {
                requests.add(new Request(
                        trimmed.substring(0, first),
                        trimmed.substring(first + 1, last).strip(),
                        trimmed.substring(last + 1)));
            }
        }
        return requests;
    }
}
