package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.checks.CheckReport;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.condor.FakeCondor;
import org.seedagent.fragment.Fragment;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.realcondor.RealHtcondor;
import org.seedagent.testing.Dist;
import org.seedagent.testing.Trees;

/**
 * {@code seed-agent check --format json}, the real program through its launcher, against the REAL
 * condor_config_val (HTCondor 24.0.23 and 25.0.13, one per failsafe execution, {@link RealHtcondor}) on real
 * configurations: the original seed
 * recipe, a modern metaknob seed ({@code use ROLE: CentralManager}, {@code use ROLE: Submit},
 * {@code use security: recommended}), an open door, an execute-only node, a pool password file readable by
 * others, an override of TCP_FORWARDING_HOST in a later file, a broken file. It mirrors what
 * CheckCommandTest asserts against the fake.
 *
 * <p>The configuration trees (the fixtures under src/test/resources/condor/) are copied under a temporary
 * directory with {@code /etc/condor} and {@code /var/lib/condor} rewritten to that directory, because the
 * real tool and the checks read real paths. The program runs inside a network namespace of its own
 * ({@code unshare -n}: only a loopback interface), where the IMDSv2 emulator ({@code seed-agent emulator})
 * answers on 127.0.0.1: the self-reachability probe, which connects to the public address when any
 * condor_master runs on this machine (another test's pool may), can then reach nothing outside. That check,
 * the credential checks (which read this machine's home directories) and the automatic-restart checks (this
 * machine's systemd and disks) depend on the host, so they are not asserted, only that the exit status
 * agrees with the report.
 */
class CheckRealHtcondorIT {
    private static final String PUBLIC_IP = "203.0.113.10";
    /** Checks whose outcome depends on this machine (running processes, home directories), not on the configuration. */
    private static final List<String> HOST_DEPENDENT = List.of(
            "self-reachability",
            "credentials",
            "credential-files",
            "imds-guard",
            "services-enabled",
            "condor-restart",
            "root-volume",
            "instance-store",
            "ap-collector");
    /** The areas of HTCondor's own settings: on the modern recipe none of their checks may fail. */
    private static final List<String> HTCONDOR_AREAS =
            List.of("htcondor", "central-manager", "submit-node", "networking", "security");

    private static IsolatedEmulator emulator;

    @TempDir
    Path tmp;

    private Path root;
    private Path condorConfigVal;

    /** The emulator in a network namespace of its own; every check joins that namespace. */
    @BeforeAll
    static void startEmulator() throws Exception {
        RealHtcondor.home();
        emulator = IsolatedEmulator.start(Dist.launcher(), PUBLIC_IP);
    }

    @AfterAll
    static void stopEmulator() throws InterruptedException {
        if (emulator != null) {
            emulator.close();
        }
    }

    @BeforeEach
    void setUp() {
        root = tmp.resolve("root");
    }

    // --- scenarios -------------------------------------------------------------------------------

