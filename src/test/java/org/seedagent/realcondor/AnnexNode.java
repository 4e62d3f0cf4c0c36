package org.seedagent.realcondor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An "annex node": a second condor_master in the seed's namespace with {@code DAEMON_LIST = MASTER STARTD},
 * its own LOCAL_DIR, its own address on {@code lo} as NETWORK_INTERFACE (bound to it alone, so it never
 * competes for the seed's ports), no shared port, the seed's security, and {@code COLLECTOR_HOST} fixed at
 * start to the seed's public address, as condor_annex bakes it into the nodes it creates. Its master is
 * this JVM's child; {@link #close()} stops it by PID (SIGQUIT, then SIGKILL).
 */
public final class AnnexNode implements AutoCloseable {
    private final String name;
    private final String address;
    private final String collector;
    private final Path dir;
    private final Process master;

    private AnnexNode(String name, String address, String collector, Path dir, Process master) {
        this.name = name;
        this.address = address;
        this.collector = collector;
        this.dir = dir;
        this.master = master;
    }

    /**
     * Starts annex node {@code name} ("annex1", ...) on {@code address} (made local here), joining the
     * collector at {@code seedAddress}:9618, with a copy of the seed's pool password (as condor_annex gives it).
     */
    public static AnnexNode start(
            NetNamespace namespace, Path dir, String name, String address, String seedAddress, Path poolPassword)
            throws IOException, InterruptedException {
        Path htcondor = RealHtcondor.home();
        CondorAccount.ensure();
        CondorAccount.openInstall(htcondor);
        CondorAccount.layOut(dir, "log", "spool", "execute", "lock", "run");
        namespace.addAddress(address);
        Path passwords = Files.createDirectories(dir.resolve("passwords.d"));
        Files.setPosixFilePermissions(passwords, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.copy(poolPassword, passwords.resolve("POOL"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path config = dir.resolve("condor_config");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        CondorAccount.localDirectories(htcondor, dir),
                        "# What condor_annex gives a node: the seed's collector address, fixed when the node is made.",
                        "COLLECTOR_HOST = " + seedAddress + ":9618",
                        "CONDOR_HOST = " + seedAddress,
                        "NETWORK_INTERFACE = " + address,
                        "BIND_ALL_INTERFACES = false",
                        "DAEMON_LIST = MASTER STARTD",
                        "MASTER_NAME = " + name,
                        "STARTD_NAME = " + name,
                        "USE_SHARED_PORT = false",
                        "use SECURITY : recommended",
                        "ALLOW_DAEMON = $(ALLOW_DAEMON) root@* condor@*",
                        "MAIL = /bin/true",
                        "UPDATE_INTERVAL = 5",
                        "MASTER_UPDATE_INTERVAL = 5",
                        ""));
        ProcessBuilder builder = namespace
                .builder(List.of(htcondor.resolve("sbin/condor_master").toString(), "-f"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("master.stderr").toFile());
        builder.environment().put("CONDOR_CONFIG", config.toString());
        return new AnnexNode(name, address, seedAddress, dir, builder.start());
    }

    /**
     * Starts annex node {@code name} as {@code htcondor annex} configures one (annex.cpp's
     * {@code createConfigTarball}, verbatim but for the rig's lines, HPC-ANNEX-FACTS.md section 3): its collector
     * is {@code annexCollector}, the seed's ANNEX_COLLECTOR when the annex was made, and it authenticates with
     * {@code token}, an IDTOKEN signed by the seed's AP key, from its tokens.d. The rig's lines: its own
     * LOCAL_DIR, address and names, no shared port of its own, and IDTOKENS as its only method, because the
     * two "hosts" share /tmp here and FS authentication would otherwise pass between them (section 0).
     */
    public static AnnexNode startForHtcondorAnnex(
            NetNamespace namespace,
            Path dir,
            String name,
            String address,
            String annexCollector,
            String scheddName,
            String token)
            throws IOException, InterruptedException {
        Path htcondor = RealHtcondor.home();
        CondorAccount.ensure();
        CondorAccount.openInstall(htcondor);
        CondorAccount.layOut(dir, "log", "spool", "execute", "lock", "run");
        namespace.addAddress(address);
        for (String sub : new String[] {"passwords.d", "tokens.d"}) {
            Path d = Files.createDirectories(dir.resolve(sub));
            Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        Path tokenFile = dir.resolve("tokens.d/" + name + ".token");
        Files.writeString(tokenFile, token.strip() + "\n");
        Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("config.d"));
        Files.writeString(
                dir.resolve("config.d/00ec2-dynamic.config"),
                String.join(
                        "\n",
                        "use security:host_based",
                        "LOCAL_HOSTS = $(FULL_HOSTNAME) $(IP_ADDRESS) 127.0.0.1 $(TCP_FORWARDING_HOST)",
                        "CONDOR_HOST = condor_pool@*/* $(LOCAL_HOSTS)",
                        "COLLECTOR_HOST = " + annexCollector,
                        "",
                        "SEC_DEFAULT_AUTHENTICATION = REQUIRED",
                        "SEC_DEFAULT_AUTHENTICATION_METHODS = FS, PASSWORD",
                        "SEC_DEFAULT_INTEGRITY = REQUIRED",
                        "SEC_DEFAULT_ENCRYPTION = REQUIRED",
                        "",
                        "ALLOW_WRITE = condor_pool@*/* $(LOCAL_HOSTS)",
                        "",
                        "AnnexName = \"" + name + "\"",
                        "IsAnnex = TRUE",
                        "hpc_annex_request_id = \"req-" + name + "\"",
                        "STARTD_ATTRS = $(STARTD_ATTRS) AnnexName IsAnnex hpc_annex_request_id",
                        "MASTER_ATTRS = $(MASTER_ATTRS) AnnexName IsAnnex hpc_annex_request_id.",
                        "",
                        "STARTD_NOCLAIM_SHUTDOWN = 900",
                        "",
                        "START = MY.AnnexName == TARGET.TargetAnnexName",
                        "",
                        "COLLECTOR_HOST = <" + annexCollector + ">",
                        "",
                        "ALLOW_ADMINISTRATOR = $(ALLOW_ADMINISTRATOR) condor_pool@*",
                        "",
                        "SEC_DEFAULT_AUTHENTICATION_METHODS = FS IDTOKENS PASSWORD",
                        "SEC_PASSWORD_DIRECTORY = $(ETC)/passwords.d",
                        "SEC_TOKEN_SYSTEM_DIRECTORY = $(ETC)/tokens.d",
                        "SEC_TOKEN_DIRECTORY = $(ETC)/tokens.d",
                        "",
                        "STARTD_DIRECT_ATTACH_SCHEDD_NAME = " + scheddName,
                        "STARTD_DIRECT_ATTACH_SCHEDD_POOL = " + annexCollector,
                        "STARTD_DIRECT_ATTACH_INTERVAL = 5",
                        "UPDATE_INTERVAL = 5",
                        "# The rig's: the two \"hosts\" share /tmp, so FS would authenticate the annex as root here.",
                        "SEC_DEFAULT_AUTHENTICATION_METHODS = IDTOKENS",
                        ""));
        Path config = dir.resolve("condor_config");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        CondorAccount.localDirectories(htcondor, dir),
                        "ETC = $(LOCAL_DIR)",
                        "LOCAL_CONFIG_DIR = $(LOCAL_DIR)/config.d",
                        "MAIL = /bin/true",
                        "NETWORK_INTERFACE = " + address,
                        "BIND_ALL_INTERFACES = false",
                        "USE_SHARED_PORT = false",
                        "DAEMON_LIST = MASTER STARTD",
                        "MASTER_NAME = " + name,
                        "STARTD_NAME = " + name,
                        "MASTER_UPDATE_INTERVAL = 5",
                        ""));
        ProcessBuilder builder = namespace
                .builder(List.of(htcondor.resolve("sbin/condor_master").toString(), "-f"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("master.stderr").toFile());
        builder.environment().put("CONDOR_CONFIG", config.toString());
        return new AnnexNode(name, address, annexCollector, dir, builder.start());
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    /** The collector address the node was given. */
    public String collector() {
        return collector;
    }

    public long masterPid() {
        return master.pid();
    }

    /** This node's slot ad in the seed's collector, if there. */
    public Optional<SeedPool.Ad> slotIn(SeedPool seed) throws IOException, InterruptedException {
        return seed.ads().stream()
                .filter(a -> a.type().equals("Machine") && a.name().contains("@" + name + "@"))
                .findFirst();
    }

    /** Waits until this node's slot is in the seed's collector; returns how long that took. */
    public Duration awaitSlotIn(SeedPool seed, Duration timeout) throws IOException, InterruptedException {
        try {
            return seed.await(
                    name + "'s slot is in the seed's collector",
                    timeout,
                    () -> master.isAlive() && slotIn(seed).isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + diagnostics(), e);
        }
    }

    /** Waits until this node's slot is no longer in the seed's collector (its updates no longer arrive). */
    public Duration awaitSlotGoneFrom(SeedPool seed, Duration timeout) throws IOException, InterruptedException {
        try {
            return seed.await(
                    name + "'s slot is gone from the seed's collector",
                    timeout,
                    () -> slotIn(seed).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + diagnostics(), e);
        }
    }

    public String diagnostics() {
        return "\n--- " + name + " StartLog:\n" + SeedPool.tail(dir.resolve("log/StartLog"), 15) + "\n--- " + name
                + " master.stderr:\n" + SeedPool.tail(dir.resolve("master.stderr"), 10);
    }

    /**
     * Stops the node. Measured: a node whose collector is unreachable takes 60 s to shut down cleanly (20 s
     * for the master's last update, 40 s for the startd's), so the grace is short: a lost annex node is
     * terminated, not shut down, anyway.
     */
    @Override
    public void close() {
        SeedPool.stop(master.pid(), Duration.ofSeconds(5));
        master.destroyForcibly();
    }
}
