package org.seedagent.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.ApCollectorAnswer;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorValues;
import org.seedagent.condor.HtcondorRelease;
import org.seedagent.condor.Knob;
import org.seedagent.condor.KnownBadReleases;
import org.seedagent.metadata.Ipv4Address;

/**
 * The checks that depend on which annex tool the seed serves ({@link AnnexTool}): htcondor-release,
 * ap-collector, annex-collector, annex-signing-key, trust-domain. Facts of an {@code htcondor annex} seed
 * (HTCondor 24/25 with {@code use feature:HPC_ANNEX}): annex nodes are given {@code ANNEX_COLLECTOR}, built
 * from {@code TCP_FORWARDING_HOST} and the shared port's {@code ap_collector} socket, and join with IDTOKENS
 * signed by the {@code AP} key, which the AP collector creates at its first start.
 */
final class AnnexChecks {
    static final String AP_SOCKET = "ap_collector";
    static final String DEFAULT_KEY_NAME = "AP";
    static final String FEATURE = "use feature:HPC_ANNEX";

    private AnnexChecks() {}

    // --- htcondor-release --------------------------------------------------------------------------

    static CheckResult release(CondorConfigView view, KnownBadReleases knownBad) {
        AnnexTool tool = AnnexTool.of(view);
        Optional<Knob> version = view.defined("CONDOR_VERSION");
        Optional<HtcondorRelease> release = AnnexTool.release(view);
        String serves = "annex nodes come from " + tool.description() + hpcAnnexWhere(view, tool);
        if (release.isEmpty()) {
            return Check.HTCONDOR_RELEASE.notChecked(
                    "condor_config_val gave no release number: "
                            + version.map(Show::knob).orElse("CONDOR_VERSION is not set") + "; " + serves,
                    "run `condor_config_val -version` and report what it prints");
        }
        HtcondorRelease r = release.get();
        Optional<KnownBadReleases.Entry> bad = knownBad.lookup(r);
        if (bad.isPresent()) {
            KnownBadReleases.Entry e = bad.get();
            return Check.HTCONDOR_RELEASE.failure(
                    "HTCondor " + r + " is known to break a seed: " + e.breaks() + " (" + e.ticket() + "); " + serves,
                    "upgrade HTCondor to " + e.fixedIn() + " or later (`dnf upgrade condor`), then"
                            + " `systemctl restart condor`");
        }
        return Check.HTCONDOR_RELEASE.ok("HTCondor " + r + "; " + serves);
    }

    private static String hpcAnnexWhere(CondorConfigView view, AnnexTool tool) {
        if (tool == AnnexTool.HTCONDOR_ANNEX) {
            return view.defined("HPC_ANNEX_ENABLED")
                    .map(k -> ", HPC_ANNEX_ENABLED from " + Show.where(k))
                    .orElse("");
        }
        return "";
    }

    // --- annex-collector ---------------------------------------------------------------------------

