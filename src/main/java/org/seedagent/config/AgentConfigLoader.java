package org.seedagent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads the agent's configuration file (Java properties syntax) over the compiled-in defaults and
 * validates every value into an {@link AgentConfig}. Nothing is half-applied: either every key is
 * valid or the whole file is rejected with a message naming the file, the key, the value and what
 * was expected.
 */
public final class AgentConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("/etc/seed-agent/seed-agent.conf");

    /** Loads {@code file}; a missing file is an error only when {@code required}. */
    public AgentConfig load(Path file, boolean required) throws ConfigException {
        if (!Files.exists(file) && !required) {
            return fromValues(null, Map.of());
        }
        ConfigFileReader.Settings settings = new ConfigFileReader().read(file);
        return validate(file, withDefaults(settings.values()), settings.lines());
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
        return validate(source, withDefaults(overrides), Map.of());
    }

    /** Every key's value: {@code overrides}' where it sets one, else the default. */
    private static Map<ConfigKey, String> withDefaults(Map<ConfigKey, String> overrides) {
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            values.put(key, overrides.getOrDefault(key, key.defaultValue()));
        }
        return values;
    }

    private static AgentConfig validate(Path source, Map<ConfigKey, String> values, Map<ConfigKey, Integer> lines)
            throws ConfigException {
        ValueParser p = new ValueParser(source, values, lines);
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
                new ImdsGuardSettings(
                        p.bool(ConfigKey.IMDS_GUARD_ENABLED),
                        p.accounts(ConfigKey.IMDS_GUARD_ALLOW_USERS, "user"),
                        p.accounts(ConfigKey.IMDS_GUARD_ALLOW_GROUPS, "group"),
                        p.interfaces(ConfigKey.IMDS_GUARD_ALLOW_FORWARD_INTERFACES)),
                p.elasticIp());
    }
}
