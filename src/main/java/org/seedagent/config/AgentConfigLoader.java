package org.seedagent.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.seedagent.logging.Level;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.support.Durations;
import org.seedagent.support.Failures;
import org.seedagent.support.Text;

/**
 * Reads the agent's configuration file (Java properties syntax) over the compiled-in defaults and
 * validates every value into an {@link AgentConfig}. Nothing is half-applied: either every key is
 * valid or the whole file is rejected with a message naming the file, the key, the value and what
 * was expected.
 */
public final class AgentConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("/etc/seed-agent/seed-agent.conf");

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    /** Name endings HTCondor's default LOCAL_CONFIG_DIR_EXCLUDE_REGEXP skips. */
    private static final List<String> SKIPPED_SUFFIXES = List.of(
            "~", ".pl", ".py", ".sh", ".rpmsave", ".rpmnew", ".dpkg-old", ".dpkg-dist", ".cfsaved");

    /** Loads {@code file}; a missing file is an error only when {@code required}. */
    public AgentConfig load(Path file, boolean required) throws ConfigException {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, key.defaultValue());
        }
        Path source = null;
        Map<ConfigKey, Integer> lines = new EnumMap<>(ConfigKey.class);
        if (Files.exists(file) || required) {
            source = file;
            read(file, values, lines);
        }
        return validate(source, values, lines);
    }

    /** The defaults alone, as used when no configuration file exists. */
    public AgentConfig defaults() {
        try {
            return load(Path.of("/nonexistent/seed-agent.conf"), false);
        } catch (ConfigException e) {
            throw new IllegalStateException("compiled-in defaults are invalid", e);
        }
    }

    /** Validates {@code overrides} over the defaults; used by the demo and tests. */
    public AgentConfig fromValues(Path source, Map<ConfigKey, String> overrides) throws ConfigException {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, overrides.getOrDefault(key, key.defaultValue()));
        }
        return validate(source, values, Map.of());
    }

    /**
     * Unescapes keys the way Commons Configuration unescapes values. Its default for keys is Commons
     * Text's {@code StringEscapeUtils}, whose class initialisation builds HTML entity tables: ~7 ms
     * of the boot path, for keys that are plain ASCII names anyway.
     */
    private static final class KeyUnescapingReader extends PropertiesConfiguration.PropertiesReader {
        KeyUnescapingReader(Reader reader) {
            super(reader);
        }

        @Override
        protected String unescapePropertyName(String name) {
            return unescapePropertyValue(name);
        }
    }

    private static void read(Path file, Map<ConfigKey, String> values, Map<ConfigKey, Integer> lines)
            throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": cannot read configuration file: it is a directory");
        }
        // Commons Configuration's properties reader alone: the full PropertiesConfiguration would also
        // set up variable interpolation (${env:...} and friends), which costs a tenth of a second on
        // the boot path and which the agent's literal settings must not have anyway.
        Map<ConfigKey, Integer> seenAt = new EnumMap<>(ConfigKey.class);
        List<String> unknown = new ArrayList<>();
        try (PropertiesConfiguration.PropertiesReader reader = new KeyUnescapingReader(
                Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            while (reader.nextProperty()) {
                String name = reader.getPropertyName();
                int line = reader.getLineNumber();
                ConfigKey key = ConfigKey.byKey(name);
                if (key == null) {
                    String meant = closestKey(name);
                    unknown.add(name + " (line " + line + ")" + (meant == null ? "" : "; did you mean " + meant + "?"));
                    continue;
                }
                Integer first = seenAt.putIfAbsent(key, line);
                if (first != null) {
                    throw new ConfigException(file + ": key " + name + " is set twice (lines " + first + " and "
                            + line + "); expected it once");
                }
                values.put(key, reader.getPropertyValue().strip());
                lines.put(key, line);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": configuration file does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(file + ": cannot read configuration file: it is not UTF-8 text"
                    + firstLineNotUtf8(file) + " (save it as UTF-8; plain ASCII is UTF-8)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + Failures.reason(e));
        } catch (RuntimeException e) {
            throw new ConfigException(file + ": cannot parse configuration file: " + e.getMessage(), e);
        }
        if (!unknown.isEmpty()) {
            boolean suggested = unknown.stream().allMatch(u -> u.contains("did you mean"));
            throw new ConfigException(file + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + (suggested ? "" : "; expected one of: " + knownKeys()));
        }
    }

    /** " (line N)": the first line that is not UTF-8, or "" when the file cannot be read again. */
    private static String firstLineNotUtf8(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int line = 1;
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, start, i - start));
                    } catch (java.nio.charset.CharacterCodingException e) {
                        return " (line " + line + ")";
                    }
                    line++;
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            // read once already; the message stands without the line
        }
        return "";
    }

    private static AgentConfig validate(Path source, Map<ConfigKey, String> values, Map<ConfigKey, Integer> lines)
            throws ConfigException {
        Parser p = new Parser(source, values, lines);
        return new AgentConfig(
                source,
                p.endpoint(ConfigKey.METADATA_ENDPOINT),
                p.duration(ConfigKey.METADATA_TOKEN_TTL, Duration.ofSeconds(1), Duration.ofHours(6)),
                p.duration(ConfigKey.METADATA_REQUEST_TIMEOUT, Duration.ofMillis(100), Duration.ofSeconds(60)),
                p.duration(ConfigKey.METADATA_DEADLINE, Duration.ofSeconds(1), Duration.ofHours(1)),
                p.fragmentPath(ConfigKey.FRAGMENT_PATH),
                p.choice(ConfigKey.NO_PUBLIC_IP, NoPublicIpPolicy.class),
                p.choice(ConfigKey.BOOT_ON_UNAVAILABLE, BootPolicy.class),
                p.duration(ConfigKey.POLL_INTERVAL, Duration.ofMillis(10), Duration.ofHours(1)),
                p.choice(ConfigKey.RELOAD_METHOD, ReloadMethod.class),
                p.reloadCommand(ConfigKey.RELOAD_COMMAND, ConfigKey.RELOAD_METHOD),
                p.unitName(ConfigKey.CONDOR_UNIT),
                p.duration(ConfigKey.ADVERTISE_TIMEOUT, Duration.ofMinutes(1), Duration.ofHours(2)),
                p.absolutePath(ConfigKey.STATE_DIRECTORY),
                p.absolutePath(ConfigKey.CONDOR_CONFIG_VAL),
                p.duration(ConfigKey.CONDOR_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(10)),
                p.level(ConfigKey.LOG_LEVEL),
                new ImdsGuardSettings(p.bool(ConfigKey.IMDS_GUARD_ENABLED),
                        p.accounts(ConfigKey.IMDS_GUARD_ALLOW_USERS, "user"),
                        p.accounts(ConfigKey.IMDS_GUARD_ALLOW_GROUPS, "group"),
                        p.interfaces(ConfigKey.IMDS_GUARD_ALLOW_FORWARD_INTERFACES)),
                p.elasticIp());
    }

    /** Parses one value at a time, with errors that name where the value came from. */
    private record Parser(Path source, Map<ConfigKey, String> values, Map<ConfigKey, Integer> lines) {
        ConfigException invalid(ConfigKey key, String expected) {
            String where = source == null ? "built-in default" : source.toString();
            Integer line = lines.get(key);
            String value = values.get(key);
            // The properties format has no inline comments: "key = 30s # comment" makes the comment part of the value.
            String comment = value.contains(" #") || value.startsWith("#")
                    ? " (a # after a value is part of the value: put comments on lines of their own)" : "";
            return new ConfigException(where + ": invalid value " + Text.quote(value) + " for key " + key.key()
                    + (line == null ? "" : " (line " + line + ")") + "; expected " + expected + comment);
        }

        Duration duration(ConfigKey key, Duration min, Duration max) throws ConfigException {
            String expected = "a duration such as 500ms, 30s, 5m or 6h, between " + Durations.setting(min) + " and " + Durations.setting(max);
            Matcher m = DURATION.matcher(values.get(key));
            if (!m.matches()) {
                throw invalid(key, expected);
            }
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw invalid(key, expected);
            }
            return d;
        }

        URI endpoint(ConfigKey key) throws ConfigException {
            String expected = "an http:// URL with a host and no path, such as http://169.254.169.254";
            try {
                URI uri = new URI(values.get(key));
                boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
                boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
                if (!web || uri.getHost() == null || !bare) {
                    throw invalid(key, expected);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw invalid(key, expected);
            }
        }

        /**
         * {@code ec2.endpoint}: https, except on a loopback address (tests, a local proxy): the session token and
         * the signed requests would otherwise cross the network in clear.
         */
        URI ec2Endpoint() throws ConfigException {
            URI uri = endpoint(ConfigKey.EC2_ENDPOINT);
            if (!"https".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
                throw invalid(ConfigKey.EC2_ENDPOINT, "an https:// URL (http:// only on a loopback address such as"
                        + " 127.0.0.1: the session token and signed requests must not cross the network in clear)");
            }
            return uri;
        }

        private static boolean isLoopback(String host) {
            return host.equals("localhost") || host.equals("[::1]") || host.equals("::1")
                    || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        }

        Path absolutePath(ConfigKey key) throws ConfigException {
            String raw = values.get(key);
            if (raw.isEmpty() || !raw.startsWith("/") || raw.chars().anyMatch(c -> c < 0x20)) {
                throw invalid(key, "an absolute path");
            }
            if (raw.matches("(?s).*\\s#.*")) {
                // "/etc/x.conf # ours": a comment taken for part of the path would name another file.
                throw invalid(key, "an absolute path without an inline comment");
            }
            return Path.of(raw).normalize();
        }

        Path fragmentPath(ConfigKey key) throws ConfigException {
            Path path = absolutePath(key);
            Path name = path.getFileName();
            String n = name == null ? "" : name.toString();
            boolean skipped = n.isEmpty() || n.startsWith(".") || n.startsWith("#")
                    || SKIPPED_SUFFIXES.stream().anyMatch(n::endsWith);
            if (skipped || path.getParent() == null) {
                throw invalid(key, "an absolute path in a config directory whose file name HTCondor reads"
                        + " (not starting with . or #, not ending in ~, .pl, .py, .sh, .rpmsave, .rpmnew, ...)");
            }
            return path;
        }

        <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) throws ConfigException {
            StringBuilder names = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                String name = constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
                if (name.equals(values.get(key))) {
                    return constant;
                }
                names.append(names.length() == 0 ? "" : ", ").append(name);
            }
            throw invalid(key, "one of " + names);
        }

        List<String> reloadCommand(ConfigKey key, ConfigKey methodKey) throws ConfigException {
            String raw = values.get(key);
            boolean needed = "command".equals(values.get(methodKey));
            if (raw.isEmpty()) {
                if (needed) {
                    // Not set at all: the line to name is the method's.
                    Integer methodLine = lines.get(methodKey);
                    throw new ConfigException((source == null ? "built-in default" : source.toString()) + ": "
                            + methodKey.key() + " = command" + (methodLine == null ? "" : " (line " + methodLine + ")")
                            + " needs " + key.key() + ": a command (absolute path, then arguments)"
                            + (lines.get(key) == null ? ", which is not set" : ", which is empty (line "
                                    + lines.get(key) + ")"));
                }
                return List.of();
            }
            List<String> words = List.of(raw.strip().split("\\s+"));
            if (!words.get(0).startsWith("/") || raw.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw invalid(key, "an absolute program path followed by arguments, separated by spaces");
            }
            if (words.stream().anyMatch(w -> w.startsWith("#"))) {
                // "reload.command = /usr/bin/x arg # why": the comment would be passed as arguments.
                throw invalid(key, "a command without an inline comment");
            }
            return words;
        }

        String unitName(ConfigKey key) throws ConfigException {
            String raw = values.get(key);
            if (!raw.matches("[A-Za-z0-9:_.@\\\\-]{1,250}\\.service")) {
                throw invalid(key, "a systemd service unit name such as condor.service");
            }
            return raw;
        }

        boolean bool(ConfigKey key) throws ConfigException {
            return switch (values.get(key)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw invalid(key, "true or false");
            };
        }

        /** Network interface names, separated by commas or spaces (validated: they go into the rule set). */
        List<String> interfaces(ConfigKey key) throws ConfigException {
            List<String> names = new ArrayList<>();
            for (String word : values.get(key).strip().split("[,\\s]+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (!ImdsGuardSettings.INTERFACE_NAME.matcher(word).matches()) {
                    throw invalid(key, "network interface names (letters, digits, _ . @ -, at most 15 characters)");
                }
                if (!names.contains(word)) {
                    names.add(word);
                }
            }
            if (names.size() > ImdsGuardSettings.MAX_ACCOUNTS) {
                throw invalid(key, "at most " + ImdsGuardSettings.MAX_ACCOUNTS + " interfaces");
            }
            return names;
        }

        /**
         * Account names or numeric ids. Names are checked strictly because the guard's rule set is
         * generated from them: nothing but a plain name can reach the nft script or getent.
         */
        List<String> accounts(ConfigKey key, String kind) throws ConfigException {
            String raw = values.get(key).strip();
            if (raw.isEmpty()) {
                return List.of();
            }
            List<String> accounts = new ArrayList<>();
            for (String word : raw.split("[,\\s]+")) {
                if (word.isEmpty()) {
                    continue;
                }
                boolean numeric = ImdsGuardSettings.NUMERIC_ID.matcher(word).matches();
                if (!numeric && !ImdsGuardSettings.ACCOUNT_NAME.matcher(word).matches()) {
                    throw invalid(key, kind + " names (a letter or _, then up to 31 letters, digits, _ . -) or numeric "
                            + "ids (0 to " + ImdsGuardSettings.MAX_ID + "), separated by commas or spaces; "
                            + Text.quote(word) + " is neither");
                }
                if (numeric && Long.parseLong(word) > ImdsGuardSettings.MAX_ID) {
                    throw invalid(key, "numeric ids from 0 to " + ImdsGuardSettings.MAX_ID);
                }
                if (!accounts.contains(word)) {
                    accounts.add(word);
                }
            }
            if (accounts.size() > ImdsGuardSettings.MAX_ACCOUNTS) {
                throw invalid(key, "at most " + ImdsGuardSettings.MAX_ACCOUNTS + " " + kind + "s");
            }
            return accounts;
        }

        ElasticIpSettings elasticIp() throws ConfigException {
            String allocation = values.get(ConfigKey.EIP_ALLOCATION_ID);
            String address = values.get(ConfigKey.EIP_ADDRESS);
            if (!allocation.isEmpty() && !allocation.matches("eipalloc-[0-9a-f]{8,17}")) {
                throw invalid(ConfigKey.EIP_ALLOCATION_ID, "an Elastic IP allocation id such as eipalloc-0123456789abcdef0");
            }
            if (!address.isEmpty() && Ipv4Address.whyInvalid(address) != null) {
                throw invalid(ConfigKey.EIP_ADDRESS, "an IPv4 address in dotted-quad form, such as 203.0.113.10");
            }
            if (!allocation.isEmpty() && !address.isEmpty()) {
                throw invalid(ConfigKey.EIP_ADDRESS, "no value because " + ConfigKey.EIP_ALLOCATION_ID.key()
                        + " is set (name the Elastic IP one way)");
            }
            String reassociate = values.get(ConfigKey.EIP_ALLOW_REASSOCIATION);
            if (!reassociate.equals("true") && !reassociate.equals("false")) {
                throw invalid(ConfigKey.EIP_ALLOW_REASSOCIATION, "true or false");
            }
            URI ec2 = values.get(ConfigKey.EC2_ENDPOINT).isEmpty() ? null : ec2Endpoint();
            return new ElasticIpSettings(allocation.isEmpty() ? null : allocation, address.isEmpty() ? null : address,
                    reassociate.equals("true"), duration(ConfigKey.EIP_DEADLINE, Duration.ofSeconds(5), Duration.ofMinutes(10)),
                    ec2);
        }

        Level level(ConfigKey key) throws ConfigException {
            try {
                return Level.valueOf(values.get(key).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(key, "one of error, warn, info, debug");
            }
        }
    }

    /** The known key {@code name} was most likely meant to be (a typo: at most 3 edits, or a missing prefix), or null. */
    static String closestKey(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey key : ConfigKey.values()) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), key.key());
            if (key.key().endsWith("." + name)) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = key.key();
            }
        }
        return bestDistance <= Math.min(3, Math.max(1, name.length() / 3)) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String knownKeys() {
        StringBuilder keys = new StringBuilder();
        for (ConfigKey key : ConfigKey.values()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(key.key());
        }
        return keys.toString();
    }
}