    static CheckResult annexCollector(CondorConfigView view, CheckInput input) {
        AnnexTool tool = AnnexTool.of(view);
        if (tool == AnnexTool.CONDOR_ANNEX) {
            return Check.ANNEX_COLLECTOR.ok(
                    "condor_annex gives annex nodes this seed's COLLECTOR_HOST, judged by" + " collector-address");
        }
        if (tool == AnnexTool.NONE) {
            return Check.ANNEX_COLLECTOR.failure(
                    "HTCondor " + AnnexTool.release(view).map(Object::toString).orElse("")
                            + " has no condor_annex (withdrawn in 24.11), and HPC_ANNEX is not enabled, so `htcondor annex`"
                            + " has no AP collector to give annex nodes: no annex can join this seed",
                    "add `" + FEATURE + "` to the HTCondor configuration, then `systemctl restart condor`"
                            + " (see the README, \"Which seed recipe\")");
        }
        Optional<Knob> knob = view.defined("ANNEX_COLLECTOR");
        String restoreDefault = "remove ANNEX_COLLECTOR from the HTCondor configuration so that " + FEATURE
                + "'s $(TCP_FORWARDING_HOST:$(FULL_HOSTNAME)):$(SHARED_PORT_PORT)?sock=ap_collector applies";
        if (knob.isEmpty()) {
            return Check.ANNEX_COLLECTOR.failure(
                    "ANNEX_COLLECTOR is not set although HPC_ANNEX is enabled:"
                            + " `htcondor annex` has no address to give annex nodes",
                    restoreDefault);
        }
        Knob annex = knob.get();
        List<String> failures = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        String host = Addresses.hostOf(annex.value());
        Optional<Knob> forwarding = view.defined("TCP_FORWARDING_HOST");
        boolean follows = annex.raw().toUpperCase(Locale.ROOT).contains("$(TCP_FORWARDING_HOST");
        String addressProblem = hostProblem(host, follows, forwarding, input.metadata());
        if (addressProblem != null) {
            failures.add(addressProblem);
            fixes.add(
                    follows
                            ? "run `seed-agent once` (or start seed-agent.service) so that TCP_FORWARDING_HOST"
                                    + " is the public address, then `systemctl reload condor`"
                            : restoreDefault);
        }
        boolean shared = CondorValues.bool(view.value("USE_SHARED_PORT").orElse(null), true);
        if (!shared) {
            failures.add(view.defined("USE_SHARED_PORT").map(Show::knob).orElse("USE_SHARED_PORT is false")
                    + ": the AP collector then listens on a random port, and ANNEX_COLLECTOR's ?sock=" + AP_SOCKET
                    + " reaches the main collector instead");
            fixes.add("remove USE_SHARED_PORT = false (the AP collector lives on the shared port), then"
                    + " `systemctl restart condor`");
        }
        int port = Checks.selfReachabilityPort(view);
        String portText = portOf(annex.value());
        if (shared && portText != null && !portText.equals(Integer.toString(port))) {
            failures.add("its port " + portText + " is not the shared port " + port);
            fixes.add(restoreDefault);
        }
        Optional<Knob> daemons = view.defined("DAEMON_LIST");
        if (!CondorValues.listContains(daemons.map(Knob::value).orElse(""), "AP_COLLECTOR")) {
            failures.add(daemons.map(k -> Show.knob(k) + " lacks AP_COLLECTOR").orElse("DAEMON_LIST is not set")
                    + ": nothing answers at ANNEX_COLLECTOR");
            fixes.add("add AP_COLLECTOR to DAEMON_LIST (" + FEATURE + " does), then `systemctl reload condor`");
        }
        if (!failures.isEmpty()) {
            return Check.ANNEX_COLLECTOR.failure(
                    Show.knob(annex) + ", what `htcondor annex` gives annex nodes: " + String.join("; ", failures),
                    String.join("; and ", fixes.stream().distinct().toList()));
        }
        String verdict = input.metadata()
                .publicIp()
                .map(ip -> ", this instance's public IP")
                .orElse("");
        if (!follows) {
            return Check.ANNEX_COLLECTOR.warning(
                    Show.knob(annex) + " names " + host + verdict
                            + " literally: it goes stale when the address changes",
                    restoreDefault);
        }
        return Check.ANNEX_COLLECTOR.ok(Show.knob(annex) + ": annex nodes are given " + host + " (TCP_FORWARDING_HOST"
                + verdict + ") on the shared port " + port + ", and AP_COLLECTOR runs");
    }

    /** Why annex nodes outside the VPC cannot reach {@code host}, or null when they can. */
    private static String hostProblem(String host, boolean follows, Optional<Knob> forwarding, MetadataFacts metadata) {
        if (host.isEmpty()) {
            return "its host part is empty";
        }
        if (follows && forwarding.isEmpty()) {
            return "TCP_FORWARDING_HOST is not set, so its host is this machine's name " + Show.value(host)
                    + ", which annex nodes outside the VPC cannot reach";
        }
        if (Addresses.isLoopbackName(host)) {
            return host + " is this machine itself";
        }
        if (!Ipv4Address.isValid(host)) {
            Ipv4Address embedded = Addresses.ec2PublicName(host);
            if (embedded != null && Checks.isPublicIp(metadata, embedded)) {
                return null;
            }
            if (Addresses.isVpcInternalName(host)) {
                return Show.value(host) + " is an EC2-internal name, which annex nodes outside the VPC cannot resolve";
            }
            return null; // a name: the forwarding check judges what it resolves to
        }
        Ipv4Address address = Ipv4Address.parse(host);
        if (Addresses.isLoopback(address)) {
            return host + " is a loopback address";
        }
        if (Checks.isPublicIp(metadata, address)) {
            return null;
        }
        if (address.isPrivate()) {
            if (metadata.available() && metadata.publicIp().isEmpty()) {
                return null; // no public address: only nodes inside the VPC, as forwarding-in-effect says
            }
            return host + " is a private address, which annex nodes outside the VPC cannot reach"
                    + metadata.publicIp().map(ip -> "; the public IP is " + ip).orElse("");
        }
        if (metadata.publicIp().isPresent()) {
            return host + " is not this instance's public IP "
                    + metadata.publicIp().get() + " (a stale address?)";
        }
        return null;
    }

