package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.condor.FakeCondor;
import org.seedagent.fragment.Fragment;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.realcondor.RealHtcondor;
import org.seedagent.testing.Dist;
import org.seedagent.testing.Trees;

/**
 * {@code seed-agent prepare-image --root DIR --dry-run}, the real program through its launcher, finding the
 * condor_annex key files, the pool password, the password directory and the token directory through the REAL
 * condor_config_val (HTCondor 24.0.23 and 25.0.13, one per failsafe execution, {@link RealHtcondor}): the knobs
 * come from the configuration, from
 * metaknobs and from HTCondor's built-in defaults ($(ETC), $(LOCAL_DIR)), as HTCondor expands them.
 *
 * <p>The tree stands for {@code /} as in PrepareImageCommandTest; only what the real tool itself opens (its
 * configuration files: {@code CONDOR_CONFIG} and {@code LOCAL_CONFIG_DIR}) is given as real paths, so every
 * other path HTCondor reports ({@code /etc/condor/annex/...}) is, as on an instance, a path under the root.
 * Metadata comes from the emulator in a network namespace of its own ({@link IsolatedEmulator}).
 */
class PrepareImageRealHtcondorIT {
    private static final String ANNEX_ID = "AKIAANNEXKEYEXAMPLE1";
    private static final String ANNEX_SECRET = "annexSecretEXAMPLEvalue0123456789abcdefgh";
    private static final String POOL_PASSWORD = "poolPasswordEXAMPLEvalue";
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiIsImtpZCI6IlBPT0wifQ.EXAMPLE.token";
    private static final List<String> SECRETS = List.of(ANNEX_ID, ANNEX_SECRET, POOL_PASSWORD, TOKEN);
    private static final String ARN = "arn:aws:iam::123456789012:instance-profile/seed-annex";

    private static IsolatedEmulator emulator;

    @TempDir
    Path tmp;

    private Path root;

