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
    public static AnnexNode start(NetNamespace namespace, Path dir, String name, String address, String seedAddress,
            Path poolPassword) throws IOException, InterruptedException {
        Path htcondor = RealHtcondor.home();
        CondorAccount.ensure();
        CondorAccount.openInstall(htcondor);
        CondorAccount.layOut(dir, "log", "spool", "execute", "lock", "run");
        namespace.addAddress(address);
        Path passwords = Files.createDirectories(dir.resolve("passwords.d"));
        Files.setPosixFilePermissions(passwords, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.copy(poolPassword, passwords.resolve("POOL"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path config = dir.resolve("condor_config");
        Files.writeString(config, String.join("\n",
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
        ProcessBuilder builder = namespace.builder(List.of(htcondor.resolve("sbin/condor_master").toString(), "-f"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("master.stderr").toFile());
        builder.environment().put("CONDOR_CONFIG", config.toString());
        return new AnnexNode(name, address, seedAddress, dir, builder.start());
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
        return seed.ads().stream().filter(a -> a.type().equals("Machine") && a.name().contains("@" + name + "@")).findFirst();
    }

    /** Waits until this node's slot is in the seed's collector; returns how long that took. */
    public Duration awaitSlotIn(SeedPool seed, Duration timeout) throws IOException, InterruptedException {
        try {
            return seed.await(name + "'s slot is in the seed's collector", timeout,
                    () -> master.isAlive() && slotIn(seed).isPresent());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + diagnostics(), e);
        }
    }

    /** Waits until this node's slot is no longer in the seed's collector (its updates no longer arrive). */
    public Duration awaitSlotGoneFrom(SeedPool seed, Duration timeout) throws IOException, InterruptedException {
        try {
            return seed.await(name + "'s slot is gone from the seed's collector", timeout, () -> slotIn(seed).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + diagnostics(), e);
        }
    }

    public String diagnostics() {
        return "\n--- " + name + " StartLog:\n" + SeedPool.tail(dir.resolve("log/StartLog"), 15)
                + "\n--- " + name + " master.stderr:\n" + SeedPool.tail(dir.resolve("master.stderr"), 10);
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