    /** The port of {@code host:port?...} ({@code <...>} allowed), or null. */
    static String portOf(String address) {
        String s = address.strip();
        if (s.startsWith("<")) {
            s = s.substring(1);
        }
        int query = s.indexOf('?');
        if (query >= 0) {
            s = s.substring(0, query);
        }
        s = s.replace(">", "");
        int colon = s.lastIndexOf(':');
        return colon >= 0 && s.indexOf(':') == colon ? s.substring(colon + 1) : null;
    }

    // --- ap-collector ------------------------------------------------------------------------------

    static CheckResult apCollector(CondorConfigView view, CheckInput input) {
        AnnexTool tool = AnnexTool.of(view);
        if (tool != AnnexTool.HTCONDOR_ANNEX) {
            return Check.AP_COLLECTOR.ok(
                    "not applicable: this seed has no AP collector (annex tool: " + tool.description() + ")");
        }
        ApCollectorAnswer answer = input.network().apCollector();
        String at = answer.collector() == null ? "ANNEX_COLLECTOR" : Show.value(answer.collector());
        return switch (answer.outcome()) {
            case NOT_APPLICABLE ->
                Check.AP_COLLECTOR.notChecked("the AP collector was not asked", "run seed-agent check as root");
            case NOT_RUNNING ->
                Check.AP_COLLECTOR.info(
                        "not checked: HTCondor is not running (no condor_master" + " process)",
                        "run seed-agent check again once HTCondor runs");
            case FAILED ->
                Check.AP_COLLECTOR.failure(
                        "the AP collector does not answer at " + at + ": " + answer.detail()
                                + "; `htcondor annex create` cannot find the schedd for annex nodes",
                        "check AP_Collector.log in HTCondor's LOG directory and that AP_COLLECTOR runs"
                                + " (`condor_status -pool '"
                                + (answer.collector() == null ? "ANNEX_COLLECTOR" : answer.collector()) + "' -any`)");
            case ANSWERED -> schedds(answer, at);
        };
    }

    private static CheckResult schedds(ApCollectorAnswer answer, String at) {
        List<String> names = answer.schedds().stream().map(Show::value).toList();
        if (names.size() == 1) {
            return Check.AP_COLLECTOR.ok("the AP collector answers at " + at + " and holds one schedd ad, "
                    + names.get(0) + ", the schedd annex nodes attach to");
        }
        if (names.isEmpty()) {
            return Check.AP_COLLECTOR.failure(
                    "the AP collector at " + at + " holds no schedd ad:"
                            + " `htcondor annex create` refuses (it needs exactly one)",
                    "wait for the schedd's next update (SCHEDD_INTERVAL) and check that SCHEDD.COLLECTOR_HOST"
                            + " includes $(ANNEX_COLLECTOR), as " + FEATURE + " sets it");
        }
        return Check.AP_COLLECTOR.failure(
                "the AP collector at " + at + " holds " + names.size() + " schedd ads (" + String.join(", ", names)
                        + "): `htcondor annex create` refuses (it needs exactly one)",
                "let only this seed's schedd report to the AP collector (remove $(ANNEX_COLLECTOR) from other"
                        + " schedds' COLLECTOR_HOST)");
    }

    // --- annex-signing-key -------------------------------------------------------------------------

    /** The AP signing key's path: {@code SEC_PASSWORD_DIRECTORY/ANNEX_TOKEN_KEY_NAME}, or null. */
    static String signingKeyPath(CondorConfigView view) {
        if (AnnexTool.of(view) != AnnexTool.HTCONDOR_ANNEX) {
            return null;
        }
        Optional<String> dir = view.value("SEC_PASSWORD_DIRECTORY").map(String::strip);
        if (dir.isEmpty() || !dir.get().startsWith("/")) {
            return null;
        }
        String name = view.value("ANNEX_TOKEN_KEY_NAME")
                .or(() -> view.value("SEC_TOKEN_AP_SIGNING_KEY_NAME"))
                .map(String::strip)
                .orElse(DEFAULT_KEY_NAME);
        if (name.isEmpty() || name.contains("/")) {
            return null;
        }
        return dir.get().replaceAll("/+$", "") + "/" + name;
    }

