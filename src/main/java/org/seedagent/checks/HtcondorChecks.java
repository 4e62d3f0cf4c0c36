package org.seedagent.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.condor.CondorValues;
import org.seedagent.condor.Knob;
import org.seedagent.condor.KnownBadReleases;

/** condor-config, central-manager, submit-node, job-lease. */
final class HtcondorChecks {
    /** A seed stop/start or reboot takes minutes; a shorter lease loses running jobs. */
    static final int SHORTEST_SENSIBLE_LEASE = 600;

    static final int DEFAULT_LEASE = 2400;
    private static final KnownBadReleases KNOWN_BAD = KnownBadReleases.bundled();

    private HtcondorChecks() {}

    static List<CheckResult> run(CheckInput input) {
        CondorConfigView view = Checks.view(input);
        List<CheckResult> results = new ArrayList<>();
        results.add(condorConfig(input.condor()));
        if (view == null) {
            for (Check check : List.of(
                    Check.HTCONDOR_RELEASE,
                    Check.CENTRAL_MANAGER,
                    Check.AP_COLLECTOR,
                    Check.SUBMIT_NODE,
                    Check.JOB_LEASE)) {
                results.add(check.notChecked(Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY));
            }
            return results;
        }
        results.add(AnnexChecks.release(view, KNOWN_BAD));
        results.add(daemons(
                Check.CENTRAL_MANAGER,
                view,
                List.of("COLLECTOR", "NEGOTIATOR"),
                "this instance is not a central manager, so annex nodes have no pool to join",
                "add `use ROLE: CentralManager` to the HTCondor configuration (or DAEMON_LIST = $(DAEMON_LIST)"
                        + " COLLECTOR NEGOTIATOR), then `systemctl reload condor`"));
        results.add(AnnexChecks.apCollector(view, input));
        results.add(daemons(
                Check.SUBMIT_NODE,
                view,
                List.of("SCHEDD"),
                "this instance is not a submit node: there is no queue for jobs to run on annex nodes",
                "add `use ROLE: Submit` to the HTCondor configuration (or DAEMON_LIST = $(DAEMON_LIST) SCHEDD),"
                        + " then `systemctl reload condor`"));
        results.add(jobLease(view));
        return results;
    }

    static CheckResult condorConfig(CondorEvaluation evaluation) {
        if (evaluation instanceof CondorEvaluation.Evaluated e) {
            String machine = e.view().machine().isEmpty()
                    ? ""
                    : " on " + Show.value(e.view().machine());
            return Check.CONDOR_CONFIG.ok("condor_config_val evaluated HTCondor's configuration" + machine);
        }
        CondorEvaluation.Failed f = (CondorEvaluation.Failed) evaluation;
        String remedy = switch (f.kind()) {
            case NOT_INSTALLED ->
                "install HTCondor, or set condor.config-val in seed-agent's configuration"
                        + " (/etc/seed-agent/seed-agent.conf) to the path of condor_config_val";
            case TIMED_OUT ->
                "find out why `condor_config_val -config` is slow (a slow name lookup or include"
                        + " command?), or raise condor.timeout in /etc/seed-agent/seed-agent.conf";
            case CONFIGURATION_ERROR ->
                "fix line " + f.line() + " of " + Show.value(f.file())
                        + " (each line must be NAME = value); until then every HTCondor daemon and tool refuses this"
                        + " configuration: do not reload or restart HTCondor before `condor_config_val -config` succeeds";
            case TOOL_FAILED -> "run `condor_config_val -config` by hand and fix what it reports";
        };
        return Check.CONDOR_CONFIG.failure("cannot evaluate HTCondor configuration: " + f.reason(), remedy);
    }

    static CheckResult daemons(
            Check check, CondorConfigView view, List<String> required, String consequence, String remedy) {
        Optional<Knob> knob = view.defined("DAEMON_LIST");
        String value = knob.map(Knob::value).orElse("");
        List<String> missing = new ArrayList<>();
        for (String daemon : required) {
            if (!CondorValues.listContains(value, daemon)) {
                missing.add(daemon);
            }
        }
        String names = String.join(" and ", required);
        if (missing.isEmpty()) {
            return check.ok("DAEMON_LIST runs " + names + ": " + Show.value(value.strip()));
        }
        String what = knob.map(k -> Show.knob(k) + " lacks " + String.join(" and ", missing))
                .orElse("DAEMON_LIST is not set, so HTCondor runs only MASTER");
        return check.failure(what + ": " + consequence, remedy);
    }

    static CheckResult jobLease(CondorConfigView view) {
        Optional<Knob> knob = view.defined("JOB_DEFAULT_LEASE_DURATION");
        String reconnect = "running jobs reconnect only if the seed's schedd is back within that time"
                + " after a restart, reboot or stop/start";
        String hint = "raise JOB_DEFAULT_LEASE_DURATION (seconds) if the seed may be down longer; a job can also"
                + " set job_lease_duration in its submit file";
        if (knob.isEmpty()) {
            return Check.JOB_LEASE.info(
                    "JOB_DEFAULT_LEASE_DURATION is not set: HTCondor's default of " + DEFAULT_LEASE
                            + " s (40 min) applies; " + reconnect,
                    hint);
        }
        OptionalInt seconds = CondorValues.integer(knob.get().value());
        if (seconds.isEmpty() || seconds.getAsInt() <= 0) {
            return Check.JOB_LEASE.warning(
                    Show.knob(knob.get()) + " is not a positive number of seconds",
                    "JOB_DEFAULT_LEASE_DURATION = " + DEFAULT_LEASE + " (or more)");
        }
        int s = seconds.getAsInt();
        if (s < SHORTEST_SENSIBLE_LEASE) {
            return Check.JOB_LEASE.warning(
                    Show.knob(knob.get()) + " is only " + s + " s: running jobs are"
                            + " lost whenever the seed's schedd is down longer, and a reboot or stop/start of the seed"
                            + " usually is",
                    "JOB_DEFAULT_LEASE_DURATION = " + DEFAULT_LEASE + " (or more)");
        }
        return Check.JOB_LEASE.info(
                "JOB_DEFAULT_LEASE_DURATION = " + s + " s (" + human(s) + ", from " + Show.where(knob.get()) + "): "
                        + reconnect,
                hint);
    }

    private static String human(int seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
