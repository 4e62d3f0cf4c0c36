package org.seedagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seedagent.logging.Level;

class AgentConfigLoaderTest {
    @TempDir
    Path dir;

    private final AgentConfigLoader loader = new AgentConfigLoader();

    @Test
    void load_noFileNotRequired_defaults() throws ConfigException {
        AgentConfig config = loader.load(dir.resolve("absent.conf"), false);
        assertNull(config.source());
        assertEquals(URI.create("http://169.254.169.254"), config.metadataEndpoint());
        assertEquals(Duration.ofHours(6), config.tokenTtl());
        assertEquals(Duration.ofSeconds(2), config.requestTimeout());
        assertEquals(Duration.ofSeconds(60), config.metadataDeadline());
        assertEquals(Path.of("/etc/condor/config.d/50-seed-agent.conf"), config.fragmentPath());
        assertEquals(NoPublicIpPolicy.LOCAL_IPV4, config.noPublicIp());
        assertEquals(Path.of("/usr/bin/condor_config_val"), config.condorConfigVal());
        assertEquals(Level.INFO, config.logLevel());
    }

    @Test
    void load_noFileRequired_errorNamesFile() {
        Path file = dir.resolve("absent.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, true));
        assertTrue(
                e.getMessage().contains(file.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void load_everyKeySet_valuesParsed() throws IOException, ConfigException {
        Path file = write("""
                # comments and blank lines are fine

                metadata.endpoint = http://127.0.0.1:8169
                metadata.token-ttl = 300s
                metadata.request-timeout = 500ms
                metadata.deadline = 2m
                fragment.path = /etc/condor/config.d/99-seed.conf
                no-public-ip = remove
                condor.config-val = /opt/condor/bin/condor_config_val
                condor.timeout = 5s
                log.level = debug
                """);
        AgentConfig config = loader.load(file, true);
        assertEquals(file, config.source());
        assertEquals(URI.create("http://127.0.0.1:8169"), config.metadataEndpoint());
        assertEquals(Duration.ofSeconds(300), config.tokenTtl());
        assertEquals(Duration.ofMillis(500), config.requestTimeout());
        assertEquals(Duration.ofMinutes(2), config.metadataDeadline());
        assertEquals(Path.of("/etc/condor/config.d/99-seed.conf"), config.fragmentPath());
        assertEquals(NoPublicIpPolicy.REMOVE, config.noPublicIp());
        assertEquals(Path.of("/opt/condor/bin/condor_config_val"), config.condorConfigVal());
        assertEquals(Duration.ofSeconds(5), config.condorTimeout());
        assertEquals(Level.DEBUG, config.logLevel());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "metadata.endpoint | ftp://169.254.169.254 | an http:// URL",
                "metadata.endpoint | http://169.254.169.254/latest | an http:// URL",
                "metadata.endpoint | not a url | an http:// URL",
                "metadata.token-ttl | 0s | between 1s and 6h",
                "metadata.token-ttl | 7h | between 1s and 6h",
                "metadata.token-ttl | six hours | a duration",
                "metadata.request-timeout | 10ms | between 100ms and 1m",
                "metadata.deadline | -5s | a duration",
                "fragment.path | relative/50-seed-agent.conf | an absolute path",
                "fragment.path | /etc/condor/config.d/.hidden | whose file name HTCondor reads",
                "fragment.path | /etc/condor/config.d/seed.rpmnew | whose file name HTCondor reads",
                "fragment.path | /etc/condor/config.d/seed~ | whose file name HTCondor reads",
                "fragment.path | /etc/condor/config.d/#seed | whose file name HTCondor reads",
                "no-public-ip | delete | one of local-ipv4, remove, keep",
                "condor.config-val | condor_config_val | an absolute path",
                "condor.timeout | 0s | between 1s and 10m",
                "log.level | verbose | one of error, warn, info, debug",
            })
    void load_invalidValue_messageNamesFileKeyValueAndExpectation(String key, String value, String expected)
            throws IOException {
        Path file = write(key + " = " + value + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, true));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(message.contains("key " + key), message);
        assertTrue(message.contains("\"" + value.strip() + "\""), message);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void load_unknownKey_rejectedWithKnownKeys() throws IOException {
        Path file = write("metadata.endpiont = http://127.0.0.1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, true));
        assertTrue(e.getMessage().contains("unknown key metadata.endpiont (line 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("metadata.endpoint"), e.getMessage());
    }

    @Test
    void load_keyTwice_rejected() throws IOException {
        Path file = write("log.level = info\nlog.level = debug\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, true));
        assertTrue(e.getMessage().contains("log.level is set twice (lines 1 and 2)"), e.getMessage());
    }

    @Test
    void load_directoryInsteadOfFile_clearError() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir, true));
        assertTrue(e.getMessage().startsWith(dir + ": cannot read"), e.getMessage());
    }

    @Test
    void load_valueWithNewlineEscape_rejectedNotInjected() throws IOException {
        Path file = write("fragment.path = /etc/condor/config.d/a\\nALLOW_WRITE=*\n");
        assertThrows(ConfigException.class, () -> loader.load(file, true));
    }

    @Test
    void load_escapesInKeys_unescapedLikeProperties() throws IOException, ConfigException {
        // A \\uXXXX escape and an escaped separator in a key, as java.util.Properties reads them.
        Path file = write("poll\\u002einterval = 5s\nlog.level\\:x = debug\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, true));
        assertTrue(e.getMessage().contains("unknown key log.level:x (line 2)"), e.getMessage());
        assertEquals(
                Duration.ofSeconds(5),
                loader.load(write("poll\\u002einterval = 5s\n"), true).pollInterval());
    }

    @Test
    void configKeys_everyDefaultIsValid() {
        AgentConfig defaults = loader.defaults();
        assertEquals(Duration.ofSeconds(20), defaults.condorTimeout());
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("seed-agent.conf");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void unknownKey_aTypo_suggestsTheKeyMeant_withItsLine() throws Exception {
        Path file = dir.resolve("typo.conf");
        Files.writeString(file, "# comment\npoll.interval = 30s\n\n\n\n\nno-publc-ip = keep\n");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertEquals(file + ": unknown key no-publc-ip (line 7); did you mean no-public-ip?", e.getMessage());
    }

    @Test
    void unknownKey_nothingClose_listsTheKeys() throws Exception {
        Path file = dir.resolve("unknown.conf");
        Files.writeString(file, "completely.different = x\n");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertTrue(
                e.getMessage()
                        .startsWith(file + ": unknown key completely.different (line 1); expected one of: "
                                + "metadata.endpoint"),
                e.getMessage());
    }

    @Test
    void inlineComment_theErrorSaysCommentsGoOnTheirOwnLine() throws Exception {
        Path file = dir.resolve("comment.conf");
        Files.writeString(file, "poll.interval = 30s # every half minute\n");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertTrue(e.getMessage().contains("for key poll.interval (line 1); expected "), e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith("(a # after a value is part of the value: put comments on lines of their" + " own)"),
                e.getMessage());
    }

    @Test
    void notUtf8_saysSo_noJavaMessage() throws Exception {
        Path file = dir.resolve("latin1.conf");
        Files.write(file, new byte[] {'#', ' ', (byte) 0xe9, 't', 'e', '\n', 'a', ' ', '=', ' ', 'b', '\n'});

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertEquals(
                file + ": cannot read configuration file: it is not UTF-8 text (line 1) (save it as UTF-8; plain"
                        + " ASCII is UTF-8)",
                e.getMessage());
    }

    @Test
    void notUtf8_onALaterLine_namesThatLine() throws Exception {
        Path file = dir.resolve("latin1-later.conf");
        Files.write(file, ("poll.interval = 30s\n# fine\n# caf").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(file, new byte[] {(byte) 0xe9, '\n'}, java.nio.file.StandardOpenOption.APPEND);

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertTrue(e.getMessage().contains("it is not UTF-8 text (line 3)"), e.getMessage());
    }

    @Test
    void pathWithAnInlineComment_saysCommentsGoOnTheirOwnLine() throws Exception {
        Path file = dir.resolve("path-comment.conf");
        Files.writeString(file, "# where\nfragment.path = /etc/condor/config.d/50-seed-agent.conf # ours\n");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertTrue(
                e.getMessage()
                        .contains("for key fragment.path (line 2); expected an absolute path without an inline"
                                + " comment (a # after a value is part of the value"),
                e.getMessage());
    }

    @Test
    void reloadMethodCommand_withoutACommand_namesTheMethodsLine() throws Exception {
        Path file = dir.resolve("command.conf");
        Files.writeString(file, "# reload by our own script\nreload.method = command\n");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertEquals(
                file + ": reload.method = command (line 2) needs reload.command: a command (absolute path, then"
                        + " arguments), which is not set",
                e.getMessage());
    }

    @Test
    void reloadCommand_withAnInlineComment_saysCommentsGoOnTheirOwnLine() throws Exception {
        Path file = dir.resolve("command-comment.conf");
        Files.writeString(
                file, "reload.method = command\nreload.command = /usr/local/bin/reload-condor --soft # quick\n");

        ConfigException e = assertThrows(ConfigException.class, () -> new AgentConfigLoader().load(file, true));

        assertTrue(
                e.getMessage()
                        .contains(
                                "for key reload.command (line 2); expected a command without an inline"
                                        + " comment (a # after a value is part of the value: put comments on lines of their own)"),
                e.getMessage());
    }
}
