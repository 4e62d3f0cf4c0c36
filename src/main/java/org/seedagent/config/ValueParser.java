package org.seedagent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.logging.Level;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.support.Durations;
import org.seedagent.support.JsonNames;
import org.seedagent.support.Text;

/**
 * Parses the configuration's values one at a time, with errors that name where the value came from: the file
 * and line, or the built-in default. Pure: no I/O (the file and its lines are only named in messages).
 *
 * @param source the file the values were read from, or null for the defaults alone
 * @param values every key's value, the file's over the defaults
 * @param lines the line of each key the file sets
 */
record ValueParser(Path source, Map<ConfigKey, String> values, Map<ConfigKey, Integer> lines) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");
    /** Name endings HTCondor's default LOCAL_CONFIG_DIR_EXCLUDE_REGEXP skips. */
    private static final List<String> SKIPPED_SUFFIXES =
            List.of("~", ".pl", ".py", ".sh", ".rpmsave", ".rpmnew", ".dpkg-old", ".dpkg-dist", ".cfsaved");

    /** Where the values came from, for messages: the file, or {@code built-in default}. */
    private String where() {
        return source == null ? "built-in default" : source.toString();
    }

    private ConfigException invalid(ConfigKey key, String expected) {
        Integer line = lines.get(key);
        String value = values.get(key);
        // The properties format has no inline comments: "key = 30s # comment" makes the comment part of the value.
        String comment = value.contains(" #") || value.startsWith("#")
                ? " (a # after a value is part of the value: put comments on lines of their own)"
                : "";
        return new ConfigException(where() + ": invalid value " + Text.quote(value) + " for key " + key.key()
                + (line == null ? "" : " (line " + line + ")") + "; expected " + expected + comment);
    }

    Duration duration(ConfigKey key, Duration min, Duration max) throws ConfigException {
        String expected = "a duration such as 500ms, 30s, 5m or 6h, between " + Durations.setting(min) + " and "
                + Durations.setting(max);
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
            boolean bare = (uri.getRawPath() == null
                            || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null;
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
    private URI ec2Endpoint() throws ConfigException {
        URI uri = endpoint(ConfigKey.EC2_ENDPOINT);
        if (!"https".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
            throw invalid(
                    ConfigKey.EC2_ENDPOINT,
                    "an https:// URL (http:// only on a loopback address such as"
                            + " 127.0.0.1: the session token and signed requests must not cross the network in clear)");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost")
                || host.equals("[::1]")
                || host.equals("::1")
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
        boolean skipped = n.isEmpty()
                || n.startsWith(".")
                || n.startsWith("#")
                || SKIPPED_SUFFIXES.stream().anyMatch(n::endsWith);
        if (skipped || path.getParent() == null) {
            throw invalid(
                    key,
                    "an absolute path in a config directory whose file name HTCondor reads"
                            + " (not starting with . or #, not ending in ~, .pl, .py, .sh, .rpmsave, .rpmnew, ...)");
        }
        return path;
    }

    <E extends Enum<E>> E choice(ConfigKey key, Class<E> type) throws ConfigException {
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            String name = JsonNames.of(constant);
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
                throw new ConfigException(where() + ": "
                        + methodKey.key() + " = command" + (methodLine == null ? "" : " (line " + methodLine + ")")
                        + " needs " + key.key() + ": a command (absolute path, then arguments)"
                        + (lines.get(key) == null
                                ? ", which is not set"
                                : ", which is empty (line " + lines.get(key) + ")"));
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
                throw invalid(
                        key,
                        kind + " names (a letter or _, then up to 31 letters, digits, _ . -) or numeric "
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
            throw invalid(
                    ConfigKey.EIP_ALLOCATION_ID, "an Elastic IP allocation id such as eipalloc-0123456789abcdef0");
        }
        if (!address.isEmpty() && Ipv4Address.whyInvalid(address) != null) {
            throw invalid(ConfigKey.EIP_ADDRESS, "an IPv4 address in dotted-quad form, such as 203.0.113.10");
        }
        if (!allocation.isEmpty() && !address.isEmpty()) {
            throw invalid(
                    ConfigKey.EIP_ADDRESS,
                    "no value because " + ConfigKey.EIP_ALLOCATION_ID.key() + " is set (name the Elastic IP one way)");
        }
        String reassociate = values.get(ConfigKey.EIP_ALLOW_REASSOCIATION);
        if (!reassociate.equals("true") && !reassociate.equals("false")) {
            throw invalid(ConfigKey.EIP_ALLOW_REASSOCIATION, "true or false");
        }
        URI ec2 = values.get(ConfigKey.EC2_ENDPOINT).isEmpty() ? null : ec2Endpoint();
        return new ElasticIpSettings(
                allocation.isEmpty() ? null : allocation,
                address.isEmpty() ? null : address,
                reassociate.equals("true"),
                duration(ConfigKey.EIP_DEADLINE, Duration.ofSeconds(5), Duration.ofMinutes(10)),
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