    @Test
    void seedRecipe_configurationChecksPass() throws Exception {
        seed("/etc/condor/condor_pool_password", "seed-recipe");

        Report report = check();

        report.assertSeverities(Map.of(
                "condor-config",
                Severity.OK,
                "central-manager",
                Severity.OK,
                "submit-node",
                Severity.OK,
                "collector-address",
                Severity.OK,
                "forwarding-in-effect",
                Severity.OK,
                "legacy-boot-config",
                Severity.OK,
                "password-file",
                Severity.OK,
                "daemon-authentication",
                Severity.OK,
                "pool-identity",
                Severity.OK,
                "open-access",
                Severity.OK));
        report.assertFinding(
                "forwarding-in-effect",
                "TCP_FORWARDING_HOST = 203.0.113.10, the public IP, from" + " seed-agent's fragment");
        report.assertFindingStarts(
                "central-manager",
                "DAEMON_LIST runs COLLECTOR and NEGOTIATOR: MASTER COLLECTOR" + " SCHEDD STARTD NEGOTIATOR");
        report.assertFindingStarts(
                "collector-address",
                "COLLECTOR_HOST = 203.0.113.10:9618 (from " + file("condor_config")
                        + ", line 17): follows TCP_FORWARDING_HOST");
        report.assertFindingStarts(
                "daemon-authentication",
                "SEC_DAEMON_AUTHENTICATION = REQUIRED (from " + file("condor_config") + ", line 8)");
        report.assertFindingStarts(
                "password-file",
                root + "/etc/condor/condor_pool_password (SEC_PASSWORD_FILE) exists,"
                        + " is owned by root and has mode 0600");
        report.assertFindingStarts(
                "htcondor-release", "HTCondor " + RealHtcondor.version() + "; annex nodes come from ");
        // Release-dependent: condor_annex was withdrawn in 24.11, so on 25.0 the classic recipe has no annex tool.
        if (RealHtcondor.atLeast(24, 11)) {
            report.assertSeverities(Map.of("annex-collector", Severity.FAILURE));
            report.assertFindingStarts(
                    "annex-collector",
                    "HTCondor " + RealHtcondor.version() + " has no condor_annex"
                            + " (withdrawn in 24.11), and HPC_ANNEX is not enabled");
        } else {
            report.assertSeverities(Map.of(
                    "annex-collector",
                    Severity.OK,
                    "ap-collector",
                    Severity.OK,
                    "annex-signing-key",
                    Severity.OK,
                    "trust-domain",
                    Severity.OK));
            report.assertFinding(
                    "annex-collector",
                    "condor_annex gives annex nodes this seed's COLLECTOR_HOST, judged" + " by collector-address");
        }
    }

    // --- the seed of today: use FEATURE: HPC_ANNEX (both releases) ---------------------------------------

    @Test
    void hpcAnnexSeed_noFailureInHtcondorAreas_annexNodesGivenThePublicAddress() throws Exception {
        hpcAnnexSeed();

        Report report = check();

        report.assertNoFailureIn(HTCONDOR_AREAS);
        report.assertSeverities(Map.of(
                "htcondor-release",
                Severity.OK,
                "collector-address",
                Severity.OK,
                "annex-collector",
                Severity.OK,
                "forwarding-in-effect",
                Severity.OK,
                "annex-signing-key",
                Severity.OK,
                "password-file",
                Severity.OK,
                "trust-domain",
                Severity.OK,
                "central-manager",
                Severity.OK,
                "submit-node",
                Severity.OK));
        report.assertFinding(
                "htcondor-release",
                "HTCondor " + RealHtcondor.version() + "; annex nodes come from"
                        + " `htcondor annex` (use feature:HPC_ANNEX), HPC_ANNEX_ENABLED from " + file("condor_config")
                        + ", line 12 (use FEATURE:HPC_ANNEX+1)");
        report.assertFinding(
                "annex-collector",
                "ANNEX_COLLECTOR = 203.0.113.10:9618?sock=ap_collector (from "
                        + file("condor_config")
                        + ", line 12 (use FEATURE:HPC_ANNEX+24)): annex nodes are given 203.0.113.10"
                        + " (TCP_FORWARDING_HOST, this instance's public IP) on the shared port 9618, and AP_COLLECTOR runs");
        report.assertFindingStarts(
                "collector-address",
                "COLLECTOR_HOST = 10.0.0.5 (from HTCondor's built-in default):" + " the seed's own daemons use it");
        report.assertFinding(
                "annex-signing-key",
                root + "/etc/condor/passwords.d/AP (the AP signing key) is owned by" + " root with mode 0600");
        for (CheckResult r : report.results().values()) {
            assertTrue(
                    r.remedy() == null || !r.remedy().contains("COLLECTOR_HOST = $(TCP_FORWARDING_HOST)"),
                    "no remedy hairpins the seed's own traffic: " + r);
        }
    }

