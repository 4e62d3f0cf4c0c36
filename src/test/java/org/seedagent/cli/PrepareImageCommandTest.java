package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.condor.FakeCondor;
import org.seedagent.fragment.Fragment;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;
import org.seedagent.support.SystemProcessRunner;
import org.seedagent.testing.FakeMetadataSource;
import org.seedagent.testing.Tmpfs;

/**
 * {@code seed-agent prepare-image} end to end on a temporary directory standing for {@code /}: a seed built
 * by the original recipe, with seed-agent's files, AWS credentials of root and of a user, condor_annex key
 * files, shell histories, the pool password and tokens; the fake condor_config_val as a real process; fake
 * systemctl and metadata.
 */
class PrepareImageCommandTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SESSION = "FwoGZXIvYXdzEXAMPLESESSIONTOKENxyz";
    private static final String ANNEX_ID = "AKIAANNEXKEYEXAMPLE1";
    private static final String ANNEX_SECRET = "annexSecretEXAMPLEvalue0123456789abcdefgh";
    private static final String POOL_PASSWORD = "poolPasswordEXAMPLEvalue";
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.EXAMPLE.token";
    private static final List<String> SECRETS =
            List.of(SECRET, KEY_ID, SESSION, ANNEX_ID, ANNEX_SECRET, POOL_PASSWORD, TOKEN);
    private static final String ARN = "arn:aws:iam::123456789012:instance-profile/seed";

    private static final String ROOT_HISTORY = "ls -la\nexport AWS_SECRET_ACCESS_KEY=" + SECRET + "\ncondor_status\n"
            + "AWS_ACCESS_KEY_ID=" + KEY_ID + " aws s3 ls\nexport AWS_SECRET_ACCESS_KEY=$(cat /root/key)\n";
    private static final String USER_ZSH_HISTORY = ": 1700000000:0;cd /tmp\n: 1700000001:0;export AWS_SESSION_TOKEN="
            + SESSION + "\n: 1700000002:0;condor_q\n";
    private static final String USER_BASH_HISTORY = "ls\ncondor_q -better\n";
    private static final String USER_AWS_CONFIG = "[default]\nregion = us-east-1\naws_access_key_id = " + KEY_ID
            + "\naws_secret_access_key = " + SECRET + "\noutput = json\n";

    @TempDir
    Path tmp;

    private Path root;
    private Path liveRoot;
    private String condorConfigVal;
    private FakeMetadataSource metadata;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> systemctl = new ArrayList<>();
    private int isActiveExit = 3;
    private int isEnabledExit = 0;
    private int stopExit = 0;
    private boolean stateExistedAtStop;
    private int uid = 0;
    private boolean interactive;
    private String typed;
    private String stateDirectory = "/var/lib/seed-agent";

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("root");
        liveRoot = tmp.resolve("the-real-root");
        condorConfigVal = FakeCondor.install(tmp.resolve("bin"), root).toString();
        metadata = new FakeMetadataSource()
                .with(
                        "iam/info",
                        "{\"Code\":\"Success\",\"InstanceProfileArn\":\"" + ARN
                                + "\",\"InstanceProfileId\":\"AIPAEXAMPLE\"}");
        seed();
    }

    // --- what it finds -------------------------------------------------------------------------------

    @Test
    void dryRun_listsEveryCategory_changesNothing_exit1() throws Exception {
        Map<String, String> before = snapshot();

        int exit = run("--dry-run");

        String text = out();
        assertEquals(ExitCode.FAILURE, exit, text);
        assertEquals(before, snapshot(), "a dry run changes nothing");
        for (String expected : List.of(
                "  remove   /etc/condor/config.d/50-seed-agent.conf\n",
                "  remove   /etc/condor/config.d/.50-seed-agent.conf.1a2b3c.tmp\n",
                "  remove   /var/lib/seed-agent/state.json\n",
                "  remove   /var/lib/seed-agent/.state.json.77aa.tmp\n",
                "  FOUND    /root/.aws/credentials\n           AWS credentials file holding aws_access_key_id,"
                        + " aws_secret_access_key (lines 2 and 3)\n           left in place: run again with"
                        + " --remove-aws-credentials to remove it\n",
                "  FOUND    /home/ec2-user/.aws/config\n           AWS config file holding aws_access_key_id,"
                        + " aws_secret_access_key (lines 3 and 4); its other settings stay\n           left in place:"
                        + " run again with --remove-aws-credentials to remove those lines\n",
                "  FOUND    /etc/condor/annex/access\n           condor_annex key file (ANNEX_DEFAULT_ACCESS_KEY_FILE)\n",
                "  FOUND    /etc/condor/annex/secret\n",
                "  FOUND    /root/.bash_history\n           shell history: line 2 sets AWS_SECRET_ACCESS_KEY; line 4 sets"
                        + " AWS_ACCESS_KEY_ID\n",
                "  FOUND    /home/ec2-user/.zsh_history\n           shell history: line 2 sets AWS_SESSION_TOKEN\n",
                "  keep     /etc/condor/condor_pool_password\n           the pool password (SEC_PASSWORD_FILE)\n",
                "  keep     /var/lib/condor/passwords.d/POOL\n",
                "  keep     /etc/condor/tokens.d/seed\n",
                "  keep     instance profile " + ARN + " is attached\n",
                "  note     /etc/condor/config.d/49ec2-instance.config\n",
                "  note     seed-agent-imds-guard.service is not enabled in the image: every local user of an"
                        + " instance made from it can read the instance profile's credentials\n           systemctl enable"
                        + " seed-agent-imds-guard.service before making the image\n",
                "To do: remove 4 files. 6 findings (FOUND) need attention.\n",
                "Dry run: nothing was changed. The image would not be clean: the findings above need attention.\n")) {
            assertTrue(text.contains(expected), "missing: " + expected + "\n" + text);
        }
        assertEquals(2, text.split("6 findings", -1).length, "the count is said once (issue 22: twice): " + text);
        assertFalse(text.contains("/root/.aws/config"), "a config file without keys is not reported");
        assertFalse(text.contains("/home/ec2-user/.aws/credentials"), "credential_process is not a key");
        assertFalse(text.contains("/home/ec2-user/.bash_history"), "a history without keys is not reported");
        assertNoSecrets();
        assertEquals(List.of(), systemctl, "systemd is not touched when --root is not /");
    }

    @Test
    void dryRun_withEveryFlag_wouldBeClean_exit0() throws Exception {
        Map<String, String> before = snapshot();

        int exit = run("--dry-run", "--remove-aws-credentials", "--remove-annex-keys", "--scrub-shell-history");

        assertEquals(ExitCode.OK, exit, out());
        assertEquals(before, snapshot());
        assertTrue(out().contains("To do: remove 7 files, rewrite 3 files.\n"), out());
        assertTrue(
                out().endsWith("Dry run: nothing was changed. Without --dry-run the image would be clean: nothing"
                        + " is left that it should not contain.\n"),
                out());
    }

    @Test
    void dryRun_eipAllowReassociation_saysEveryInstanceOfTheImageTakesTheAddress() throws Exception {
        Path config = tmp.resolve("seed-agent-eip.conf");
        Files.writeString(
                config,
                "condor.config-val = " + condorConfigVal + "\ncondor.timeout = 20s\n"
                        + "state.directory = " + stateDirectory + "\neip.allocation-id = eipalloc-0123456789abcdef0\n"
                        + "eip.allow-reassociation = true\n");
        out.reset();
        err.reset();

        new PrepareImageCommand(() -> uid, terminal(), liveRoot)
                .run(context(config), List.of("--root", root.toString(), "--dry-run"));

        assertTrue(
                out().contains("eip.allow-reassociation = true: every instance launched from this image takes the"
                        + " Elastic IP eipalloc-0123456789abcdef0 from the instance that holds it"),
                out());
        assertTrue(out().contains("set eip.allow-reassociation = false in the image's seed-agent.conf"), out());
    }

    @Test
    void dryRun_json_changesPlanned() throws Exception {
        int exit = run("--dry-run", "--format", "json", "--scrub-shell-history");

        Map<String, Object> doc = JSON.std.mapFrom(out());
        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(true, doc.get("dry_run"));
        assertEquals("attention", doc.get("result"));
        List<Map<?, ?>> findings = ((List<?>) doc.get("findings"))
                .stream().<Map<?, ?>>map(o -> (Map<?, ?>) o).toList();
        assertTrue(
                findings.stream()
                        .filter(f -> List.of("remove", "rewrite").contains(f.get("action")))
                        .allMatch(f -> "planned".equals(f.get("status"))),
                out());
        assertTrue(
                findings.stream()
                        .filter(f -> "keep".equals(f.get("action")))
                        .allMatch(f -> "none".equals(f.get("status"))),
                out());
        assertNoSecrets();
    }

    @Test
    void historyWithNulBytes_reportedNotRewritten() throws Exception {
        Path ash = secret("root/.ash_history", "ls\n\0\nexport AWS_SECRET_ACCESS_KEY=" + SECRET + "\n");
        byte[] before = Files.readAllBytes(ash);

        int exit = run("--yes", "--scrub-shell-history");

        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(
                new String(before, StandardCharsets.ISO_8859_1),
                new String(Files.readAllBytes(ash), StandardCharsets.ISO_8859_1));
        assertTrue(
                out().contains("  PROBLEM  /root/.ash_history\n           shell history: line 3 sets"
                        + " AWS_SECRET_ACCESS_KEY\n           problem: it holds NUL bytes"),
                out());
    }

    // --- what it cleans ------------------------------------------------------------------------------

    @Test
    void yes_removesSeedAgentFilesOnly_credentialsLeft_exit1() throws Exception {
        Map<String, String> before = snapshot();

        int exit = run("--yes");

        assertEquals(ExitCode.FAILURE, exit, out());
        for (String gone : List.of(
                "etc/condor/config.d/50-seed-agent.conf",
                "etc/condor/config.d/.50-seed-agent.conf.1a2b3c.tmp",
                "var/lib/seed-agent/state.json",
                "var/lib/seed-agent/.state.json.77aa.tmp")) {
            assertFalse(Files.exists(root.resolve(gone), LinkOption.NOFOLLOW_LINKS), gone);
        }
        assertTrue(Files.isDirectory(root.resolve("var/lib/seed-agent")), "the state directory stays");
        Map<String, String> after = snapshot();
        before.keySet().removeIf(p -> p.contains("seed-agent"));
        after.keySet().removeIf(p -> p.contains("seed-agent"));
        assertEquals(before, after, "nothing but seed-agent's files changed");
        assertTrue(out().contains("  removed  /var/lib/seed-agent/state.json\n"), out());
        assertTrue(out().contains("6 findings need attention (FOUND above): the image is not clean yet.\n"), out());
        assertNoSecrets();
    }

    @Test
    void yes_everyFlag_cleansEverything_keepsWhatMustStay_exit0() throws Exception {
        Path userZsh = root.resolve("home/ec2-user/.zsh_history");
        Path userConfig = root.resolve("home/ec2-user/.aws/config");

        int exit = run("--yes", "--remove-aws-credentials", "--remove-annex-keys", "--scrub-shell-history");

        assertEquals(ExitCode.OK, exit, out() + err());
        assertFalse(Files.exists(root.resolve("root/.aws/credentials")));
        assertFalse(Files.exists(root.resolve("etc/condor/annex/access")));
        assertFalse(Files.exists(root.resolve("etc/condor/annex/secret")));
        // History: only the key lines went; the rest byte for byte, owner and mode kept.
        assertEquals(
                "ls -la\ncondor_status\nexport AWS_SECRET_ACCESS_KEY=$(cat /root/key)\n",
                Files.readString(root.resolve("root/.bash_history")));
        assertEquals(": 1700000000:0;cd /tmp\n: 1700000002:0;condor_q\n", Files.readString(userZsh));
        assertOwnerAndMode(userZsh, 1000, 1000, "rw-r-----");
        assertEquals(USER_BASH_HISTORY, Files.readString(root.resolve("home/ec2-user/.bash_history")));
        // ~/.aws/config: key lines gone, settings kept, owner and mode kept.
        assertEquals("[default]\nregion = us-east-1\noutput = json\n", Files.readString(userConfig));
        assertOwnerAndMode(userConfig, 1000, 1000, "rw-------");
        assertEquals("[default]\nregion = us-east-1\n", Files.readString(root.resolve("root/.aws/config")));
        // Kept, and said so.
        assertEquals(POOL_PASSWORD + "\n", Files.readString(root.resolve("etc/condor/condor_pool_password")));
        assertTrue(Files.exists(root.resolve("etc/condor/tokens.d/seed")));
        assertTrue(Files.exists(root.resolve("etc/condor/config.d/49ec2-instance.config")), "not seed-agent's");
        String text = out();
        assertTrue(text.contains("  rewrote  /root/.bash_history: 2 lines removed\n"), text);
        assertTrue(text.contains("  rewrote  /home/ec2-user/.aws/config: 2 lines removed\n"), text);
        assertTrue(text.contains("anyone who can read the image can join the pool with it"), text);
        assertTrue(
                text.contains("launch instances from the image with the same instance profile (aws ec2 run-instances"
                        + " --iam-instance-profile Arn=" + ARN + ")"),
                text);
        assertTrue(text.contains("The image is clean: nothing is left that it should not contain.\n"), text);
        assertNoTempFiles();
        assertNoSecrets();

        // A second run finds nothing to change, and needs no confirmation for that.
        assertEquals(ExitCode.OK, run());
        assertTrue(out().contains("Nothing to change.\n"), out());
    }

    @Test
    void json_schemaVersion1_everyFindingComplete_noSecrets() throws Exception {
        int exit = run("--yes", "--format", "json", "--remove-aws-credentials", "--remove-annex-keys");

        assertEquals(ExitCode.FAILURE, exit, "shell history left");
        Map<String, Object> doc = JSON.std.mapFrom(out());
        assertEquals(
                List.of("schema_version", "root", "dry_run", "result", "summary", "findings"),
                List.copyOf(doc.keySet()));
        assertEquals(1, doc.get("schema_version"));
        assertEquals(root.toRealPath().toString(), doc.get("root"));
        assertEquals(false, doc.get("dry_run"));
        assertEquals("attention", doc.get("result"));
        assertEquals(
                Map.of(
                        "stop",
                        0,
                        "remove",
                        7,
                        "rewrite",
                        1,
                        "leave",
                        2,
                        "keep",
                        4,
                        "note",
                        3,
                        "unresolved",
                        0,
                        "failed",
                        0),
                doc.get("summary"));
        List<?> findings = (List<?>) doc.get("findings");
        for (Object o : findings) {
            Map<?, ?> f = (Map<?, ?>) o;
            assertEquals(
                    List.of(
                            "category",
                            "path",
                            "what",
                            "names",
                            "lines",
                            "action",
                            "status",
                            "message",
                            "problem",
                            "advice"),
                    List.copyOf(f.keySet()));
        }
        Map<?, ?> history = findings.stream()
                .map(o -> (Map<?, ?>) o)
                .filter(f -> "/root/.bash_history".equals(f.get("path")))
                .findFirst()
                .orElseThrow();
        assertEquals("shell-history", history.get("category"));
        assertEquals(List.of(2, 4), history.get("lines"));
        assertEquals(List.of("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"), history.get("names"));
        assertEquals("leave", history.get("action"));
        assertEquals("none", history.get("status"));
        Map<?, ?> config = findings.stream()
                .map(o -> (Map<?, ?>) o)
                .filter(f -> "/home/ec2-user/.aws/config".equals(f.get("path")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("rewrite", "done", "2 lines removed", List.of(3, 4)),
                List.of(config.get("action"), config.get("status"), config.get("message"), config.get("lines")));
        Map<?, ?> profile = findings.stream()
                .map(o -> (Map<?, ?>) o)
                .filter(f -> "instance-profile".equals(f.get("category")))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(ARN), profile.get("names"));
        assertEquals("", err());
        assertNoSecrets();
    }

    // --- confirmation --------------------------------------------------------------------------------

    @Test
    void noTerminal_noYes_refuses_exit4_nothingChanged() throws Exception {
        Map<String, String> before = snapshot();

        int exit = run("--remove-aws-credentials");

        assertEquals(PrepareImageCommand.NOT_CONFIRMED, exit);
        assertEquals(before, snapshot());
        assertTrue(
                err().contains("not changing anything without confirmation, and there is no terminal to ask on. Run"
                        + " again with --yes"),
                err());
        assertTrue(out().endsWith("Nothing was changed.\n"), out());
    }

    @Test
    void noTerminal_json_refuses_documentSaysNotConfirmed() throws Exception {
        Map<String, String> before = snapshot();

        int exit = run("--format=json");

        assertEquals(PrepareImageCommand.NOT_CONFIRMED, exit);
        assertEquals(before, snapshot());
        Map<String, Object> doc = JSON.std.mapFrom(out());
        assertEquals("not-confirmed", doc.get("result"));
        assertTrue(((List<?>) doc.get("findings"))
                .stream()
                        .map(o -> (Map<?, ?>) o)
                        .filter(f -> "remove".equals(f.get("action")))
                        .allMatch(f -> "not-done".equals(f.get("status"))));
    }

    @Test
    void terminal_answerNo_nothingChanged_exit4() throws Exception {
        interactive = true;
        typed = "n\n";
        Map<String, String> before = snapshot();

        int exit = run();

        assertEquals(PrepareImageCommand.NOT_CONFIRMED, exit);
        assertEquals(before, snapshot());
        assertTrue(err().contains("Make the changes listed above? [y/N] "), err());
        assertTrue(err().contains("not confirmed; nothing was changed."), err());
    }

    @Test
    void terminal_endOfInput_isNo() throws Exception {
        interactive = true;
        typed = "";
        Map<String, String> before = snapshot();

        assertEquals(PrepareImageCommand.NOT_CONFIRMED, run());
        assertEquals(before, snapshot());
    }

    @Test
    void terminal_answerYes_cleans() throws Exception {
        interactive = true;
        typed = " Yes \n";

        int exit = run("--scrub-shell-history");

        assertEquals(ExitCode.FAILURE, exit, "credentials and annex keys left");
        assertFalse(Files.exists(root.resolve("var/lib/seed-agent/state.json")));
        assertFalse(Files.readString(root.resolve("root/.bash_history")).contains(SECRET));
        assertNoSecrets();
    }

    @Test
    void terminal_json_listingAndPromptOnStandardError_documentOnStandardOutput() throws Exception {
        interactive = true;
        typed = "y\n";

        run("--format", "json");

        assertTrue(err().startsWith("An image of "), err());
        assertEquals("attention", JSON.std.mapFrom(out()).get("result"));
        assertNoSecrets();
    }

    // --- refusals ------------------------------------------------------------------------------------

    @Test
    void notRoot_refused_exit77_nothingRunOrChanged() throws Exception {
        uid = 1000;
        Map<String, String> before = snapshot();
        condorConfigVal = tmp.resolve("must-not-run").toString();

        int exit = run("--yes", "--remove-aws-credentials");

        assertEquals(PrepareImageCommand.NOT_ROOT, exit);
        assertEquals(before, snapshot());
        assertEquals(
                "seed-agent prepare-image: must be run as root (this runs as uid 1000): it searches every home"
                        + " directory and removes files owned by root and by other users. Nothing was changed. Run: sudo"
                        + " seed-agent prepare-image\n",
                err());
        assertEquals("", out());
        assertEquals(List.of(), metadata.requests());
    }

    @Test
    void notRoot_evenForADryRun() throws Exception {
        uid = 1000;
        assertEquals(PrepareImageCommand.NOT_ROOT, run("--dry-run"));
    }

    @Test
    void uidUnknown_refused() throws Exception {
        PrepareImageCommand command = new PrepareImageCommand(
                () -> {
                    throw new IOException("no /proc");
                },
                terminal(),
                liveRoot);

        assertEquals(PrepareImageCommand.NOT_ROOT, command.run(context(), List.of("--yes")));
        assertTrue(err().contains("cannot tell whether this runs as root (no /proc)"), err());
    }

    @Test
    void procEffectiveUid_isThisProcesses() throws Exception {
        assertEquals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"), PrepareImageCommand.procEffectiveUid());
    }

    // --- the service ---------------------------------------------------------------------------------

    @Test
    void liveRoot_serviceRunning_stoppedBeforeItsFilesAreRemoved() throws Exception {
        liveRoot = root;
        isActiveExit = 0;

        int exit = run("--yes");

        assertEquals(ExitCode.FAILURE, exit);
        assertEquals(
                List.of(
                        "systemctl is-active --quiet seed-agent.service",
                        "systemctl is-enabled --quiet seed-agent.service",
                        "systemctl stop seed-agent.service"),
                systemctl);
        assertTrue(stateExistedAtStop, "stopped first");
        assertFalse(Files.exists(root.resolve("var/lib/seed-agent/state.json")));
        assertTrue(out().contains("  stop     seed-agent.service is running: it is stopped first"), out());
        assertTrue(out().contains("  stopped  seed-agent.service\n"), out());
        assertTrue(out().contains("seed-agent.service is stopped and stays enabled"), out());
    }

    @Test
    void liveRoot_serviceNotRunning_notStopped_reportShowsSlash() throws Exception {
        liveRoot = root;

        run("--yes", "--format", "json");

        assertEquals(
                List.of(
                        "systemctl is-active --quiet seed-agent.service",
                        "systemctl is-enabled --quiet seed-agent.service"),
                systemctl);
        assertEquals("/", JSON.std.mapFrom(out()).get("root"));
    }

    @Test
    void liveRoot_stopFails_seedAgentFilesKept_exit73_othersStillDone() throws Exception {
        liveRoot = root;
        isActiveExit = 0;
        stopExit = 1;

        int exit = run("--yes", "--remove-annex-keys");

        assertEquals(ExitCode.CANT_CREATE, exit);
        assertTrue(Files.exists(root.resolve("var/lib/seed-agent/state.json")), "the daemon would write it again");
        assertTrue(Files.exists(root.resolve("etc/condor/config.d/50-seed-agent.conf")));
        assertFalse(Files.exists(root.resolve("etc/condor/annex/secret")), "unrelated to the daemon");
        assertTrue(
                out().contains("  FAILED   seed-agent.service: systemctl stop seed-agent.service exited 1:"
                        + " \"Job failed\"\n"),
                out());
        assertTrue(
                out().contains("  FAILED   /var/lib/seed-agent/state.json: not removed: seed-agent.service could"
                        + " not be stopped and would write it again\n"),
                out());
        assertTrue(out().contains("failed (FAILED above)"), out());
    }

    @Test
    void liveRoot_serviceNotEnabled_noted() throws Exception {
        liveRoot = root;
        isEnabledExit = 1;

        run("--dry-run");

        assertTrue(
                out().contains(
                                "  note     seed-agent.service is not enabled: an instance made from the image would"
                                        + " start HTCondor without seed-agent's fragment\n           systemctl enable seed-agent.service\n"),
                out());
    }

    @Test
    void otherRoot_serviceNotLookedAt_noted() throws Exception {
        run("--dry-run");

        assertTrue(
                out().contains("  note     seed-agent.service was not looked at: the root directory is not this"
                        + " system's /\n"),
                out());
    }

    // --- what cannot be told -------------------------------------------------------------------------

    /** Issue 22: the agent's own message was quoted, escaped and cut at 200 characters like a hostile path. */
    @Test
    void metadataRefused_theAgentsOwnLongMessage_shownWhole_unescaped() throws Exception {
        String why = "the instance metadata service is disabled or refuses this request (HTTP 403 to the session token"
                + " request reading metadata item iam/info); enable it with `aws ec2 modify-instance-metadata-options"
                + " --instance-id i-0123456789abcdef0 --http-endpoint enabled`";
        metadata = new FakeMetadataSource()
                .failingWith(new MetadataException(MetadataException.Kind.UNAVAILABLE, "iam/info", why));

        run("--dry-run");

        assertTrue(why.length() > 200);
        assertTrue(out().contains("could not tell whether an instance profile is attached: " + why + "\n"), out());
    }

    @Test
    void metadataUnavailable_couldNotTell_notACrash_exitUnaffected() throws Exception {
        metadata = new FakeMetadataSource()
                .failingWith(new MetadataException(
                        MetadataException.Kind.UNAVAILABLE,
                        "iam/info",
                        "metadata service did not answer within 10s (connection refused)"));

        int exit = run("--dry-run", "--remove-aws-credentials", "--remove-annex-keys", "--scrub-shell-history");

        assertEquals(ExitCode.OK, exit, out());
        assertTrue(
                out().contains("  note     could not tell whether an instance profile is attached: metadata service"
                        + " did not answer within 10s (connection refused)\n"),
                out());
        assertTrue(metadata.closed());
    }

    @Test
    void imdsGuardEnabledInTheImage_reportedAsKept() throws Exception {
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants");
        Files.createDirectories(wants);
        Files.createSymbolicLink(
                wants.resolve("seed-agent-imds-guard.service"),
                Path.of("/usr/lib/systemd/system/seed-agent-imds-guard.service"));

        run("--dry-run");

        assertTrue(
                out().contains("  keep     /etc/systemd/system/multi-user.target.wants/seed-agent-imds-guard.service\n"
                        + "           seed-agent-imds-guard.service is enabled: instances made from the image let only root and"
                        + " imds-guard.allow-users/-groups reach instance metadata from their first boot\n"),
                out());
    }

    @Test
    void noInstanceProfile_noted() throws Exception {
        metadata = new FakeMetadataSource();

        run("--dry-run");

        assertTrue(out().contains("  note     no instance profile is attached (iam/info: not found)\n"), out());
    }

    @Test
    void condorConfigValMissing_annexKeysUnknown_exit1() throws Exception {
        condorConfigVal = tmp.resolve("nowhere/condor_config_val").toString();

        int exit = run("--dry-run", "--remove-aws-credentials", "--remove-annex-keys", "--scrub-shell-history");

        assertEquals(ExitCode.FAILURE, exit);
        assertTrue(
                out().contains("  PROBLEM  annex key files and the pool password file were not looked for: HTCondor's"
                        + " configuration could not be evaluated\n           problem: cannot run " + condorConfigVal
                        + ": No such file or directory\n"),
                out());
    }

    @Test
    void symbolicLinkInAHome_notFollowed_targetKept() throws Exception {
        Files.writeString(
                root.resolve("etc/passwd"),
                "mallory:x:1002:1002::/home/mallory:/bin/bash\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(root.resolve("home/mallory"));
        Path target = write("etc/important/credentials", "[default]\naws_secret_access_key = " + SECRET + "\n");
        Files.createSymbolicLink(root.resolve("home/mallory/.aws"), root.resolve("etc/important"));

        int exit = run("--yes", "--remove-aws-credentials", "--remove-annex-keys", "--scrub-shell-history");

        assertEquals(ExitCode.FAILURE, exit, out());
        assertTrue(Files.exists(target));
        // The directory is opened without following links (issue 21): the link is the problem, whatever it points to.
        assertTrue(
                out().contains("  PROBLEM  /home/mallory/.aws\n           could not be examined\n           problem:"
                        + " /home/mallory/.aws is a symbolic link, not followed\n"),
                out());
        assertNoSecrets();
    }

    @Test
    void historyLinkedToAFile_reportedNotRewritten() throws Exception {
        Path real = write("root/.history-real", "export AWS_SECRET_ACCESS_KEY=" + SECRET + "\n");
        Files.delete(root.resolve("root/.bash_history"));
        Files.createSymbolicLink(root.resolve("root/.bash_history"), real);
        Files.createSymbolicLink(root.resolve("root/.zsh_history"), Path.of("/dev/null"));

        run("--yes", "--scrub-shell-history");

        assertTrue(Files.readString(real).contains(SECRET));
        assertTrue(
                out().contains("  PROBLEM  /root/.bash_history\n           shell history: line 1 sets"
                        + " AWS_SECRET_ACCESS_KEY\n           problem: it is a symbolic link (to " + real
                        + "), not followed"),
                out());
        assertFalse(out().contains("/root/.zsh_history"), "a link to /dev/null keeps no history");
        Files.delete(root.resolve("root/.zsh_history"));
    }

    @Test
    void removalFails_readOnlyFileSystem_exit73_restDone() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mountAt(root.resolve("var/lib/seed-agent-fs"), 64)) {
            stateDirectory = "/" + root.relativize(tmpfs.path());
            Files.writeString(tmpfs.path().resolve("state.json"), "{}\n");
            tmpfs.readOnly();

            int exit = run("--yes");

            assertEquals(ExitCode.CANT_CREATE, exit, out());
            assertTrue(out().contains("  FAILED   " + stateDirectory + "/state.json: Read-only file system\n"), out());
            assertFalse(Files.exists(root.resolve("etc/condor/config.d/50-seed-agent.conf")), "the rest was done");
            assertTrue(
                    out().endsWith("Open shells write the history they hold in memory when they exit: run 'unset"
                            + " HISTFILE' in each of them (bash, zsh) before logging out.\n"),
                    out());
        }
    }

    // --- command line --------------------------------------------------------------------------------

    @Test
    void badArguments_areUsageErrors() {
        assertThrows(UsageException.class, () -> run("--format", "yaml"));
        assertThrows(UsageException.class, () -> run("--format"));
        assertThrows(UsageException.class, () -> run("--remove-everything"));
        assertThrows(UsageException.class, () -> run("extra"));
        UsageException e = assertThrows(
                UsageException.class,
                () -> new PrepareImageCommand(() -> 0, terminal(), liveRoot)
                        .run(context(), List.of("--root", tmp.resolve("missing").toString())));
        assertTrue(e.getMessage().endsWith("is not a directory"), e.getMessage());
    }

    @Test
    void help_printsUsageWithExitCodes() throws Exception {
        assertEquals(ExitCode.OK, run("--help"));
        assertTrue(out().startsWith("Usage: seed-agent prepare-image"));
        assertTrue(out().contains("4 not confirmed, nothing changed; 73 a change failed; 77 not run as root"), out());
    }

    @Test
    void invalidAgentConfiguration_exit78() throws Exception {
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(config, "state.directory = relative\n");

        int exit = new PrepareImageCommand(() -> 0, terminal(), liveRoot)
                .run(context(config), List.of("--root", root.toString()));

        assertEquals(ExitCode.CONFIG, exit);
        assertTrue(err().contains("state.directory"), err());
    }

    @Test
    void publicNoArgConstructor_namesTheCommand() {
        PrepareImageCommand command = new PrepareImageCommand();
        assertEquals("prepare-image", command.name());
        assertTrue(command.usage().contains("--remove-annex-keys"));
    }

    // --- the seed ------------------------------------------------------------------------------------

    /** A seed built by the original recipe, after some use. */
    private void seed() throws IOException {
        FakeCondor.copyTree("seed-recipe", root);
        write(
                "etc/condor/config.d/50-seed-agent.conf",
                new Fragment(Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0")
                        .text());
        write("etc/condor/config.d/.50-seed-agent.conf.1a2b3c.tmp", "TCP_FORWARDING_HOST = 203.0.113.9\n");
        write("etc/condor/config.d/49ec2-instance.config", "EC2PublicIP = 198.51.100.7\n");
        write(
                "etc/condor/config.d/60-annex",
                "ANNEX_DEFAULT_ACCESS_KEY_FILE = /etc/condor/annex/access\n"
                        + "ANNEX_DEFAULT_SECRET_KEY_FILE = /etc/condor/annex/secret\n"
                        + "SEC_TOKEN_SYSTEM_DIRECTORY = /etc/condor/tokens.d\n");
        secret("etc/condor/annex/access", ANNEX_ID + "\n");
        secret("etc/condor/annex/secret", ANNEX_SECRET + "\n");
        secret("etc/condor/condor_pool_password", POOL_PASSWORD + "\n");
        secret("var/lib/condor/passwords.d/POOL", POOL_PASSWORD + "\n");
        secret("etc/condor/tokens.d/seed", TOKEN + "\n");
        write("var/lib/seed-agent/state.json", "{\"schema_version\": 1}\n");
        write("var/lib/seed-agent/.state.json.77aa.tmp", "{\"schema_vers");

        write(
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/bash\n"
                        + "daemon:x:2:2:daemon:/sbin:/sbin/nologin\n"
                        + "ec2-user:x:1000:1000:EC2 Default User:/home/ec2-user:/bin/bash\n"
                        + "ghost:x:1001:1001::/home/ghost:/bin/bash\n");
        secret(
                "root/.aws/credentials",
                "[default]\naws_access_key_id = " + KEY_ID + "\naws_secret_access_key = " + SECRET + "\n");
        write("root/.aws/config", "[default]\nregion = us-east-1\n");
        secret("root/.bash_history", ROOT_HISTORY);
        user(secret("home/ec2-user/.aws/config", USER_AWS_CONFIG));
        user(write("home/ec2-user/.aws/credentials", "[default]\ncredential_process = /usr/local/bin/creds\n"));
        Path zsh = user(write("home/ec2-user/.zsh_history", USER_ZSH_HISTORY));
        Files.setPosixFilePermissions(zsh, PosixFilePermissions.fromString("rw-r-----"));
        user(write("home/ec2-user/.bash_history", USER_BASH_HISTORY));
    }

    private Path write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private Path secret(String path, String content) throws IOException {
        Path file = write(path, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Gives a file to uid/gid 1000 (only root can; the owner checks then assume root, as in CI). */
    private Path user(Path file) throws IOException {
        if (isRoot()) {
            Files.setAttribute(file, "unix:uid", 1000);
            Files.setAttribute(file, "unix:gid", 1000);
        }
        return file;
    }

    private boolean isRoot() throws IOException {
        return (Integer) Files.getAttribute(tmp, "unix:uid") == 0;
    }

    // --- running it ----------------------------------------------------------------------------------

    private int run(String... arguments) throws Exception {
        out.reset();
        err.reset();
        List<String> args = new ArrayList<>(List.of("--root", root.toString()));
        args.addAll(List.of(arguments));
        int exit = new PrepareImageCommand(() -> uid, terminal(), liveRoot).run(context(), args);
        if (args.contains("json") && exit != ExitCode.USAGE) {
            // Every JSON report is what docs/schemas/prepare-image.schema.json describes (issue 23).
            org.seedagent.testing.JsonSchemas.assertValid("prepare-image", out.toString(StandardCharsets.UTF_8));
        }
        return exit;
    }

    private CliContext context() throws IOException {
        Path config = tmp.resolve("seed-agent.conf");
        Files.writeString(
                config,
                "condor.config-val = " + condorConfigVal + "\ncondor.timeout = 20s\n" + "state.directory = "
                        + stateDirectory + "\n");
        return context(config);
    }

    private CliContext context(Path config) {
        ProcessRunner processes = (command, timeout) -> {
            if (!command.get(0).equals("systemctl")) {
                return new SystemProcessRunner().run(command, timeout);
            }
            systemctl.add(String.join(" ", command));
            int code = switch (command.get(1)) {
                case "is-active" -> isActiveExit;
                case "is-enabled" -> isEnabledExit;
                case "stop" -> {
                    stateExistedAtStop = Files.exists(root.resolve("var/lib/seed-agent/state.json"));
                    yield stopExit;
                }
                default -> 1;
            };
            return new ProcessResult(code, "", code == 0 ? "" : "Job failed\n", false);
        };
        return new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC),
                processes,
                settings -> metadata,
                config,
                true);
    }

    private PrepareImageCommand.Terminal terminal() {
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.StringReader(typed == null ? "" : typed));
        return new PrepareImageCommand.Terminal() {
            @Override
            public boolean interactive() {
                return interactive;
            }

            @Override
            public String readLine() throws IOException {
                return in.readLine();
            }
        };
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    // --- assertions ----------------------------------------------------------------------------------

    private void assertNoSecrets() {
        String all = out() + err();
        for (String secret : SECRETS) {
            assertFalse(all.contains(secret), "a secret was printed: " + secret.substring(0, 6) + "...");
        }
    }

    private void assertOwnerAndMode(Path file, int owner, int group, String mode) throws IOException {
        assumeTrue(isRoot(), "owners need root to set up");
        assertEquals(owner, Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(group, Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(
                mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)));
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(
                    List.of(),
                    files.map(Path::getFileName)
                            .map(Path::toString)
                            .filter(n -> n.startsWith(".") && n.endsWith(".tmp"))
                            .toList());
        }
    }

    /** Every path under the root with its type, owner, mode and content checksum (or link target). */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "link " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = "file " + sha256(Files.readAllBytes(p));
                } else {
                    what = "dir";
                }
                tree.put(
                        root.relativize(p).toString(),
                        what + " " + a.get("uid") + ":" + a.get("gid") + " "
                                + Integer.toOctalString((Integer) a.get("mode")));
            }
        }
        return tree;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
