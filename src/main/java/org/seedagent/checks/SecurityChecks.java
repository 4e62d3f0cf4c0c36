package org.seedagent.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.ApCollectorAnswer;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorValues;
import org.seedagent.condor.Knob;

/** password-file, daemon-authentication, pool-identity, open-access. */
final class SecurityChecks {
    /** Authentication methods annex nodes use: the pool password, or tokens (IDTOKENS, TOKEN on older releases). */
    static final Set<String> ANNEX_METHODS = Set.of("PASSWORD", "IDTOKENS", "IDTOKEN", "TOKEN", "TOKENS");
    /** ALLOW entries that admit anyone. */
    static final Set<String> EVERYONE = Set.of("*", "*@*", "*/*", "*@*/*");

    private SecurityChecks() {}

    static List<CheckResult> run(CheckInput input) {
        CondorConfigView view = Checks.view(input);
        if (view == null) {
            List<CheckResult> results = new ArrayList<>();
            for (Check check : List.of(
                    Check.PASSWORD_FILE,
                    Check.ANNEX_SIGNING_KEY,
                    Check.DAEMON_AUTHENTICATION,
                    Check.POOL_IDENTITY,
                    Check.TRUST_DOMAIN,
                    Check.OPEN_ACCESS)) {
                results.add(check.notChecked(Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY));
            }
            return results;
        }
        return List.of(
                passwordFile(view, input),
                AnnexChecks.signingKey(view, input),
                daemonAuthentication(view),
                poolIdentity(view),
                AnnexChecks.trustDomain(view, input),
                openAccess(view));
    }

    // --- password-file -----------------------------------------------------------------------------

    /**
     * On an {@code htcondor annex} seed the file is the POOL signing key, which the collector creates at its
     * first start and annex nodes do not use: its absence before HTCondor has run is no failure.
     */
    static CheckResult passwordFile(CondorConfigView view, CheckInput input) {
        Optional<Knob> knob = view.defined("SEC_PASSWORD_FILE");
        if (AnnexTool.of(view) == AnnexTool.HTCONDOR_ANNEX && knob.isPresent()) {
            String path = knob.get().value().strip();
            FileStat stat = path.startsWith("/") ? input.files().stat(path) : null;
            if (stat != null && stat.problem() == null && !stat.exists()) {
                boolean running = input.network().apCollector().outcome() != ApCollectorAnswer.Outcome.NOT_RUNNING;
                String what = Show.knob(knob.get()) + ", the POOL signing key, does not exist";
                if (!running) {
                    return Check.PASSWORD_FILE.info(
                            what + " yet: the collector creates it, root-only, at its first"
                                    + " start (annex nodes of `htcondor annex` use tokens signed by the AP key)",
                            null);
                }
                return Check.PASSWORD_FILE.warning(
                        what + " although HTCondor runs: the collector creates it at"
                                + " start, and the pool's own tokens are signed with it",
                        "check CollectorLog in HTCondor's LOG directory, then `systemctl restart condor`");
            }
        }
        return passwordFile(view, input.files());
    }