    @Test
    void hpcAnnexSeed_annexCollectorOverriddenToAPrivateAddress_failsNamingFileAndLine() throws Exception {
        hpcAnnexSeed();
        local("ANNEX_COLLECTOR = 10.0.0.5:9618?sock=ap_collector");

        Report report = check();

        report.assertSeverities(Map.of("annex-collector", Severity.FAILURE));
        report.assertFindingStarts(
                "annex-collector",
                "ANNEX_COLLECTOR = 10.0.0.5:9618?sock=ap_collector (from "
                        + file("config.d/60-local")
                        + ", line 1), what `htcondor annex` gives annex nodes: 10.0.0.5 is a private"
                        + " address, which annex nodes outside the VPC cannot reach; the public IP is 203.0.113.10");
    }

    @Test
    void hpcAnnexSeed_sharedPortOff_failsNamingFileAndLine() throws Exception {
        hpcAnnexSeed();
        local("USE_SHARED_PORT = false");

        Report report = check();

        report.assertSeverities(Map.of("annex-collector", Severity.FAILURE));
        assertTrue(
                report.finding("annex-collector")
                        .contains("USE_SHARED_PORT = false (from " + file("config.d/60-local")
                                + ", line 1): the AP collector then listens on a random port"),
                report.finding("annex-collector"));
    }

    @Test
    void hpcAnnexSeed_apCollectorNotInDaemonList_failsNamingFileAndLine() throws Exception {
        hpcAnnexSeed();
        local("DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD");

        Report report = check();

        report.assertSeverities(Map.of("annex-collector", Severity.FAILURE));
        assertTrue(
                report.finding("annex-collector")
                        .contains("DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD (from " + file("config.d/60-local")
                                + ", line 1) lacks AP_COLLECTOR: nothing answers at ANNEX_COLLECTOR"),
                report.finding("annex-collector"));
    }

    @Test
    void hpcAnnexSeed_signingKeyWorldReadable_fails() throws Exception {
        hpcAnnexSeed();
        Files.setPosixFilePermissions(
                root.resolve("etc/condor/passwords.d/AP"), PosixFilePermissions.fromString("rw-r--r--"));

        Report report = check();

        report.assertSeverities(Map.of("annex-signing-key", Severity.FAILURE));
        report.assertFindingStarts(
                "annex-signing-key",
                root + "/etc/condor/passwords.d/AP (the AP signing key): its mode" + " 0644 lets others read it");
    }

    @Test
    void hpcAnnexSeed_trustDomainFollowsThePublicAddress_failsNamingFileAndLine() throws Exception {
        hpcAnnexSeed();
        local("TRUST_DOMAIN = $(TCP_FORWARDING_HOST)");

        Report report = check();

        report.assertSeverities(Map.of("trust-domain", Severity.FAILURE));
        report.assertFindingStarts(
                "trust-domain",
                "TRUST_DOMAIN = 203.0.113.10 (from " + file("config.d/60-local")
                        + ", line 1) follows the public address");
    }

    /** The hpc-annex tree (with the fragment), the POOL and AP keys root-only, as after HTCondor's first start. */
    private void hpcAnnexSeed() throws IOException {
        seed("/etc/condor/passwords.d/POOL", "hpc-annex");
        Path ap = root.resolve("etc/condor/passwords.d/AP");
        Files.writeString(ap, "not a real signing key\n");
        Files.setPosixFilePermissions(ap, PosixFilePermissions.fromString("rw-------"));
    }

    /** {@code config.d/60-local} holding {@code line}. */
    private void local(String line) throws IOException {
        Files.writeString(root.resolve("etc/condor/config.d/60-local"), line + "\n");
    }