    @BeforeAll
    static void startEmulator() throws Exception {
        RealHtcondor.home();
        emulator = IsolatedEmulator.start(Dist.launcher(), "203.0.113.10");
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

    @Test
    void seedRecipeWithAnnexKeys_findsKeysPasswordAndTokens_changesNothing() throws Exception {
        tree("seed-recipe");
        write(
                "etc/condor/config.d/60-annex",
                "ANNEX_DEFAULT_ACCESS_KEY_FILE = /etc/condor/annex/access\n"
                        + "ANNEX_DEFAULT_SECRET_KEY_FILE = /etc/condor/annex/secret\n"
                        + "SEC_TOKEN_SYSTEM_DIRECTORY = /etc/condor/tokens.d\n");
        secret("etc/condor/annex/access", ANNEX_ID);
        secret("etc/condor/annex/secret", ANNEX_SECRET);
        secret("etc/condor/condor_pool_password", POOL_PASSWORD);
        secret("var/lib/condor/passwords.d/POOL", POOL_PASSWORD);
        secret("etc/condor/tokens.d/seed", TOKEN);
        Map<String, String> before = snapshot();

        Run run = prepareImage("--dry-run");

        assertEquals(ExitCode.FAILURE, run.exit(), run.out());
        assertEquals(before, snapshot(), "a dry run changes nothing");
        for (String expected : List.of(
                "  remove   /etc/condor/config.d/50-seed-agent.conf\n",
                "  FOUND    /etc/condor/annex/access\n           condor_annex key file (ANNEX_DEFAULT_ACCESS_KEY_FILE)\n",
                "  FOUND    /etc/condor/annex/secret\n           condor_annex key file (ANNEX_DEFAULT_SECRET_KEY_FILE)\n",
                "  keep     /etc/condor/condor_pool_password\n           the pool password (SEC_PASSWORD_FILE)\n",
                "  keep     /var/lib/condor/passwords.d/POOL\n",
                "  keep     /etc/condor/tokens.d/seed\n",
                "  keep     instance profile " + ARN + " is attached\n")) {
            assertTrue(run.out().contains(expected), "missing: " + expected + "\n" + run.out());
        }
        assertNoSecrets(run);
    }

    @Test
    void metaknobsAndDefaults_etcMacroExpandedByHtcondor_json() throws Exception {
        // use security: recommended, SEC_PASSWORD_FILE left to HTCondor's default $(SEC_PASSWORD_DIRECTORY)/POOL
        // with SEC_PASSWORD_DIRECTORY = $(ETC)/passwords.d, and the key files named through $(ETC).
        tree("recommended", "annex-keys");
        secret("etc/condor/annex/access_key", ANNEX_ID);
        secret("etc/condor/annex/secret_key", ANNEX_SECRET);
        secret("etc/condor/passwords.d/POOL", POOL_PASSWORD);
        secret("etc/condor/tokens.d/seed", TOKEN);

        Run run = prepareImage("--dry-run", "--format", "json", "--remove-annex-keys");

        assertEquals(ExitCode.OK, run.exit(), run.out());
        Map<String, Object> doc = JSON.std.mapFrom(run.out());
        assertEquals(true, doc.get("dry_run"));
        Map<String, Map<?, ?>> byPath = new TreeMap<>();
        for (Object o : (List<?>) doc.get("findings")) {
            Map<?, ?> finding = (Map<?, ?>) o;
            if (finding.get("path") != null) {
                byPath.put(finding.get("path").toString(), finding);
            }
        }
        assertEquals("remove", byPath.get("/etc/condor/annex/access_key").get("action"), run.out());
        assertEquals("remove", byPath.get("/etc/condor/annex/secret_key").get("action"), run.out());
        assertEquals("keep", byPath.get("/etc/condor/passwords.d/POOL").get("action"), run.out());
        assertEquals("keep", byPath.get("/etc/condor/tokens.d/seed").get("action"), run.out());
        assertTrue(Files.exists(root.resolve("etc/condor/annex/access_key")), "a dry run removes nothing");
        assertNoSecrets(run);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The fixture trees {@code layers} under the root, with seed-agent's fragment and a state file. */
    private void tree(String... layers) throws IOException {
        for (String layer : layers) {
            Trees.copy(FakeCondor.resource("condor/" + layer), root);
        }
        write(
                "etc/condor/config.d/50-seed-agent.conf",
                new Fragment(Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0")
                        .text());
        write("var/lib/seed-agent/state.json", "{\"schema_version\": 1}\n");
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
        // The real tool opens its configuration files itself: those paths must be real ones.
        Path top = root.resolve("etc/condor/condor_config");
        Files.writeString(
                top,
                Files.readString(top)
                        .replace(
                                "LOCAL_CONFIG_DIR = /etc/condor/config.d",
                                "LOCAL_CONFIG_DIR = " + root + "/etc/condor/config.d"));
    }

    private record Run(int exit, String out, String err) {}

    private Run prepareImage(String... arguments) throws Exception {
        Path top = root.resolve("etc/condor/condor_config");
        Path tool = tmp.resolve("bin/condor_config_val");
        Files.createDirectories(tool.getParent());
        Files.writeString(
                tool,
                "#!/bin/sh\nexec env -i PATH=/usr/bin:/bin CONDOR_CONFIG='" + top + "' '"
                        + RealHtcondor.program("condor_config_val") + "' \"$@\"\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = tmp.resolve("seed-agent.conf");
        Files.writeString(
                conf,
                "condor.config-val = " + tool + "\ncondor.timeout = 60s\nmetadata.endpoint = " + emulator.endpoint()
                        + "\nmetadata.deadline = 30s\n");

        List<String> command = new ArrayList<>(List.of(
                Dist.launcher().toString(), "--config", conf.toString(), "prepare-image", "--root", root.toString()));
        command.addAll(List.of(arguments));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process process = new ProcessBuilder(emulator.inside(command))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                fail("prepare-image did not finish within 180 s: " + Files.readString(err));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        assertEquals("", run.err(), "standard error");
        assertFalse(run.out().contains("HTCondor's configuration could not be evaluated"), run.out());
        return run;
    }

    private void assertNoSecrets(Run run) {
        for (String secret : SECRETS) {
            assertFalse(run.out().contains(secret) || run.err().contains(secret), "a secret leaked");
        }
    }

    /** Every file under the root with its content and mode. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(
                        root.relativize(p).toString(),
                        Files.readString(p, StandardCharsets.ISO_8859_1) + " "
                                + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return files;
    }

    private Path write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private void secret(String path, String content) throws IOException {
        Files.setPosixFilePermissions(write(path, content + "\n"), PosixFilePermissions.fromString("rw-------"));
    }
}