    static CheckResult passwordFile(CondorConfigView view, FileFacts files) {
        Optional<Knob> knob = view.defined("SEC_PASSWORD_FILE");
        String create = "create it as root with `condor_store_cred add -f <path>` (it asks for the pool password)";
        if (knob.isEmpty()) {
            return Check.PASSWORD_FILE.failure(
                    "SEC_PASSWORD_FILE is not set: annex nodes cannot authenticate to"
                            + " the seed, and condor_annex -check-setup fails",
                    "SEC_PASSWORD_FILE = /etc/condor/passwords.d/POOL, then "
                            + create.replace("<path>", "/etc/condor/passwords.d/POOL"));
        }
        String path = knob.get().value().strip();
        String shown = Show.value(path);
        if (!path.startsWith("/")) {
            return Check.PASSWORD_FILE.failure(
                    Show.knob(knob.get()) + " is not an absolute path",
                    "SEC_PASSWORD_FILE = /etc/condor/passwords.d/POOL (an absolute path)");
        }
        FileStat stat = files.stat(path);
        if (stat.problem() != null) {
            return Check.PASSWORD_FILE.notChecked(
                    "cannot examine " + shown + ": " + stat.problem(), "run seed-agent check as root");
        }
        if (!stat.exists()) {
            return Check.PASSWORD_FILE.failure(
                    Show.knob(knob.get()) + ", which does not exist: annex nodes cannot"
                            + " authenticate to the seed, and condor_annex -check-setup fails",
                    create.replace("<path>", shown));
        }
        if (!stat.regularFile()) {
            return Check.PASSWORD_FILE.failure(
                    shown + " (SEC_PASSWORD_FILE) is not a regular file",
                    "remove it, then " + create.replace("<path>", shown));
        }
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        if (stat.uid() != 0) {
            String owner = stat.owner() == null
                    ? "uid " + stat.uid()
                    : Show.value(stat.owner()) + (stat.uid() >= 0 ? " (uid " + stat.uid() + ")" : "");
            problems.add("it is owned by " + owner + ", not root");
            fixes.add("`chown root:root " + shown + "`");
        }
        if (stat.mode() >= 0 && (stat.mode() & 077) != 0) {
            problems.add("its mode " + stat.octalMode() + " gives group or others access");
            fixes.add("`chmod 600 " + shown + "`");
        }
        if (!problems.isEmpty()) {
            return Check.PASSWORD_FILE.failure(
                    shown + " (SEC_PASSWORD_FILE): " + String.join(" and ", problems)
                            + ", so HTCondor refuses to use it",
                    String.join(" and ", fixes));
        }
        return Check.PASSWORD_FILE.ok(
                shown + " (SEC_PASSWORD_FILE) exists, is owned by root and has mode " + stat.octalMode());
    }

    // --- daemon-authentication ---------------------------------------------------------------------

    static CheckResult daemonAuthentication(CondorConfigView view) {
        Optional<Knob> auth = view.firstDefined("SEC_DAEMON_AUTHENTICATION", "SEC_DEFAULT_AUTHENTICATION");
        Optional<Knob> methods =
                view.firstDefined("SEC_DAEMON_AUTHENTICATION_METHODS", "SEC_DEFAULT_AUTHENTICATION_METHODS");
        String require = "SEC_DAEMON_AUTHENTICATION = REQUIRED and SEC_DAEMON_INTEGRITY = REQUIRED (or `use security:"
                + " recommended_v9_0`), then `systemctl reload condor`";
        if (auth.isEmpty() || !CondorValues.isKeyword(auth.get().value(), "REQUIRED")) {
            String what = auth.map(Show::knob)
                    .orElse("neither SEC_DAEMON_AUTHENTICATION nor SEC_DEFAULT_AUTHENTICATION is set");
            return Check.DAEMON_AUTHENTICATION.failure(
                    what + ": daemon authentication is not REQUIRED, so daemons,"
                            + " annex nodes included, may join without proving they belong to the pool",
                    require);
        }
        String required = Show.knob(auth.get());
        if (methods.isEmpty()) {
            return Check.DAEMON_AUTHENTICATION.ok(required + ": daemons must authenticate; the methods are"
                    + " HTCondor's built-in list (it includes IDTOKENS since 9.0)");
        }
        List<String> annex = CondorValues.list(methods.get().value()).stream()
                .filter(m -> ANNEX_METHODS.contains(m.toUpperCase(Locale.ROOT)))
                .toList();
        if (annex.isEmpty()) {
            return Check.DAEMON_AUTHENTICATION.failure(
                    required + ", but " + Show.knob(methods.get())
                            + " includes neither PASSWORD nor IDTOKENS, the methods annex nodes authenticate with",
                    methods.get().name() + " = FS, IDTOKENS, PASSWORD");
        }
        return Check.DAEMON_AUTHENTICATION.ok(required + "; " + Show.knob(methods.get()) + ": daemons must"
                + " authenticate, and annex nodes can with " + String.join(", ", annex));
    }

    // --- pool-identity -----------------------------------------------------------------------------