    static CheckResult signingKey(CondorConfigView view, CheckInput input) {
        AnnexTool tool = AnnexTool.of(view);
        if (tool != AnnexTool.HTCONDOR_ANNEX) {
            return Check.ANNEX_SIGNING_KEY.ok("not applicable: annex tool " + tool.description()
                    + " (condor_annex's nodes use the pool password, see password-file)");
        }
        String path = signingKeyPath(view);
        if (path == null) {
            return Check.ANNEX_SIGNING_KEY.failure(
                    "the AP signing key's file cannot be named: "
                            + view.defined("SEC_PASSWORD_DIRECTORY")
                                    .map(Show::knob)
                                    .orElse("SEC_PASSWORD_DIRECTORY is not set")
                            + " (an absolute directory is needed)",
                    "SEC_PASSWORD_DIRECTORY = /etc/condor/passwords.d (HTCondor's default is $(ETC)/passwords.d)");
        }
        String shown = Show.value(path);
        FileStat stat = input.files().stat(path);
        boolean running = input.network().apCollector().outcome() != ApCollectorAnswer.Outcome.NOT_RUNNING;
        if (stat.problem() != null) {
            return Check.ANNEX_SIGNING_KEY.notChecked(
                    "cannot examine " + shown + ": " + stat.problem(), "run seed-agent check as root");
        }
        if (!stat.exists()) {
            if (!running) {
                return Check.ANNEX_SIGNING_KEY.info(
                        shown + " (the AP signing key) does not exist yet: the AP"
                                + " collector creates it, root-only, at its first start",
                        null);
            }
            return Check.ANNEX_SIGNING_KEY.failure(
                    shown + " (the AP signing key) does not exist although HTCondor"
                            + " runs: `htcondor annex` cannot get tokens for annex nodes",
                    "check AP_Collector.log; the AP collector creates the key when it starts (`systemctl restart"
                            + " condor`)");
        }
        if (!stat.regularFile()) {
            return Check.ANNEX_SIGNING_KEY.failure(
                    shown + " (the AP signing key) is not a regular file",
                    "remove it and restart HTCondor: the AP collector creates a new key (tokens signed with the"
                            + " old one stop working)");
        }
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        if (stat.uid() != 0) {
            problems.add("it is owned by " + (stat.owner() == null ? "uid " + stat.uid() : Show.value(stat.owner()))
                    + ", not root");
            fixes.add("`chown root:root " + shown + "`");
        }
        if (stat.mode() >= 0 && (stat.mode() & 077) != 0) {
            problems.add("its mode " + stat.octalMode() + " lets others read it");
            fixes.add("`chmod 600 " + shown + "`");
        }
        if (!problems.isEmpty()) {
            return Check.ANNEX_SIGNING_KEY.failure(
                    shown + " (the AP signing key): " + String.join(" and ", problems)
                            + ": whoever reads it can sign tokens for any identity and join machines to this seed",
                    String.join(" and ", fixes) + "; then consider the key leaked: replace it and reissue annex"
                            + " tokens");
        }
        return Check.ANNEX_SIGNING_KEY.ok(
                shown + " (the AP signing key) is owned by root with mode " + stat.octalMode());
    }

    // --- trust-domain ------------------------------------------------------------------------------

    static CheckResult trustDomain(CondorConfigView view, CheckInput input) {
        Optional<Knob> knob = view.defined("TRUST_DOMAIN");
        if (knob.isEmpty()) {
            return Check.TRUST_DOMAIN.info("TRUST_DOMAIN is not set: HTCondor uses its default, $(UID_DOMAIN)", null);
        }
        Knob trust = knob.get();
        String raw = trust.raw().toUpperCase(Locale.ROOT);
        String value = trust.value().strip();
        Optional<String> forwarding = view.value("TCP_FORWARDING_HOST").map(String::strip);
        boolean followsRaw = raw.contains("$(TCP_FORWARDING_HOST") || raw.contains("$(EC2PUBLICIP");
        boolean isPublic =
                input.metadata().publicIp().map(ip -> value.equals(ip.text())).orElse(false)
                        || forwarding.map(value::equals).orElse(false);
        if (followsRaw || isPublic) {
            return Check.TRUST_DOMAIN.failure(
                    Show.knob(trust) + " follows the public address: tokens are issued"
                            + " under the trust domain, and after a change of address the seed no longer presents the"
                            + " tokens issued under the old one, so annex nodes and token holders are refused",
                    "set TRUST_DOMAIN to a name that does not change (remove it for HTCondor's default"
                            + " $(UID_DOMAIN), the host's name), then `systemctl restart condor` and reissue tokens");
        }
        return Check.TRUST_DOMAIN.ok(
                Show.knob(trust) + " does not follow the public address, so tokens survive" + " a change of address");
    }
}
