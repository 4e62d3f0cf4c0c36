package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataSource;

class FactsGathererTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path root;

    private final List<String> connections = new ArrayList<>();

    private FactsGatherer gatherer(CheckEnvironment.Connector connector) {
        CheckEnvironment.Resolver resolver = host -> switch (host) {
            case "seed.example.org" -> List.of("203.0.113.10");
            default -> throw new UnknownHostException(host);
        };
        return new FactsGatherer(new CheckEnvironment(root, resolver, connector, Duration.ofMillis(500)));
    }

    private FactsGatherer gatherer() {
        return gatherer((address, port, timeout) -> connections.add(address + ":" + port));
    }

    // --- files -------------------------------------------------------------------------------------

    @Test
    void files_findsAwsCredentialsOfRootAndUsers_namesKeysNeverValues() throws Exception {
        write("etc/passwd", """
                root:x:0:0:root:/root:/bin/bash
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                ec2-user:x:1000:1000:EC2 Default User:/home/ec2-user:/bin/bash
                alice:x:1001:1001::/home/alice:/bin/bash
                ghost:x:1002:1002::/home/ghost:/bin/bash
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        write(
                "root/.aws/credentials",
                "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n" + "aws_secret_access_key=" + SECRET + "\n");
        write("home/ec2-user/.aws/config", "[profile x]\nregion = us-east-1\n  AWS_SESSION_TOKEN = abc\n");
        write("home/alice/.aws/config", "[default]\nregion = eu-west-1\noutput = json\n");
        Files.createDirectories(root.resolve("usr/sbin"));
        write("etc/condor/annex/secret", SECRET + "\n");
        CondorConfigView view = Seed.healthy()
                .knob("ANNEX_DEFAULT_ACCESS_KEY_FILE", "/etc/condor/annex/access")
                .knob("ANNEX_DEFAULT_SECRET_KEY_FILE", "/etc/condor/annex/secret")
                .view();

        FileFacts facts = gatherer().files(view, Seed.FRAGMENT);

        assertEquals(
                List.of(
                        new FileFacts.CredentialFile(
                                "/root/.aws/credentials", "aws_access_key_id, aws_secret_access_key"),
                        new FileFacts.CredentialFile("/home/ec2-user/.aws/config", "aws_session_token"),
                        new FileFacts.CredentialFile(
                                "/etc/condor/annex/secret", "annex key file, ANNEX_DEFAULT_SECRET_KEY_FILE")),
                facts.credentialFiles());
        assertEquals(4, facts.homesSearched(), "root, /usr/sbin, ec2-user and alice; not ghost or /nonexistent");
        String report = new CheckReport(Checks.evaluate(new CheckInput(
                        new org.seedagent.condor.CondorEvaluation.Evaluated(view),
                        MetadataFacts.of(Seed.PUBLIC, Seed.ON_DEMAND, MetadataFacts.InstanceProfile.NONE),
                        facts,
                        NetworkFacts.NONE,
                        Seed.RECOVERS,
                        Seed.FRAGMENT,
                        org.seedagent.guard.MetadataAccess.notChecked("not probed here", null))))
                .json();
        assertFalse(report.contains(SECRET) || report.contains("AKIAIOSFODNN7EXAMPLE"), "a secret leaked");
        assertTrue(report.contains("/root/.aws/credentials"));
    }

    @Test
    void files_withoutPasswd_stillSearchesRootsHome() throws Exception {
        write("root/.aws/credentials", "aws_access_key_id=AKIAIOSFODNN7EXAMPLE\n");

        FileFacts facts = gatherer().files(null, Seed.FRAGMENT);

        assertEquals(1, facts.homesSearched());
        assertEquals("/root/.aws/credentials", facts.credentialFiles().get(0).path());
    }

    @Test
    void files_homeThatCannotBeSearched_isReportedAsSuch() throws Exception {
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/bash\n");
        write("home/bob/.aws", "a file where a directory should be\n");

        FileFacts facts = gatherer().files(null, Seed.FRAGMENT);

        assertTrue(facts.credentialFiles().isEmpty());
        assertEquals(1, facts.unsearchable().size(), facts.unsearchable().toString());
        assertTrue(
                facts.unsearchable().get(0).startsWith("/home/bob/.aws ("),
                facts.unsearchable().get(0));
        assertEquals(Severity.WARNING, InstanceChecks.credentialFiles(facts).severity());
    }

    @Test
    void files_usersAwsIsALinkToRoots_notFollowed_rootsKeysNotReportedAsTheUsers() throws Exception {
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/bash\n");
        write("root/.aws/credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
        Files.createDirectories(root.resolve("home/bob"));
        Files.createSymbolicLink(root.resolve("home/bob/.aws"), root.resolve("root/.aws"));

        FileFacts facts = gatherer().files(null, Seed.FRAGMENT);

        assertEquals(
                List.of("/root/.aws/credentials"),
                facts.credentialFiles().stream()
                        .map(FileFacts.CredentialFile::path)
                        .toList());
        assertEquals(1, facts.unsearchable().size(), facts.unsearchable().toString());
        assertTrue(
                facts.unsearchable().get(0).startsWith("/home/bob/.aws (")
                        && facts.unsearchable().get(0).contains("symbolic link"),
                facts.unsearchable().get(0));
    }

    @Test
    void files_aFifoInPlaceOfCredentials_isNotOpened_theSurveyDoesNotBlock() throws Exception {
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        Path aws = Files.createDirectories(root.resolve("root/.aws"));
        Process mkfifo = new ProcessBuilder("mkfifo", aws.resolve("credentials").toString()).start();
        assertEquals(0, mkfifo.waitFor());

        FileFacts facts = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> gatherer().files(null, Seed.FRAGMENT));

        assertTrue(facts.credentialFiles().isEmpty(), facts.toString());
    }

    @Test
    void files_withoutSurveyingHomes_readsNoHome_andTheCheckSaysWhoDoes() throws Exception {
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        write("root/.aws/credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");

        FileFacts facts = gatherer().files(null, Seed.FRAGMENT, false);

        assertTrue(facts.credentialFiles().isEmpty());
        assertFalse(facts.homesSurveyed());
        CheckResult result = InstanceChecks.credentialFiles(facts);
        assertEquals(Severity.INFO, result.severity());
        assertTrue(result.finding().contains("home directories not searched by the daemon"), result.finding());
    }

    @Test
    void files_statsPasswordFileFragmentAndLegacyFile() throws Exception {
        Path password = write("etc/condor/condor_pool_password", "x");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        write("etc/condor/config.d/50-seed-agent.conf", "TCP_FORWARDING_HOST = 203.0.113.10\n");
        Files.createDirectories(root.resolve("etc/condor/config.d/49ec2-instance.config"));

        FileFacts facts = gatherer().files(Seed.healthy().view(), Seed.FRAGMENT);

        FileStat stat = facts.stat(Seed.PASSWORD_FILE);
        assertTrue(stat.exists() && stat.regularFile());
        assertEquals(0644, stat.mode());
        assertEquals(uid(password), stat.uid());
        assertEquals(Files.getOwner(password).getName(), stat.owner());
        assertTrue(facts.stat(Seed.FRAGMENT).exists());
        FileStat legacy = facts.stat("/etc/condor/config.d/49ec2-instance.config");
        assertTrue(legacy.exists() && !legacy.regularFile());
        assertEquals("not examined", facts.stat("/elsewhere").problem());

        CheckResult check = SecurityChecks.passwordFile(Seed.healthy().view(), facts);
        assertEquals(Severity.FAILURE, check.severity());
        assertTrue(check.finding().contains("mode 0644"), check.finding());
    }

    @Test
    void files_passwordFileOwnedByAnotherUser_isKnownByUid() throws Exception {
        assumeTrue(uid(root) == 0, "only root can give a file away");
        Path password = write("etc/condor/condor_pool_password", "x");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        UserPrincipal nobody =
                root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(password, nobody);

        FileFacts facts = gatherer().files(Seed.healthy().view(), Seed.FRAGMENT);

        assertEquals(uid(password), facts.stat(Seed.PASSWORD_FILE).uid());
        CheckResult check = SecurityChecks.passwordFile(Seed.healthy().view(), facts);
        assertEquals(Severity.FAILURE, check.severity());
        assertTrue(check.finding().contains("owned by nobody (uid " + uid(password) + "), not root"), check.finding());
    }

    @Test
    void files_missingPasswordFile_isMissing() {
        FileStat stat = gatherer().files(Seed.healthy().view(), Seed.FRAGMENT).stat(Seed.PASSWORD_FILE);

        assertFalse(stat.exists());
        assertNull(stat.problem());
    }

    // --- network -----------------------------------------------------------------------------------

    @Test
    void network_condorRunning_connectsToPublicIpOnSharedPort() throws Exception {
        write("proc/4242/comm", "condor_master\n");
        CondorConfigView view = Seed.healthy()
                .knob("SHARED_PORT_PORT", "9620")
                .knob("COLLECTOR_HOST", "seed.example.org:9620, cm.invalid")
                .view();

        NetworkFacts facts = gatherer().network(view, metadata());

        assertEquals(List.of("203.0.113.10:9620"), connections);
        assertEquals(NetworkFacts.Outcome.REACHED, facts.selfReachability().outcome());
        assertEquals(
                List.of("203.0.113.10"),
                facts.resolutions().get("seed.example.org").addresses());
        assertTrue(facts.resolutions().get("cm.invalid").addresses().isEmpty());
        assertEquals(
                "unknown host cm.invalid", facts.resolutions().get("cm.invalid").error());
    }

    @Test
    void network_connectionFails_isFailedWithReason() throws Exception {
        write("proc/4242/comm", "condor_master\n");

        NetworkFacts facts = gatherer((a, p, t) -> {
                    throw new ConnectException("Connection refused");
                })
                .network(Seed.healthy().view(), metadata());

        assertEquals(NetworkFacts.Outcome.FAILED, facts.selfReachability().outcome());
        assertEquals("connection refused", facts.selfReachability().detail());
    }

    @Test
    void network_condorNotRunning_doesNotConnect() throws Exception {
        write("proc/1/comm", "systemd\n");

        NetworkFacts facts = gatherer().network(Seed.healthy().view(), metadata());

        assertEquals(NetworkFacts.Outcome.NOT_RUNNING, facts.selfReachability().outcome());
        assertTrue(connections.isEmpty());
    }

    @Test
    void network_noPublicIp_doesNotConnect() throws Exception {
        write("proc/4242/comm", "condor_master\n");

        NetworkFacts facts = gatherer()
                .network(
                        Seed.healthy().view(),
                        MetadataFacts.of(null, Seed.ON_DEMAND, MetadataFacts.InstanceProfile.NONE));

        assertEquals(
                NetworkFacts.Outcome.NOT_ATTEMPTED, facts.selfReachability().outcome());
        assertTrue(connections.isEmpty());
    }

    @Test
    void systemConnector_connectsToAListeningPort_andFailsOnAClosedOne() throws Exception {
        CheckEnvironment.Connector connector = CheckEnvironment.system().connector();
        int closed;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            connector.connect("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(2));
            closed = server.getLocalPort();
        }
        assertThrows(IOException.class, () -> connector.connect("127.0.0.1", closed, Duration.ofSeconds(2)));
    }

    @Test
    void systemResolver_resolvesLiteralAddresses() throws Exception {
        assertEquals(List.of("127.0.0.1"), CheckEnvironment.system().resolver().ipv4Addresses("127.0.0.1"));
    }

    // --- metadata ----------------------------------------------------------------------------------

    @Test
    void metadata_readsAddressFactsAndInstanceProfile() throws Exception {
        MetadataFacts facts =
                FactsGatherer.metadata(new InstanceMetadata(FakeMetadata.seed().with("instance-life-cycle", "spot")));

        assertTrue(facts.available());
        assertEquals(Ipv4Address.parse("203.0.113.10"), facts.publicIpv4());
        assertTrue(facts.instance().isSpot());
        assertEquals(MetadataFacts.InstanceProfile.ATTACHED, facts.instanceProfile());
    }

    @Test
    void metadata_noProfileNoPublicIp() throws Exception {
        MetadataFacts facts = FactsGatherer.metadata(
                new InstanceMetadata(FakeMetadata.seed().without("iam/info").without("public-ipv4")));

        assertTrue(facts.available());
        assertNull(facts.publicIpv4());
        assertEquals(MetadataFacts.InstanceProfile.NONE, facts.instanceProfile());
    }

    @Test
    void metadata_unavailable_readsOnlyOnce() throws Exception {
        FakeMetadata source = FakeMetadata.failing();

        MetadataFacts facts = FactsGatherer.metadata(new InstanceMetadata(source));

        assertFalse(facts.available());
        assertEquals("metadata service did not answer within 1s (connection refused)", facts.failure());
        assertEquals(List.of("public-ipv4"), source.reads);
    }

    @Test
    void metadata_sourceThatThrowsUnchecked_isUnavailable() throws Exception {
        MetadataSource broken = new MetadataSource() {
            @Override
            public java.util.Optional<String> get(String path) {
                throw new UnsupportedOperationException("not implemented yet");
            }

            @Override
            public void close() {}
        };

        MetadataFacts facts = FactsGatherer.metadata(new InstanceMetadata(broken));

        assertEquals("not implemented yet", facts.failure());
    }

    @Test
    void metadata_invalidPublicIp_isUnavailableWithTheReason() throws Exception {
        MetadataFacts facts =
                FactsGatherer.metadata(new InstanceMetadata(FakeMetadata.seed().with("public-ipv4", "<html>")));

        assertFalse(facts.available());
        assertTrue(facts.failure().contains("not a dotted-quad IPv4 address"), facts.failure());
    }

    private static MetadataFacts metadata() {
        return MetadataFacts.of(Seed.PUBLIC, Seed.ON_DEMAND, MetadataFacts.InstanceProfile.ATTACHED);
    }

    private Path write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid");
    }
}
