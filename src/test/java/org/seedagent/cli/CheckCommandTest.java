package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.checks.CheckEnvironment;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.FakeMetadata;
import org.seedagent.checks.Severity;
import org.seedagent.condor.FakeCondor;
import org.seedagent.fragment.Fragment;
import org.seedagent.guard.MetadataAccess;
import org.seedagent.guard.MetadataAccessProbe;
import org.seedagent.metadata.Ipv4Address;

/**
 * {@code seed-agent check} end to end: the fake condor_config_val as a real process on configuration
 * fixtures, a fake metadata source, and a temporary directory standing for {@code /}.
 */
class CheckCommandTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path tmp;

    private Path root;
    private FakeMetadata metadata;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> connections = new ArrayList<>();
    private CheckEnvironment.Connector connector = (address, port, timeout) -> connections.add(address + ":" + port);
    private String condorConfigVal;
    private org.seedagent.testing.FakeSystemctl systemctl = org.seedagent.testing.FakeSystemctl.seed();
    /** The unprivileged connection to the metadata service: rejected, as on a guarded seed. */
    private final List<URI> probed = new ArrayList<>();

    private MetadataAccess.Outcome probeOutcome = MetadataAccess.Outcome.REFUSED;
    private final MetadataAccessProbe probe = endpoint -> {
        probed.add(endpoint);
        return new MetadataAccess(
                probeOutcome,
                endpoint.getHost() + ":80",
                "a fake probe",
                1,
                probeOutcome == MetadataAccess.Outcome.REFUSED ? "Connection refused" : null,
                null);
    };

    @BeforeEach
    void setUp() {
        root = tmp.resolve("root");
        metadata = FakeMetadata.seed();
        condorConfigVal = FakeCondor.install(tmp.resolve("bin"), root).toString();
        org.seedagent.checks.SysTree.ebsRoot(root);
    }

    // --- configuration fixtures ------------------------------------------------------------------

    @Test
    void seedRecipe_passes_exit0_reportGroupedByArea() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");

        int exit = run();

        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(passwordOk() ? ExitCode.OK : ExitCode.FAILURE, exit, text);
        List<String> headings =
                text.lines().filter(l -> !l.startsWith(" ") && !l.isEmpty()).toList();
        assertEquals(
                List.of(
                        "HTCondor configuration",
                        "Central manager",
                        "Submit node",
                        "Networking",
                        "Security",
                        "Instance",
                        "Credentials",
                        "Automatic restart",
                        passwordOk()
                                ? "28 checks: 24 ok, 4 info, 0 warnings, 0 failures"
                                : "28 checks: 23 ok, 4 info, 0 warnings, 1 failure"),
                headings);
        assertTrue(text.contains("  ok      root-volume            the root volume nvme0n1 is an EBS volume"), text);
        assertTrue(
                text.contains("  ok      forwarding-in-effect   TCP_FORWARDING_HOST = 203.0.113.10, the public IP,"
                        + " from seed-agent's fragment"),
                text);
        assertTrue(text.contains("  info    self-reachability      not checked: HTCondor is not running"), text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hpcAnnexSeed_beforeFirstStart_noFailure_keysNotMadeYetAreInfo() throws Exception {
        seed("hpc-annex", "/etc/condor/not-the-pool-key");

        int exit = run("--format", "json");

        Map<String, CheckResult> results = json();
        assertEquals(ExitCode.OK, exit, out.toString(StandardCharsets.UTF_8));
        assertEquals(Severity.OK, results.get("annex-collector").severity());
        assertTrue(
                results.get("annex-collector")
                        .finding()
                        .startsWith("ANNEX_COLLECTOR = 203.0.113.10:9618?sock="
                                + "ap_collector (from /etc/condor/condor_config, line 12 (use FEATURE:HPC_ANNEX+24))"),
                results.get("annex-collector").finding());
        assertEquals(Severity.INFO, results.get("annex-signing-key").severity());
        assertTrue(
                results.get("annex-signing-key")
                        .finding()
                        .startsWith("/etc/condor/passwords.d/AP (the AP signing" + " key) does not exist yet"),
                results.get("annex-signing-key").finding());
        assertEquals(Severity.INFO, results.get("password-file").severity());
        assertEquals(Severity.INFO, results.get("ap-collector").severity());
        assertTrue(
                results.get("htcondor-release")
                        .finding()
                        .startsWith("HTCondor 24.0.23; annex nodes come from" + " `htcondor annex`"),
                results.get("htcondor-release").finding());
    }

    @Test
    void guardAllowsAnIdInAUsersSubordinateRange_imdsGuardFails() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        write("etc/subuid", "bob:100000:65536\n");
        extraConfig = "imds-guard.allow-users = 100500\n";

        run("--format", "json");

        CheckResult guard = json().get("imds-guard");
        assertEquals(Severity.FAILURE, guard.severity());
        assertTrue(
                guard.finding()
                        .contains(
                                "the allow lists name ids other users can take in a user namespace (the"
                                        + " guard refuses them at apply): user 100500 (in bob's subordinate uid range 100000-165535"),
                guard.finding());
        assertTrue(guard.remedy().contains("/etc/subuid"), guard.remedy());
    }

    @Test
    void imdsV1Answers_imdsGuardWarns_withTheFixForThisInstance() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(
                config,
                "condor.config-val = " + condorConfigVal + "\ncondor.timeout = 20s\n"
                        + "fragment.path = /etc/condor/config.d/50-seed-agent.conf\n");
        java.util.List<java.net.URI> asked = new java.util.ArrayList<>();

        new CheckCommand(environment(), probe, endpoint -> {
                    asked.add(endpoint);
                    return new org.seedagent.guard.ImdsV1Probe.Result(
                            org.seedagent.guard.ImdsV1Probe.Outcome.ANSWERS, null);
                })
                .run(context(config), List.of("--format", "json"));

        CheckResult guard = json().get("imds-guard");
        assertEquals(1, asked.size());
        assertTrue(guard.severity().compareTo(Severity.WARNING) >= 0, guard.toString());
        assertTrue(
                guard.finding().contains("IMDSv1 answers a GET without a token (http-tokens optional)"),
                guard.finding());
        assertTrue(
                guard.remedy()
                        .contains("`aws ec2 modify-instance-metadata-options --instance-id i-0123456789abcdef0"
                                + " --http-tokens required --http-put-response-hop-limit 1`"),
                guard.remedy());
    }

    @Test
    void seedRecipe_strict_infoDoesNotFail() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");

        assertEquals(passwordOk() ? ExitCode.OK : ExitCode.FAILURE, run("--strict"));
    }

    @Test
    void modernIdtokensSeed_passes_json() throws Exception {
        seed("modern", "/var/lib/condor/passwords.d/POOL");

        int exit = run("--format", "json");

        Map<String, CheckResult> results = json();
        assertEquals(passwordOk() ? ExitCode.OK : ExitCode.FAILURE, exit);
        assertEquals(org.seedagent.checks.Check.values().length, results.size());
        assertTrue(results.get("central-manager").finding().contains("MASTER COLLECTOR NEGOTIATOR SCHEDD"));
        assertEquals(Severity.OK, results.get("daemon-authentication").severity());
        assertTrue(
                results.get("daemon-authentication")
                        .finding()
                        .contains("SEC_DEFAULT_AUTHENTICATION = required"
                                + " (from /etc/condor/condor_config, line 6 (use SECURITY:STRONG+2))"),
                results.get("daemon-authentication").finding());
        assertTrue(
                results.get("open-access")
                        .finding()
                        .contains(
                                "ALLOW_WRITE admits everyone (from"
                                        + " /etc/condor/condor_config, line 6 (use SECURITY:recommended_v9_0+13)), which is safe"),
                results.get("open-access").finding());
        assertEquals(Severity.OK, results.get("pool-identity").severity());
        assertTrue(results.get("password-file").finding().startsWith("/var/lib/condor/passwords.d/POOL"));
        assertEquals(Severity.OK, results.get("collector-address").severity());
    }

    @Test
    void executeOnlyNode_isNoSeed_exit1() throws Exception {
        seed("execute-only", "/var/lib/condor/passwords.d/POOL");

        int exit = run("--format=json");

        Map<String, CheckResult> results = json();
        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(Severity.FAILURE, results.get("central-manager").severity());
        assertTrue(
                results.get("central-manager")
                        .finding()
                        .startsWith(
                                "DAEMON_LIST = MASTER STARTD (from"
                                        + " /etc/condor/condor_config, line 6 (use ROLE:Execute+0)) lacks COLLECTOR and NEGOTIATOR"),
                results.get("central-manager").finding());
        assertEquals(Severity.FAILURE, results.get("submit-node").severity());
        assertEquals(Severity.FAILURE, results.get("collector-address").severity());
        assertTrue(results.get("collector-address").finding().contains("10.0.0.20 is a private address"));
    }

    @Test
    void allowWriteStarWithoutAuthentication_fails() throws Exception {
        seed("open-write", "/etc/condor/condor_pool_password");

        int exit = run("--format", "json");

        Map<String, CheckResult> results = json();
        assertEquals(ExitCode.FAILURE, exit);
        CheckResult open = results.get("open-access");
        assertEquals(Severity.FAILURE, open.severity());
        assertTrue(
                open.finding()
                        .startsWith("ALLOW_WRITE = * (from /etc/condor/condor_config, line 9) admits everyone"
                                + " while authentication is not required"),
                open.finding());
        assertEquals(Severity.FAILURE, results.get("daemon-authentication").severity());
    }

    @Test
    void passwordFileMode0644_fails() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        Files.setPosixFilePermissions(
                root.resolve("etc/condor/condor_pool_password"), PosixFilePermissions.fromString("rw-r--r--"));

        int exit = run("--format", "json");

        CheckResult password = json().get("password-file");
        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(Severity.FAILURE, password.severity());
        assertTrue(password.finding().contains("its mode 0644 gives group or others access"), password.finding());
        assertTrue(password.remedy().contains("chmod 600 /etc/condor/condor_pool_password"));
    }

    @Test
    void laterFileOverridesForwardingHost_failsNamingFileAndLine() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        FakeCondor.copyTree("overrides", root);

        int exit = run("--format", "json");

        CheckResult forwarding = json().get("forwarding-in-effect");
        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(Severity.FAILURE, forwarding.severity());
        assertTrue(
                forwarding
                        .finding()
                        .startsWith("TCP_FORWARDING_HOST is 198.51.100.7 (set at"
                                + " /etc/condor/config.d/99-local, line 2, which is read after seed-agent's fragment"
                                + " /etc/condor/config.d/50-seed-agent.conf and overrides it)"),
                forwarding.finding());
        assertTrue(
                forwarding
                        .remedy()
                        .startsWith("remove TCP_FORWARDING_HOST from /etc/condor/config.d/99-local" + " (line 2)"),
                forwarding.remedy());
    }

    @Test
    void brokenConfiguration_isOneFailureNamingFileAndLine() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        FakeCondor.copyTree("broken", root);

        int exit = run("--format", "json");

        Map<String, CheckResult> results = json();
        assertEquals(ExitCode.FAILURE, exit);
        CheckResult condor = results.get("condor-config");
        assertEquals(
                "cannot evaluate HTCondor configuration: configuration error at line 1 of"
                        + " /etc/condor/config.d/60-broken (HTCondor: Configuration Error Line 1 while reading config source"
                        + " /etc/condor/config.d/60-broken)",
                condor.finding());
        assertTrue(condor.remedy().startsWith("fix line 1 of /etc/condor/config.d/60-broken"));
        assertEquals(
                List.of(
                        "condor-config",
                        "legacy-boot-config",
                        "public-address",
                        "elastic-ip",
                        "seed-lifecycle",
                        "scheduled-events",
                        "credentials",
                        "imds-guard",
                        "credential-files",
                        "services-enabled",
                        "condor-restart",
                        "root-volume",
                        "instance-store"),
                results.values().stream()
                        .filter(r -> !r.finding().startsWith("not checked"))
                        .map(CheckResult::id)
                        .toList());
        assertEquals(
                1,
                results.values().stream()
                        .filter(r -> r.severity() == Severity.FAILURE)
                        .count());
    }

    @Test
    void missingCondorConfigVal_isAFailureNotACrash() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        condorConfigVal = tmp.resolve("nowhere/condor_config_val").toString();

        int exit = run();

        assertEquals(ExitCode.FAILURE, exit);
        assertTrue(out.toString(StandardCharsets.UTF_8)
                .contains("FAILURE condor-config          cannot evaluate HTCondor" + " configuration: cannot run "
                        + condorConfigVal + ": No such file or directory"));
    }

    @Test
    void metadataUnavailable_isReportedNotThrown() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        metadata = FakeMetadata.failing();

        int exit = run("--format", "json");

        Map<String, CheckResult> results = json();
        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(
                "cannot read instance metadata: metadata service did not answer within 1s (connection refused);"
                        + " seed-agent cannot keep TCP_FORWARDING_HOST current",
                results.get("public-address").finding());
        assertTrue(results.get("forwarding-in-effect")
                .finding()
                .startsWith("not checked: cannot read instance" + " metadata"));
        assertTrue(metadata.closed, "the metadata source is closed");
    }

    @Test
    void spotSeed_warns_exit0_strictExit1() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        assumePasswordOk();
        metadata.with("instance-life-cycle", "spot");

        assertEquals(ExitCode.OK, run());
        assertTrue(out.toString(StandardCharsets.UTF_8)
                .contains("WARNING seed-lifecycle         this is a spot" + " instance"));
        assertEquals(ExitCode.FAILURE, run("--strict"));
    }

    @Test
    void credentialFiles_warnWithPathsOnly() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        assumePasswordOk();
        Files.writeString(
                root.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/bash\n" + "ec2-user:x:1000:1000::/home/ec2-user:/bin/bash\n");
        write(
                "home/ec2-user/.aws/credentials",
                "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n" + "aws_secret_access_key = " + SECRET + "\n");

        assertEquals(ExitCode.OK, run());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.contains("WARNING credential-files       AWS credentials on this instance will be baked into"
                        + " any image made from it: /home/ec2-user/.aws/credentials (aws_access_key_id,"
                        + " aws_secret_access_key)"),
                text);
        assertFalse(text.contains(SECRET) || text.contains("AKIAIOSFODNN7EXAMPLE"), "a secret leaked");
        assertEquals(ExitCode.FAILURE, run("--strict"));
    }

    @Test
    void condorRunning_ownPublicIpUnreachable_fails() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        write("proc/1234/comm", "condor_master\n");
        connector = (address, port, timeout) -> {
            connections.add(address + ":" + port);
            throw new ConnectException("Connection timed out");
        };

        int exit = run("--format", "json");

        CheckResult reach = json().get("self-reachability");
        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(List.of("203.0.113.10:9618"), connections);
        assertEquals(Severity.FAILURE, reach.severity());
        assertTrue(reach.finding().contains("crash-loop"), reach.finding());
        assertTrue(reach.remedy().contains("--port 9618 --cidr 203.0.113.10/32"), reach.remedy());
    }

    @Test
    void condorRunning_ownPublicIpReachable_ok() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        write("proc/1234/comm", "condor_master\n");

        run("--format", "json");

        assertEquals(Severity.OK, json().get("self-reachability").severity());
        assertEquals(List.of("203.0.113.10:9618"), connections);
    }

    @Test
    void legacyBootScriptFile_warns() throws Exception {
        seed("seed-recipe", "/etc/condor/condor_pool_password");
        write("etc/condor/config.d/49ec2-instance.config", "EC2PublicIP = 198.51.100.7\nEC2PublicIP = 203.0.113.10\n");

        run("--format", "json");

        assertEquals(Severity.WARNING, json().get("legacy-boot-config").severity());
    }

    // --- command line ----------------------------------------------------------------------------

    @Test
    void badArguments_areUsageErrors() {
        assertThrows(UsageException.class, () -> run("--format", "yaml"));
        assertThrows(UsageException.class, () -> run("--format"));
        assertThrows(UsageException.class, () -> run("--bogus"));
        assertThrows(UsageException.class, () -> run("extra"));
    }

    @Test
    void help_printsUsage() throws Exception {
        assertEquals(ExitCode.OK, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: seed-agent check"));
    }

    @Test
    void invalidAgentConfiguration_exit78() throws Exception {
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(config, "condor.timeout = forever\n");

        int exit = new CheckCommand(environment(), probe).run(context(config), List.of());

        assertEquals(ExitCode.CONFIG, exit);
        assertTrue(
                err.toString(StandardCharsets.UTF_8)
                        .startsWith(
                                "seed-agent check: " + config + ": invalid value \"forever\" for key condor.timeout"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Issue 22: remedies that can be pasted, through the command: the configuration file named with --config (not
     * the default one) and HTCondor's unit as condor.unit names it.
     */
    @Test
    void remedies_nameTheConfigFileGiven_andTheConfiguredUnit() throws Exception {
        String missing = tmp.resolve("nowhere/condor_config_val").toString();
        condorConfigVal = missing;
        extraConfig = "condor.unit = condor-seed.service\n";
        // The seed's own unit, not enabled: services-enabled must name it (with condor.service, enabled, it passed).
        systemctl = org.seedagent.testing.FakeSystemctl.seed().unit("condor-seed.service", "disabled", "on-failure");

        run("--format", "json");

        Map<String, CheckResult> results = json();
        assertEquals(
                "systemctl enable condor-seed.service seed-agent.service",
                results.get("services-enabled").remedy());
        String condor = results.get("condor-config").remedy();
        assertTrue(
                condor.contains("(" + tmp.resolve("seed-agent.conf") + ")") && !condor.contains("/etc/seed-agent"),
                condor);
        for (CheckResult r : results.values()) {
            assertTrue(
                    r.remedy() == null
                            || !r.remedy()
                                    .matches(
                                            "(?s).*systemctl (reload|restart|enable) condor(\\.service)?\\b(?![-.@\\w]).*"),
                    r.toString());
        }
    }

    @Test
    void publicNoArgConstructor_namesTheCommand() {
        CheckCommand command = new CheckCommand();
        assertEquals("check", command.name());
        assertTrue(command.usage().contains("--strict"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** A seed from {@code scenario} with seed-agent's fragment and a root-only password file at {@code password}. */
    private void seed(String scenario, String password) throws IOException {
        FakeCondor.copyTree(scenario, root);
        Files.writeString(
                root.resolve("etc/condor/config.d/50-seed-agent.conf"),
                new Fragment(Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0")
                        .text());
        Path file = write(password.substring(1), "not a real pool password\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** More lines for the agent's configuration file. */
    private String extraConfig = "";

    private int run(String... arguments) throws Exception {
        out.reset();
        err.reset();
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(
                config,
                "condor.config-val = " + condorConfigVal + "\n"
                        + "condor.timeout = 20s\n"
                        + "fragment.path = /etc/condor/config.d/50-seed-agent.conf\n" + extraConfig);
        return new CheckCommand(environment(), probe).run(context(config), List.of(arguments));
    }

    private CheckEnvironment environment() {
        return new CheckEnvironment(
                root,
                host -> {
                    throw new java.net.UnknownHostException(host);
                },
                (address, port, timeout) -> connector.connect(address, port, timeout),
                Duration.ofMillis(500));
    }

    private CliContext context(Path config) {
        return new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC),
                systemctl,
                settings -> metadata,
                config,
                true);
    }

    private Map<String, CheckResult> json() throws IOException {
        return CheckReport.parse(out.toString(StandardCharsets.UTF_8)).results().stream()
                .collect(Collectors.toMap(CheckResult::id, r -> r, (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private Path write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    /** The password file is root's only when the tests run as root (as in CI). */
    private boolean passwordOk() throws IOException {
        return (Integer) Files.getAttribute(tmp, "unix:uid") == 0;
    }

    private void assumePasswordOk() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(passwordOk(), "needs root to own the password file");
    }
}
