package org.seedagent.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.seedagent.condor.AnnexTool;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorValues;
import org.seedagent.condor.Knob;
import org.seedagent.metadata.Ipv4Address;

/** collector-address, forwarding-in-effect, self-reachability, legacy-boot-config. */
final class NetworkChecks {
    private static final String COLLECTOR_REMEDY =
            "set COLLECTOR_HOST = $(TCP_FORWARDING_HOST):9618 (seed-agent keeps TCP_FORWARDING_HOST equal to the"
                    + " public IP); use an Elastic IP so that the address survives a stop/start";

    private NetworkChecks() {}

    static List<CheckResult> run(CheckInput input) {
        CondorConfigView view = Checks.view(input);
        List<CheckResult> results = new ArrayList<>();
        if (view == null) {
            results.add(Check.COLLECTOR_ADDRESS.notChecked(Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY));
            results.add(Check.ANNEX_COLLECTOR.notChecked(Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY));
            results.add(Check.FORWARDING_IN_EFFECT.notChecked(Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY));
            results.add(Check.SELF_REACHABILITY.notChecked(Checks.NO_CONDOR, Checks.NO_CONDOR_REMEDY));
        } else {
            results.add(collectorAddress(view, input));
            results.add(AnnexChecks.annexCollector(view, input));
            results.add(forwardingInEffect(view, input));
            results.add(selfReachability(view, input));
        }
        results.add(legacyBootConfig(input));
        return results;
    }

    // --- collector-address -------------------------------------------------------------------------

    /** What one COLLECTOR_HOST entry points to. */
    private record Verdict(Severity severity, String text) {}

    static CheckResult collectorAddress(CondorConfigView view, CheckInput input) {
        Optional<Knob> knob = view.defined("COLLECTOR_HOST");
        if (knob.isEmpty()) {
            return Check.COLLECTOR_ADDRESS.failure(
                    "COLLECTOR_HOST is not set (nor CONDOR_HOST): condor_annex has"
                            + " no collector address to give annex nodes",
                    COLLECTOR_REMEDY);
        }
        Knob collector = knob.get();
        if (AnnexTool.of(view) == AnnexTool.HTCONDOR_ANNEX) {
            // Annex nodes are given ANNEX_COLLECTOR: the seed's own daemons may (and should) use a private address.
            return Check.COLLECTOR_ADDRESS.ok(Show.knob(collector) + ": the seed's own daemons use it; `htcondor"
                    + " annex` gives annex nodes ANNEX_COLLECTOR instead (see annex-collector)");
        }
        boolean follows = collector.raw().toUpperCase(Locale.ROOT).contains("$(TCP_FORWARDING_HOST");
        List<Verdict> verdicts = new ArrayList<>();
        for (String entry : CondorValues.list(collector.value())) {
            verdicts.add(entry(Addresses.hostOf(entry), follows, input));
        }
        Severity worst = verdicts.stream()
                .map(Verdict::severity)
                .max(Severity::compareTo)
                .orElse(Severity.OK);
        List<String> texts = verdicts.stream()
                .filter(v -> v.severity() == worst)
                .map(Verdict::text)
                .toList();
        String finding = Show.knob(collector) + ": " + String.join("; ", texts);
        return switch (worst) {
            case OK, INFO -> Check.COLLECTOR_ADDRESS.ok(finding);
            case WARNING -> Check.COLLECTOR_ADDRESS.warning(finding, COLLECTOR_REMEDY);
            case FAILURE ->
                Check.COLLECTOR_ADDRESS.failure(
                        finding + "; condor_annex bakes this address into every annex node", COLLECTOR_REMEDY);
        };
    }

