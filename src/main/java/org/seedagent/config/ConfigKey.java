package org.seedagent.config;

import org.seedagent.support.JsonNames;

/**
 * Every key of {@code /etc/seed-agent/seed-agent.conf}, with its default and what it means. The
 * README's table and {@code seed-agent config} are generated from the same list, so they cannot drift.
 */
public enum ConfigKey {
    METADATA_ENDPOINT(
            "metadata.endpoint",
            "http://169.254.169.254",
            "Base URL of the instance metadata service (IMDSv2). Use http://[fd00:ec2::254] for IPv6-only subnets."),
    METADATA_TOKEN_TTL(
            "metadata.token-ttl",
            "6h",
            "Lifetime requested for the IMDSv2 session token (1s to 6h). One token is reused until it nears expiry."),
    METADATA_REQUEST_TIMEOUT(
            "metadata.request-timeout",
            "2s",
            "Time-out of one metadata request, as a whole: connecting, sending and reading the answer (100ms to 60s)."),
    METADATA_DEADLINE(
            "metadata.deadline",
            "60s",
            "Overall deadline for one metadata read, retries included (1s to 1h). At boot HTCondor waits at most this long."),
    FRAGMENT_PATH(
            "fragment.path",
            "/etc/condor/config.d/50-seed-agent.conf",
            "The HTCondor config fragment seed-agent owns. Must be an absolute path whose name HTCondor reads."),
    NO_PUBLIC_IP(
            "no-public-ip",
            "local-ipv4",
            "When the instance has no public IPv4: local-ipv4 (forward to the private address), remove (delete the fragment) or keep (leave it)."),
    BOOT_ON_UNAVAILABLE(
            "boot.on-unavailable",
            "keep",
            "At boot, when the metadata service does not answer within metadata.deadline: keep the previous fragment, or remove it."),
    POLL_INTERVAL(
            "poll.interval",
            "60s",
            "How often the daemon reads the public IPv4 (10ms to 1h; under 1s only for tests and benchmarks), with +-10% jitter. One metadata request per poll."),
    RELOAD_METHOD(
            "reload.method",
            "restart",
            "How HTCondor is told about a new address while it runs: restart (systemctl restart: every daemon and local tool on the new address within seconds; the schedd and collectors restart), reload (systemctl reload: SIGHUP; with shared port the daemons keep the old address, and normal users cannot submit or query, for up to ~5 min), none, or command."),
    RELOAD_COMMAND(
            "reload.command",
            "",
            "With reload.method = command: the command to run (absolute path, then arguments, separated by spaces)."),
    CONDOR_UNIT(
            "condor.unit",
            "condor.service",
            "HTCondor's systemd unit, for reload, restart and the is-it-running test."),
    ADVERTISE_TIMEOUT(
            "advertise.timeout",
            "10m",
            "Warn when HTCondor's daemons still advertise the old address this long after a reload (1m to 2h)."),
    STATE_DIRECTORY(
            "state.directory",
            "/var/lib/seed-agent",
            "Where the daemon keeps state.json (world-readable, no secrets) for seed-agent status."),
    CONDOR_CONFIG_VAL(
            "condor.config-val",
            "/usr/bin/condor_config_val",
            "Path of condor_config_val, used to evaluate HTCondor's configuration."),
    CONDOR_TIMEOUT(
            "condor.timeout", "20s", "Time-out of one HTCondor command (condor_config_val, reload) (1s to 10m)."),
    LOG_LEVEL("log.level", "info", "Lowest level logged: error, warn, info or debug."),
    IMDS_GUARD_ENABLED(
            "imds-guard.enabled",
            "true",
            "Whether seed-agent-imds-guard.service lets only root and the accounts below reach the instance metadata service (true or false). Applied by systemctl reload seed-agent-imds-guard."),
    IMDS_GUARD_ALLOW_USERS(
            "imds-guard.allow-users",
            "",
            "Users besides root who may reach the instance metadata service, e.g. the account that runs condor_annex: names or numeric uids, separated by commas or spaces."),
    IMDS_GUARD_ALLOW_GROUPS(
            "imds-guard.allow-groups",
            "",
            "Groups that may reach the instance metadata service: names or numeric gids, separated by commas or spaces. Matched on a process's effective group, not its supplementary groups."),
    IMDS_GUARD_ALLOW_FORWARD_INTERFACES(
            "imds-guard.allow-forward-interfaces",
            "",
            "Network interfaces whose forwarded packets may reach the instance metadata service (containers on a bridge, e.g. docker0): exact names, separated by commas or spaces. Empty: forwarded packets to it are rejected."),
    EIP_ALLOCATION_ID(
            "eip.allocation-id",
            "",
            "The Elastic IP (eipalloc-...) to associate with this instance at boot, before HTCondor starts. Empty: none."),
    EIP_ADDRESS(
            "eip.address",
            "",
            "The same, named by its address (a dotted quad) instead of eip.allocation-id; set at most one of the two."),
    EIP_ALLOW_REASSOCIATION(
            "eip.allow-reassociation",
            "false",
            "true: take the Elastic IP over when another instance holds it (a replaced seed); false: report the holder."),
    EIP_DEADLINE(
            "eip.deadline",
            "30s",
            "How long the claim may hold the boot up, the wait for the metadata service to show the address included (5s to 10m)."),
    EC2_ENDPOINT(
            "ec2.endpoint",
            "",
            "EC2 API endpoint instead of https://ec2.REGION.amazonaws.com (the region comes from instance metadata). For tests and VPC endpoints: https, or http only on a loopback address.");

    private final String key;
    private final String defaultValue;
    private final String description;

    ConfigKey(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The key named {@code key} in the configuration file, or null for an unknown one. */
    public static ConfigKey byKey(String key) {
        return JsonNames.parse(ConfigKey.class, ConfigKey::key, key).orElse(null);
    }
}