    static CheckResult poolIdentity(CondorConfigView view) {
        Optional<Knob> daemon = view.defined("ALLOW_DAEMON");
        Optional<Knob> startd = view.defined("ALLOW_ADVERTISE_STARTD");
        String remedy = "add condor_pool@* (PASSWORD) and condor@* (IDTOKENS) to ALLOW_DAEMON, e.g."
                + " ALLOW_DAEMON = $(ALLOW_DAEMON) condor_pool@* condor@*";
        if (daemon.isEmpty()) {
            return Check.POOL_IDENTITY.failure(
                    "ALLOW_DAEMON is not set: the seed refuses the daemons of annex" + " nodes",
                    "ALLOW_DAEMON = condor_pool@* condor@*");
        }
        List<String> admitting = admitting(daemon.get().value());
        if (admitting.isEmpty()) {
            return Check.POOL_IDENTITY.failure(
                    Show.knob(daemon.get()) + " admits neither condor_pool@* nor"
                            + " condor@*: the seed refuses the daemons of annex nodes",
                    remedy);
        }
        if (startd.isPresent() && admitting(startd.get().value()).isEmpty()) {
            return Check.POOL_IDENTITY.failure(
                    Show.knob(startd.get()) + " admits neither condor_pool@* nor"
                            + " condor@*: annex nodes' startds cannot advertise to the collector",
                    "add condor_pool@* condor@* to ALLOW_ADVERTISE_STARTD, or remove it so that it falls back to"
                            + " ALLOW_DAEMON");
        }
        String advertise = startd.map(k -> "ALLOW_ADVERTISE_STARTD admits " + String.join(" ", admitting(k.value())))
                .orElse("ALLOW_ADVERTISE_STARTD falls back to it");
        return Check.POOL_IDENTITY.ok(
                "ALLOW_DAEMON admits the pool identity (" + String.join(" ", admitting) + "); " + advertise);
    }

    /** The entries of an ALLOW list that admit annex nodes' identity (condor_pool@..., condor@..., or anyone). */
    static List<String> admitting(String allow) {
        List<String> entries = new ArrayList<>();
        for (String entry : CondorValues.list(allow)) {
            String user = entry;
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                if (!entry.substring(slash + 1).equals("*")) {
                    continue; // restricted to hosts: annex nodes come from addresses nobody knows in advance
                }
                user = entry.substring(0, slash);
            }
            int at = user.indexOf('@');
            String name = at < 0 ? user : user.substring(0, at);
            boolean admits =
                    at < 0 ? user.equals("*") : name.equals("*") || name.equals("condor_pool") || name.equals("condor");
            if (admits) {
                entries.add(Show.value(entry));
            }
        }
        return entries;
    }

    // --- open-access -------------------------------------------------------------------------------

    static CheckResult openAccess(CondorConfigView view) {
        List<String> problems = new ArrayList<>();
        List<String> safe = new ArrayList<>();
        inspect(view, "ALLOW_WRITE", List.of("SEC_WRITE_AUTHENTICATION", "SEC_DEFAULT_AUTHENTICATION"), problems, safe);
        inspect(
                view,
                "ALLOW_DAEMON",
                List.of("SEC_DAEMON_AUTHENTICATION", "SEC_DEFAULT_AUTHENTICATION"),
                problems,
                safe);
        if (!problems.isEmpty()) {
            return Check.OPEN_ACCESS.failure(
                    String.join("; ", problems) + ": anyone who can reach port 9618 may"
                            + " submit jobs, advertise machines or act as a daemon",
                    "SEC_DEFAULT_AUTHENTICATION = REQUIRED (or `use security: recommended_v9_0`), or replace * with"
                            + " the identities that need access (e.g. condor_pool@* and your users' user@domain)");
        }
        if (!safe.isEmpty()) {
            return Check.OPEN_ACCESS.ok(String.join("; ", safe));
        }
        return Check.OPEN_ACCESS.ok("neither ALLOW_WRITE nor ALLOW_DAEMON admits everyone");
    }

    private static void inspect(
            CondorConfigView view, String allow, List<String> authChain, List<String> problems, List<String> safe) {
        Optional<Knob> knob = view.defined(allow);
        if (knob.isEmpty() || CondorValues.list(knob.get().value()).stream().noneMatch(EVERYONE::contains)) {
            return;
        }
        Optional<Knob> auth = view.firstDefined(authChain.toArray(new String[0]));
        if (auth.isPresent() && CondorValues.isKeyword(auth.get().value(), "REQUIRED")) {
            safe.add(allow + " admits everyone (from " + Show.where(knob.get()) + "), which is safe because "
                    + auth.get().name() + " = " + Show.value(auth.get().value()) + " requires authentication");
        } else {
            problems.add(Show.knob(knob.get()) + " admits everyone while "
                    + auth.map(k -> k.name() + " = " + Show.value(k.value()))
                            .orElse("authentication is not required (" + String.join(" and ", authChain)
                                    + " are not set)"));
        }
    }
}