    @Test
    void modernSeed_useRoleAndSecurityRecommended_configurationChecksPass() throws Exception {
        seed("/var/lib/condor/passwords.d/POOL", "recommended");

        Report report = check();

        report.assertSeverities(Map.of(
                "condor-config",
                Severity.OK,
                "central-manager",
                Severity.OK,
                "submit-node",
                Severity.OK,
                "collector-address",
                Severity.OK,
                "forwarding-in-effect",
                Severity.OK,
                "password-file",
                Severity.OK,
                "daemon-authentication",
                Severity.OK,
                "pool-identity",
                Severity.OK,
                "open-access",
                Severity.OK));
        report.assertFindingStarts(
                "central-manager",
                "DAEMON_LIST runs COLLECTOR and NEGOTIATOR: MASTER COLLECTOR" + " NEGOTIATOR SCHEDD");
        report.assertFindingStarts(
                "daemon-authentication",
                "SEC_DEFAULT_AUTHENTICATION = required (from " + file("condor_config")
                        + ", line 8 (use SECURITY:STRONG+2))");
        report.assertFinding(
                "pool-identity",
                "ALLOW_DAEMON admits the pool identity (condor@* condor@password);"
                        + " ALLOW_ADVERTISE_STARTD falls back to it");
        report.assertFinding(
                "open-access",
                "ALLOW_WRITE admits everyone (from " + file("condor_config")
                        + ", line 8 (use SECURITY:recommended_v24_0+12)), which is safe because SEC_DEFAULT_AUTHENTICATION"
                        + " = required requires authentication");
        report.assertFindingStarts("password-file", root + "/var/lib/condor/passwords.d/POOL (SEC_PASSWORD_FILE)");
    }

    @Test
    void modernSeed_securityRecommendedV9_configurationChecksPass() throws Exception {
        seed("/var/lib/condor/passwords.d/POOL", "modern");

        Report report = check();

        report.assertSeverities(Map.of(
                "central-manager",
                Severity.OK,
                "daemon-authentication",
                Severity.OK,
                "pool-identity",
                Severity.OK,
                "open-access",
                Severity.OK,
                "collector-address",
                Severity.OK,
                "password-file",
                Severity.OK));
        report.assertFindingStarts(
                "open-access",
                "ALLOW_WRITE admits everyone (from " + file("condor_config")
                        + ", line 6 (use SECURITY:recommended_v9_0+13)), which is safe");
    }

    @Test
    void executeOnlyNode_isNoSeed_fails() throws Exception {
        seed("/var/lib/condor/passwords.d/POOL", "execute-only");

        Report report = check();

        assertEquals(ExitCode.FAILURE, report.exit());
        report.assertSeverities(Map.of(
                "central-manager",
                Severity.FAILURE,
                "submit-node",
                Severity.FAILURE,
                "collector-address",
                Severity.FAILURE));
        report.assertFindingStarts(
                "central-manager",
                "DAEMON_LIST = MASTER STARTD (from " + file("condor_config")
                        + ", line 6 (use ROLE:Execute+0)) lacks COLLECTOR and NEGOTIATOR");
        assertTrue(
                report.finding("collector-address").contains("10.0.0.20 is a private address"),
                report.finding("collector-address"));
    }

    @Test
    void allowWriteStarWithoutAuthentication_fails() throws Exception {
        seed("/etc/condor/condor_pool_password", "open-write");

        Report report = check();

        assertEquals(ExitCode.FAILURE, report.exit());
        report.assertSeverities(Map.of("open-access", Severity.FAILURE, "daemon-authentication", Severity.FAILURE));
        report.assertFindingStarts(
                "open-access",
                "ALLOW_WRITE = * (from " + file("condor_config")
                        + ", line 9) admits everyone while authentication is not required");
    }

