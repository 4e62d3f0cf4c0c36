package org.seedagent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.config.ConfigKey;
import org.seedagent.daemon.SeedDaemon;
import org.seedagent.logging.Level;
import org.seedagent.logging.LogSettings;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;

/**
 * Secrets and permissions. Tokens never reach the log (at debug level, through token refreshes, token
 * endpoint failures and malformed token answers) or the state file; neither do the pool password or the
 * annex key files the checks look at; the fragment is 0644 and the state file world-readable. And every
 * hardening option {@code systemd-analyze security} finds missing in the unit is justified in writing.
 */
class SecurityTest {
    @TempDir
    Path dir;

    @Test
    void daemonAtDebug_throughTokenTrouble_noSecretInLogStateOrFragment() throws Exception {
        try (RawImds imds = RawImds.start("203.0.113.10");
                Rig rig = new Rig(dir, imds.endpoint())) {
            String password = Files.readString(dir.resolve("pool_password")).strip();
            Path accessKey = dir.resolve("annex_access_key");
            Path secretKey = dir.resolve("annex_secret_key");
            Files.writeString(accessKey, "AKIAANNEXSECRET00001\n");
            Files.writeString(secretKey, "annex/secret/key/wJalrXUtnFEMI/K7MDENG\n");
            Files.writeString(
                    rig.condorConfig,
                    Files.readString(rig.condorConfig) + "ANNEX_DEFAULT_ACCESS_KEY_FILE = " + accessKey
                            + "\nANNEX_DEFAULT_SECRET_KEY_FILE = " + secretKey + "\n");
            rig.set(ConfigKey.METADATA_REQUEST_TIMEOUT, "200ms").set(ConfigKey.METADATA_DEADLINE, "1s");
            try (SeedDaemon daemon = rig.daemon()) {
                LogSettings.get().setLevel(Level.DEBUG);
                Rig.bootAndReady(daemon);
                rig.poll(daemon, 1);
                // IMDS restarts: the cached token is refused, a new one is fetched.
                imds.forgetTokens();
                rig.poll(daemon, 1);
                // The token endpoint fails, then answers tokens the SDK cannot use, then too long a token.
                imds.forgetTokens();
                imds.failTokens(HostileMetadataTest.status(500), 3);
                rig.poll(daemon, 1);
                imds.forgetTokens();
                imds.failTokens(
                        (request, exchange) -> exchange.respond(
                                200,
                                Map.of(),
                                (RawImds.TOKEN_PREFIX + "without-ttl-header").getBytes(StandardCharsets.US_ASCII)),
                        HostileMetadataTest.FOREVER);
                rig.poll(daemon, 1);
                imds.failTokens(
                        (request, exchange) -> exchange.respond(
                                200,
                                Map.of("X-aws-ec2-metadata-token-ttl-seconds", "21600"),
                                (RawImds.TOKEN_PREFIX + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII)),
                        HostileMetadataTest.FOREVER);
                rig.poll(daemon, 1);
                imds.heal();
                imds.setPublicIpv4("198.51.100.7");
                rig.poll(daemon, 2);
                assertEquals("198.51.100.7", rig.fragmentHost());
            } finally {
                LogSettings.get().setLevel(Level.INFO);
            }
            String log = rig.log();
            String state = Files.readString(rig.stateDir.resolve("state.json"));
            String fragment = Files.readString(rig.fragment);
            assertTrue(imds.tokenRequests() >= 4, "the scenario fetched several tokens");
            assertTrue(log.contains("<7>"), "the log ran at debug level");
            for (String[] where : new String[][] {{"log", log}, {"state file", state}, {"fragment", fragment}}) {
                assertFalse(imds.containsAnyToken(where[1]), "a token in the " + where[0]);
                assertFalse(where[1].contains(RawImds.TOKEN_PREFIX), "(part of) a token in the " + where[0]);
                assertFalse(where[1].contains(password), "the pool password in the " + where[0]);
                assertFalse(where[1].contains("AKIAANNEXSECRET00001"), "an annex key in the " + where[0]);
                assertFalse(where[1].contains("wJalrXUtnFEMI"), "an annex key in the " + where[0]);
            }
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(rig.fragment)));
            assertEquals(
                    "rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(rig.stateDir.resolve("state.json"))),
                    "world-readable");
            Map<String, Object> json = JSON.std.mapFrom(state);
            Set<String> keys = new LinkedHashSet<>();
            collectKeys(json, "", keys);
            for (String key : keys) {
                assertFalse(
                        key.matches("(?i).*(token|secret|password|credential|key_id).*"),
                        "a secret-looking key: " + key);
            }
            Figures.of("secrets")
                    .with("tokens_issued", imds.tokenRequests())
                    .with("log_lines", log.lines().count())
                    .with("tokens_in_log", 0)
                    .with("tokens_in_state", 0)
                    .with("state_keys_checked", keys.size())
                    .with("fragment_mode", "0644")
                    .with("state_mode", "0644")
                    .record();
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectKeys(Object node, String prefix, Set<String> keys) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                // The checks' results are reports (ids, findings), not secrets: their keys are fixed.
                keys.add(prefix + k);
                collectKeys(v, prefix + k + ".", keys);
            });
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                collectKeys(item, prefix, keys);
            }
        }
    }

    // --- the unit's sandbox ---------------------------------------------------------------------------

    private static final Path UNIT = Path.of("systemd/seed-agent.service");
    private static final Pattern MISSING = Pattern.compile("^✗ (\\S+?)=\\S*\\s");

    /**
     * Every option systemd-analyze rates as missing (✗) is justified, by name (written {@code `Option=}), in
     * docs/SANDBOX.md's section on this unit (not the guard's, whose reasons are its own) or in docs/RELIABILITY.md's
     * security section; the exposure is recorded.
     */
    @Test
    void systemdAnalyzeSecurity_everyOmittedOptionJustifiedInWriting() throws Exception {
        ProcessResult result;
        try {
            result = new SystemProcessRunner()
                    .run(
                            List.of(
                                    "systemd-analyze",
                                    "security",
                                    "--offline=true",
                                    "--no-pager",
                                    UNIT.toAbsolutePath().toString()),
                            Duration.ofSeconds(60));
        } catch (java.io.IOException e) {
            assumeTrue(false, "systemd-analyze is not installed (CI installs it)");
            return;
        }
        Matcher overall = Pattern.compile("Overall exposure level for seed-agent\\.service: (\\d+\\.\\d)")
                .matcher(result.stdout());
        assertTrue(overall.find(), result.stdout() + result.stderr());
        String justified = section(
                        Files.readString(Path.of("docs/SANDBOX.md")),
                        "## The agent's unit: `seed-agent.service`",
                        "\n## ")
                + section(Files.readString(Path.of("docs/RELIABILITY.md")), "## Security", "\n## ");
        List<String> missing = new ArrayList<>();
        List<String> unjustified = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher m = MISSING.matcher(line);
            if (m.find()) {
                String option = m.group(1).split("/")[0];
                missing.add(option);
                if (!justified.contains("`" + option + "=")) {
                    unjustified.add(line.strip());
                }
            }
        }
        assertFalse(missing.isEmpty(), result.stdout());
        assertEquals(
                List.of(),
                unjustified,
                "hardening options left out without a word in docs/SANDBOX.md or docs/RELIABILITY.md");
        Figures.of("unit sandbox")
                .with("exposure", overall.group(1))
                .with("rows_rated_missing", missing.size())
                .with("options", new LinkedHashSet<>(missing).size())
                .with("unjustified", 0)
                .record();
        System.out.println("  left out: " + String.join(", ", new LinkedHashSet<>(missing)));
    }

    private static String section(String text, String heading, String next) {
        int start = text.indexOf(heading);
        assertTrue(start >= 0, "no section " + heading);
        int end = text.indexOf(next, start + heading.length());
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