    private static Verdict entry(String host, boolean follows, CheckInput input) {
        MetadataFacts metadata = input.metadata();
        if (host.isEmpty()) {
            return new Verdict(
                    Severity.FAILURE, "the host part is empty" + (follows ? " (TCP_FORWARDING_HOST is not set)" : ""));
        }
        if (Addresses.isLoopbackName(host)) {
            return new Verdict(
                    Severity.FAILURE, host + " is this machine itself: annex nodes would contact themselves");
        }
        if (Ipv4Address.isValid(host)) {
            Ipv4Address address = Ipv4Address.parse(host);
            if (Addresses.isLoopback(address)) {
                return new Verdict(
                        Severity.FAILURE, host + " is a loopback address: annex nodes would contact themselves");
            }
            if (follows && !address.isPrivate()) {
                return new Verdict(
                        Severity.OK, "follows TCP_FORWARDING_HOST (" + host + "), reachable from outside the VPC");
            }
            return address(address, host, input);
        }
        if (!Addresses.isName(host)) {
            return new Verdict(
                    Severity.WARNING,
                    Show.value(host) + " is an IPv6 address: annex nodes in EC2 reach" + " the seed over IPv4");
        }
        Ipv4Address embedded = Addresses.ec2PublicName(host);
        if (embedded != null) {
            if (Checks.isPublicIp(metadata, embedded)) {
                return new Verdict(
                        Severity.OK,
                        host + " is the EC2 public DNS name of this instance's public IP " + embedded
                                + " (it changes with the address)");
            }
            return address(embedded, host + " (the EC2 public DNS name of " + embedded + ")", input);
        }
        if (Addresses.isVpcInternalName(host)) {
            if (metadata.available() && metadata.publicIp().isEmpty()) {
                return new Verdict(
                        Severity.WARNING,
                        Show.value(host) + " is an EC2-internal name: only annex nodes"
                                + " inside the VPC can resolve it (this instance has no public IPv4)");
            }
            return new Verdict(
                    Severity.FAILURE,
                    Show.value(host) + " is an EC2-internal name, which annex nodes"
                            + " outside the VPC cannot resolve");
        }
        NetworkFacts.Resolution resolution = input.network().resolutions().get(host);
        if (resolution == null) {
            return new Verdict(Severity.WARNING, "the name " + Show.value(host) + " was not resolved");
        }
        if (resolution.addresses().isEmpty()) {
            return new Verdict(
                    Severity.FAILURE,
                    "the name " + Show.value(host) + " does not resolve here"
                            + (resolution.error() == null ? "" : " (" + resolution.error() + ")"));
        }
        List<Ipv4Address> addresses = resolution.addresses().stream()
                .filter(Ipv4Address::isValid)
                .map(Ipv4Address::parse)
                .toList();
        String named = "the name " + Show.value(host) + " resolves to " + String.join(", ", resolution.addresses());
        if (addresses.stream().anyMatch(a -> Checks.isPublicIp(metadata, a))) {
            return new Verdict(Severity.OK, named + ", this instance's public IP");
        }
        if (!addresses.isEmpty() && addresses.stream().allMatch(Addresses::isLoopback)) {
            return new Verdict(Severity.FAILURE, named + ": loopback, annex nodes would contact themselves");
        }
        if (follows) {
            return new Verdict(Severity.OK, "follows TCP_FORWARDING_HOST (" + named + ")");
        }
        if (!addresses.isEmpty() && addresses.stream().allMatch(Ipv4Address::isPrivate)) {
            // Split-horizon DNS (Route 53 private zones, EC2 names) may answer differently outside the VPC.
            return new Verdict(
                    Severity.WARNING,
                    named + ", private addresses only: outside the VPC it must resolve"
                            + " to "
                            + metadata.publicIp().map(Ipv4Address::text).orElse("a public address")
                            + ", or annex nodes cannot reach the seed");
        }
        return address(addresses.get(0), named, input);
    }

    /** An IPv4 address that is not loopback, compared with what the metadata says. */
    private static Verdict address(Ipv4Address address, String what, CheckInput input) {
        MetadataFacts metadata = input.metadata();
        if (Checks.isPublicIp(metadata, address)) {
            return new Verdict(Severity.OK, what + " is this instance's public IP");
        }
        if (address.isPrivate()) {
            if (metadata.available() && metadata.publicIp().isEmpty()) {
                return new Verdict(
                        Severity.WARNING,
                        what + " is a private address: only annex nodes inside the VPC"
                                + " can reach it (this instance has no public IPv4)");
            }
            return new Verdict(
                    Severity.FAILURE,
                    what + " is a private address, which annex nodes outside the VPC" + " cannot reach"
                            + metadata.publicIp()
                                    .map(ip -> "; the public IP is " + ip)
                                    .orElse(""));
        }
        if (!metadata.available()) {
            return new Verdict(
                    Severity.WARNING,
                    what + " could not be compared with the public IP (" + Checks.noMetadata(metadata) + ")");
        }
        if (metadata.publicIp().isEmpty()) {
            return new Verdict(
                    Severity.WARNING,
                    what + " is a public address, but this instance has none of its"
                            + " own: make sure it forwards to this instance");
        }
        return new Verdict(
                Severity.FAILURE,
                what + " is not this instance's public IP "
                        + metadata.publicIp().get() + " (a stale address?)");
    }

    // --- forwarding-in-effect ----------------------------------------------------------------------