    @Test
    void passwordFileReadableByOthers_fails() throws Exception {
        seed("/etc/condor/condor_pool_password", "seed-recipe");
        Path password = root.resolve("etc/condor/condor_pool_password");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));

        Report report = check();

        assertEquals(ExitCode.FAILURE, report.exit());
        report.assertSeverities(Map.of("password-file", Severity.FAILURE));
        assertTrue(
                report.finding("password-file").contains("its mode 0644 gives group or others access"),
                report.finding("password-file"));
        assertTrue(
                report.result("password-file").remedy().contains("chmod 600 " + password),
                report.result("password-file").remedy());
    }

    @Test
    void laterFileOverridesForwardingHost_failsNamingFileAndLine() throws Exception {
        seed("/etc/condor/condor_pool_password", "seed-recipe", "overrides");

        Report report = check();

        assertEquals(ExitCode.FAILURE, report.exit());
        report.assertSeverities(Map.of("forwarding-in-effect", Severity.FAILURE));
        report.assertFindingStarts(
                "forwarding-in-effect",
                "TCP_FORWARDING_HOST is 198.51.100.7 (set at "
                        + file("config.d/99-local") + ", line 2, which is read after seed-agent's fragment "
                        + file("config.d/50-seed-agent.conf") + " and overrides it)");
        assertTrue(
                report.result("forwarding-in-effect")
                        .remedy()
                        .startsWith("remove TCP_FORWARDING_HOST from " + file("config.d/99-local") + " (line 2)"),
                report.result("forwarding-in-effect").remedy());
    }

    @Test
    void brokenNeighbourFile_isOneFailureNamingFileAndLine() throws Exception {
        seed("/etc/condor/condor_pool_password", "seed-recipe", "broken");

        Report report = check();

        assertEquals(ExitCode.FAILURE, report.exit());
        assertEquals(
                "cannot evaluate HTCondor configuration: configuration error at line 1 of "
                        + file("config.d/60-broken")
                        + " (HTCondor: Configuration Error Line 1 while reading config source "
                        + file("config.d/60-broken") + ")",
                report.finding("condor-config"));
        assertTrue(
                report.result("condor-config").remedy().startsWith("fix line 1 of " + file("config.d/60-broken")),
                report.result("condor-config").remedy());
    }

    @Test
    void brokenTopLevelFile_isOneFailureNamingFileAndLine() throws Exception {
        seed("/etc/condor/condor_pool_password", "seed-recipe");
        Files.writeString(
                root.resolve("etc/condor/condor_config"), "this line has no equals sign\n", StandardOpenOption.APPEND);

        Report report = check();

        assertEquals(ExitCode.FAILURE, report.exit());
        assertEquals(
                "cannot evaluate HTCondor configuration: configuration error at line 20 of "
                        + file("condor_config")
                        + " (HTCondor: Configuration Error Line 20 while reading global config source "
                        + file("condor_config") + ")",
                report.finding("condor-config"));
        assertTrue(
                report.result("condor-config").remedy().startsWith("fix line 20 of " + file("condor_config")),
                report.result("condor-config").remedy());
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** {@code root/etc/condor/NAME}: where the real tool and the checks see a configuration file. */
    private String file(String name) {
        return root + "/etc/condor/" + name;
    }

    /**
     * A seed from the fixture trees {@code layers} (in order), with seed-agent's fragment, every path rewritten
     * under the temporary root, a root-only password file at {@code password} (as the tree names it), a wrapper
     * running the real condor_config_val on it, and the agent's configuration.
     */
    private void seed(String password, String... layers) throws IOException {
        for (String layer : layers) {
            Trees.copy(FakeCondor.resource("condor/" + layer), root);
        }
        Path fragment = root.resolve("etc/condor/config.d/50-seed-agent.conf");
        Files.createDirectories(fragment.getParent());
        Files.writeString(
                fragment,
                new Fragment(Ipv4Address.parse(PUBLIC_IP), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0").text());
        try (Stream<Path> files = Files.walk(root.resolve("etc/condor"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Files.writeString(
                        f,
                        text.replace("/etc/condor", root + "/etc/condor")
                                .replace("/var/lib/condor", root + "/var/lib/condor"),
                        StandardCharsets.UTF_8);
            }
        }
        Path secret = root.resolve(password.substring(1));
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "not a real pool password\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        condorConfigVal = tmp.resolve("bin/condor_config_val");
        Files.createDirectories(condorConfigVal.getParent());
        Files.writeString(
                condorConfigVal,
                "#!/bin/sh\nexec env -i PATH=/usr/bin:/bin CONDOR_CONFIG='" + root + "/etc/condor/condor_config' '"
                        + RealHtcondor.program("condor_config_val") + "' \"$@\"\n");
        Files.setPosixFilePermissions(condorConfigVal, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Report(int exit, Map<String, CheckResult> results, String json, String stderr) {
        CheckResult result(String id) {
            CheckResult result = results.get(id);
            if (result == null) {
                fail("no check " + id + " in " + json);
            }
            return result;
        }

        String finding(String id) {
            return result(id).finding();
        }

        void assertFinding(String id, String expected) {
            assertEquals(expected, finding(id), id);
        }

        void assertFindingStarts(String id, String prefix) {
            assertTrue(
                    finding(id).startsWith(prefix),
                    id + ": expected to start with\n  " + prefix + "\nbut was\n  " + finding(id));
        }

        void assertNoFailureIn(List<String> areas) {
            List<String> failing = results.values().stream()
                    .filter(r -> areas.contains(r.area().jsonName()) && !HOST_DEPENDENT.contains(r.id()))
                    .filter(r -> r.severity() == Severity.FAILURE)
                    .map(r -> r.id() + ": " + r.finding())
                    .toList();
            assertEquals(List.of(), failing, "failures in " + areas);
        }

        void assertSeverities(Map<String, Severity> expected) {
            Map<String, String> actual = new LinkedHashMap<>();
            expected.keySet()
                    .forEach(id -> actual.put(
                            id, result(id).severity() + ": " + result(id).finding()));
            Map<String, String> wanted = new LinkedHashMap<>();
            expected.forEach((id, severity) ->
                    wanted.put(id, severity + ": " + result(id).finding()));
            assertEquals(wanted, actual);
        }
    }

    /** {@code seed-agent --config C check --format json}, in the emulator's network namespace. */
    private Report check() throws Exception {
        Path conf = tmp.resolve("seed-agent.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "condor.config-val = " + condorConfigVal,
                        "condor.timeout = 60s",
                        "fragment.path = " + root + "/etc/condor/config.d/50-seed-agent.conf",
                        "metadata.endpoint = " + emulator.endpoint(),
                        "metadata.deadline = 30s",
                        ""));
        Path out = tmp.resolve("check.json");
        Path err = tmp.resolve("check.err");
        List<String> command = emulator.inside(
                List.of(Dist.launcher().toString(), "--config", conf.toString(), "check", "--format", "json"));
        long start = System.nanoTime();
        Process check = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!check.waitFor(180, TimeUnit.SECONDS)) {
                fail("seed-agent check did not finish within 180 s: " + Files.readString(err));
            }
        } finally {
            check.descendants().forEach(ProcessHandle::destroyForcibly);
            check.destroyForcibly();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String json = Files.readString(out);
        String stderr = Files.readString(err);
        Map<String, CheckResult> results;
        try {
            results = CheckReport.parse(json).results().stream()
                    .collect(Collectors.toMap(CheckResult::id, r -> r, (a, b) -> a, LinkedHashMap::new));
        } catch (RuntimeException | IOException e) {
            throw new AssertionError("not a JSON report (exit " + check.exitValue() + "): " + json + stderr, e);
        }
        assertEquals(org.seedagent.checks.Check.values().length, results.size(), json);
        assertEquals("", stderr, "standard error");
        boolean failed = results.values().stream().anyMatch(r -> r.severity() == Severity.FAILURE);
        assertEquals(failed ? ExitCode.FAILURE : ExitCode.OK, check.exitValue(), "exit status agrees with the report");
        System.out.println("check against the real condor_config_val: " + millis + " ms, exit " + check.exitValue()
                + ", "
                + results.values().stream()
                        .filter(r -> !HOST_DEPENDENT.contains(r.id()))
                        .filter(r -> r.severity() != Severity.OK)
                        .map(r -> r.id() + "=" + r.severity())
                        .toList());
        return new Report(check.exitValue(), results, json, stderr);
    }
}