    static CheckResult forwardingInEffect(CondorConfigView view, CheckInput input) {
        MetadataFacts metadata = input.metadata();
        if (!metadata.available()) {
            return Check.FORWARDING_IN_EFFECT.notChecked(Checks.noMetadata(metadata), Checks.NO_METADATA_REMEDY);
        }
        String fragment = input.fragmentPath();
        boolean fragmentExists = input.files().stat(fragment).exists();
        Optional<Knob> knob = view.knob("TCP_FORWARDING_HOST");
        Optional<Knob> defined = knob.filter(Knob::isDefined);
        String sync = "run `seed-agent once` (or start seed-agent.service) to write " + Show.value(fragment)
                + ", then `systemctl reload condor`";
        if (metadata.publicIp().isEmpty()) {
            return withoutPublicIp(defined, metadata);
        }
        Ipv4Address publicIp = metadata.publicIp().get();
        if (defined.isEmpty()) {
            String what = knob.map(k -> "TCP_FORWARDING_HOST is empty (set at " + Show.where(k) + ")")
                    .orElse("TCP_FORWARDING_HOST is not set");
            String why = fragmentExists
                    ? " although seed-agent's fragment " + Show.value(fragment) + " exists: does HTCondor read its"
                            + " directory (LOCAL_CONFIG_DIR)?"
                    : "; seed-agent's fragment " + Show.value(fragment) + " does not exist";
            return Check.FORWARDING_IN_EFFECT.failure(
                    what + ": HTCondor advertises the private address, which"
                            + " annex nodes outside the VPC cannot reach" + why,
                    sync);
        }
        Knob forwarding = defined.get();
        String value = forwarding.value().strip();
        boolean matches = value.equals(publicIp.text()) || resolvesTo(input, value, publicIp);
        boolean fromFragment = forwarding.location().source().equals(fragment);
        if (matches) {
            if (fromFragment) {
                return Check.FORWARDING_IN_EFFECT.ok(
                        "TCP_FORWARDING_HOST = " + publicIp + ", the public IP, from seed-agent's fragment");
            }
            if (forwarding.raw().toUpperCase(Locale.ROOT).contains("$(EC2PUBLICIP")) {
                return Check.FORWARDING_IN_EFFECT.ok("TCP_FORWARDING_HOST = " + publicIp + ", the public IP (set at "
                        + Show.where(forwarding) + " as "
                        + Show.value(forwarding.raw().strip())
                        + ", which seed-agent's EC2PublicIP keeps current)");
            }
            return Check.FORWARDING_IN_EFFECT.warning(
                    "TCP_FORWARDING_HOST = " + Show.value(value)
                            + " is the public IP today, but it is set literally at " + Show.where(forwarding)
                            + overrides(forwarding, fragment, fragmentExists)
                            + ": it goes stale when the address changes",
                    "remove TCP_FORWARDING_HOST from " + Show.fileAndLine(forwarding)
                            + " so that seed-agent's fragment takes effect, then `systemctl reload condor`");
        }
        String consequence =
                ": daemons advertise an address that does not lead here, so annex nodes cannot reach" + " the pool";
        if (fromFragment) {
            return Check.FORWARDING_IN_EFFECT.failure(
                    "TCP_FORWARDING_HOST is " + Show.value(value) + " (from"
                            + " seed-agent's fragment, which is out of date), not this instance's public IP " + publicIp
                            + consequence,
                    sync);
        }
        return Check.FORWARDING_IN_EFFECT.failure(
                "TCP_FORWARDING_HOST is " + Show.value(value) + " (set at "
                        + Show.where(forwarding) + overrides(forwarding, fragment, fragmentExists)
                        + "), not this instance's"
                        + " public IP " + publicIp + consequence,
                forwarding.location().isFile()
                        ? "remove TCP_FORWARDING_HOST from " + Show.fileAndLine(forwarding)
                                + " (or set it to $(EC2PublicIP)), then `systemctl reload condor`"
                        : sync);
    }

    private static CheckResult withoutPublicIp(Optional<Knob> defined, MetadataFacts metadata) {
        if (defined.isEmpty()) {
            return Check.FORWARDING_IN_EFFECT.ok("this instance has no public IPv4 and TCP_FORWARDING_HOST is not"
                    + " set: HTCondor advertises its private address (see public-address)");
        }
        String value = defined.get().value().strip();
        Ipv4Address local = metadata.instance().localIpv4();
        if (local != null && value.equals(local.text())) {
            return Check.FORWARDING_IN_EFFECT.ok("this instance has no public IPv4; TCP_FORWARDING_HOST = " + local
                    + ", its private address (see public-address)");
        }
        return Check.FORWARDING_IN_EFFECT.warning(
                "TCP_FORWARDING_HOST = " + Show.value(value) + " (set at "
                        + Show.where(defined.get()) + "), but this instance has no public IPv4"
                        + (local == null ? "" : " and its private address is " + local),
                "remove TCP_FORWARDING_HOST from " + Show.fileAndLine(defined.get())
                        + " unless it names a NAT or load balancer that forwards to this instance");
    }

    /** Why the winning definition is not the fragment's, as a clause to follow its location. */
    private static String overrides(Knob forwarding, String fragment, boolean fragmentExists) {
        if (!fragmentExists) {
            return "; seed-agent's fragment " + Show.value(fragment) + " does not exist";
        }
        String source = forwarding.location().source();
        int slash = fragment.lastIndexOf('/');
        boolean laterInSameDirectory = source.startsWith(fragment.substring(0, slash + 1))
                && source.indexOf('/', slash + 1) < 0
                && source.compareTo(fragment) > 0;
        if (laterInSameDirectory) {
            return ", which is read after seed-agent's fragment " + Show.value(fragment) + " and overrides it";
        }
        return "; seed-agent's fragment " + Show.value(fragment) + " exists but does not take effect: is its"
                + " directory in LOCAL_CONFIG_DIR?";
    }

    private static boolean resolvesTo(CheckInput input, String host, Ipv4Address address) {
        Ipv4Address embedded = Addresses.ec2PublicName(host);
        if (embedded != null) {
            return embedded.equals(address);
        }
        NetworkFacts.Resolution r = input.network().resolutions().get(host);
        return r != null && r.addresses().contains(address.text());
    }

    // --- self-reachability -------------------------------------------------------------------------

    static CheckResult selfReachability(CondorConfigView view, CheckInput input) {
        MetadataFacts metadata = input.metadata();
        if (!metadata.available()) {
            return Check.SELF_REACHABILITY.notChecked(Checks.noMetadata(metadata), Checks.NO_METADATA_REMEDY);
        }
        if (metadata.publicIp().isEmpty()) {
            return Check.SELF_REACHABILITY.info("not applicable: this instance has no public IPv4", null);
        }
        Ipv4Address ip = metadata.publicIp().get();
        int port = Checks.selfReachabilityPort(view);
        NetworkFacts.SelfReachability reach = input.network().selfReachability();
        return switch (reach.outcome()) {
            case NOT_RUNNING ->
                Check.SELF_REACHABILITY.info(
                        "not checked: HTCondor is not running (no condor_master" + " process)",
                        "run seed-agent check again once HTCondor runs");
            case NOT_ATTEMPTED ->
                Check.SELF_REACHABILITY.notChecked("no connection was attempted", "run seed-agent check again");
            case REACHED ->
                Check.SELF_REACHABILITY.ok("connected to this instance's own public IP " + ip + " on port " + port
                        + " in " + reach.millis() + " ms");
            case FAILED ->
                Check.SELF_REACHABILITY.failure(
                        "cannot connect to this instance's own public IP " + ip
                                + " on port " + port + " (" + (reach.detail() == null ? "failed" : reach.detail())
                                + "): with"
                                + " TCP_FORWARDING_HOST = " + ip
                                + " HTCondor's daemons reach their master through that address,"
                                + " so after a restart they crash-loop (\"FAILED TO SEND INITIAL KEEP ALIVE TO OUR PARENT\"),"
                                + " and condor_reconfig, condor_restart and condor_off fail with \"Can't connect to local"
                                + " master\"",
                        "allow inbound TCP port " + port + " from the seed's own public IP " + ip
                                + "/32 in the instance's"
                                + " security group, e.g. `aws ec2 authorize-security-group-ingress --group-id <sg-id>"
                                + " --protocol tcp --port " + port + " --cidr " + ip + "/32`");
        };
    }

    // --- legacy-boot-config ------------------------------------------------------------------------

    static CheckResult legacyBootConfig(CheckInput input) {
        String legacy = Checks.legacyFile(input.fragmentPath());
        FileStat stat = input.files().stat(legacy);
        if (stat.problem() != null) {
            return Check.LEGACY_BOOT_CONFIG.notChecked(
                    "cannot examine " + Show.value(legacy) + ": " + stat.problem(),
                    "check that seed-agent check runs as root");
        }
        if (!stat.exists()) {
            return Check.LEGACY_BOOT_CONFIG.ok(
                    "no file from the old condor-annex-ec2 boot script (" + Show.value(legacy) + ")");
        }
        return Check.LEGACY_BOOT_CONFIG.warning(
                Show.value(legacy) + " exists: the old condor-annex-ec2 boot script"
                        + " appends EC2PublicIP and EC2InstanceID to it on every boot, from an unchecked metadata fetch",
                "disable the old boot script (e.g. `systemctl disable condor-annex-ec2`) and delete "
                        + Show.value(legacy) + ": seed-agent's fragment defines EC2PublicIP and EC2InstanceID");
    }
}
