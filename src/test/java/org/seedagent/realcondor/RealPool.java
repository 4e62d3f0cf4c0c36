package org.seedagent.realcondor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole rig of a real-pool scenario, booted in the order systemd gives a seed ({@code seed-agent.service}
 * is {@code Type=notify} and {@code Before=condor.service}): a {@link NetNamespace} with the public address
 * on {@code lo}, the metadata emulator, {@code seed-agent run} until its boot sync is done, and only then
 * the {@link SeedPool}'s master. Annex nodes started through it are closed with it. {@link #close()} stops
 * everything by PID, in reverse order, and then kills whatever is left in the namespace.
 */
public final class RealPool implements AutoCloseable {
    /** Generous: the machine may be loaded by other builds. */
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private final NetNamespace namespace;
    private final SeedPool pool;
    private final SeedAgent agent;
    private final Path dir;
    private final List<AnnexNode> annexes = new ArrayList<>();
    private final Duration bootSync;
    private final Duration advertised;

    private RealPool(
            NetNamespace namespace, SeedPool pool, SeedAgent agent, Path dir, Duration bootSync, Duration advertised) {
        this.namespace = namespace;
        this.pool = pool;
        this.agent = agent;
        this.dir = dir;
        this.bootSync = bootSync;
        this.advertised = advertised;
    }

    /** Boots the rig under {@code dir} with the instance's public address {@code publicIp}. */
    public static RealPool boot(Path dir, SeedPool.Options options, SeedAgent.Settings settings, String publicIp)
            throws IOException, InterruptedException {
        RealHtcondor.home(); // skip (or fail, when required) before anything is started
        requireRoot();
        NetNamespace namespace = NetNamespace.create();
        SeedPool pool = null;
        SeedAgent agent = null;
        try {
            namespace.addAddress(publicIp);
            if (options.hpcAnnex()) {
                namespace.addAddress(SeedPool.PRIVATE);
            }
            pool = SeedPool.create(namespace, dir.resolve("seed"), options);
            agent = SeedAgent.prepare(namespace, pool, dir.resolve("agent"), settings, publicIp);
            agent.start();
            Duration bootSync = agent.awaitBootSync(BOOT_TIMEOUT);
            if (!Files.exists(pool.fragment())) {
                throw new AssertionError("boot sync done but no fragment at " + pool.fragment() + agent.diagnostics());
            }
            if (Files.exists(pool.masterLog())) {
                throw new AssertionError("a master ran before seed-agent's boot sync: " + pool.masterLog() + " exists");
            }
            Instant fragmentWritten = Files.getLastModifiedTime(pool.fragment()).toInstant();
            pool.start();
            if (!pool.firstStart().isAfter(fragmentWritten)) {
                throw new AssertionError("the master started at " + pool.firstStart()
                        + ", before the fragment was written at " + fragmentWritten);
            }
            Duration advertised = pool.awaitAdvertised(publicIp, BOOT_TIMEOUT);
            return new RealPool(namespace, pool, agent, dir, bootSync, advertised);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (agent != null) {
                agent.close();
            }
            if (pool != null) {
                pool.close();
            }
            namespace.close();
            throw e;
        }
    }

    /**
     * A network namespace, the condor account and chown need root: skipped with one line otherwise, unless
     * the real-HTCondor tests are required (CI runs as root).
     */
    private static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        String why = "real-pool tests skipped: they need root (unshare -n, useradd condor, chown)";
        if (!root && "1".equals(System.getenv(RealHtcondor.REQUIRED))) {
            org.junit.jupiter.api.Assertions.fail(why + " (" + RealHtcondor.REQUIRED + "=1: these tests must run)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root, why);
    }

    public NetNamespace namespace() {
        return namespace;
    }

    public SeedPool pool() {
        return pool;
    }

    public SeedAgent agent() {
        return agent;
    }

    /** How long seed-agent took from its start to a recorded boot sync. */
    public Duration bootSync() {
        return bootSync;
    }

    /** How long the seed's daemons took from the master's start to advertising the public address. */
    public Duration firstAdvertised() {
        return advertised;
    }

    /** Starts annex node {@code name} on {@code address}, pointed at the seed's {@code seedAddress}. */
    public AnnexNode annex(String name, String address, String seedAddress) throws IOException, InterruptedException {
        AnnexNode node = AnnexNode.start(namespace, dir.resolve(name), name, address, seedAddress, pool.passwordFile());
        annexes.add(node);
        return node;
    }

    /**
     * Starts annex node {@code name} on {@code address} as {@code htcondor annex} configures one for an htcondor
     * annex seed: given {@code annexCollector} (the seed's ANNEX_COLLECTOR when the annex was made) and
     * {@code token} (an IDTOKEN signed by the AP key), attaching directly to the schedd named {@code scheddName}.
     */
    public AnnexNode htcondorAnnex(String name, String address, String annexCollector, String scheddName, String token)
            throws IOException, InterruptedException {
        AnnexNode node = AnnexNode.startForHtcondorAnnex(
                namespace, dir.resolve(name), name, address, annexCollector, scheddName, token);
        annexes.add(node);
        return node;
    }

    /**
     * The public address changes as EC2 changes it: the old one is gone (removed from {@code lo}, so nodes
     * still using it no longer reach the seed), the new one is the instance's, and the metadata service
     * answers it.
     */
    public void changeAddress(String from, String to) throws IOException, InterruptedException {
        namespace.removeAddress(from);
        namespace.addAddress(to);
        agent.setPublicIp(to);
    }

    /** Everything a failure message should carry. */
    public String diagnostics() {
        StringBuilder text = new StringBuilder(pool.diagnostics()).append(agent.diagnostics());
        annexes.forEach(a -> text.append(a.diagnostics()));
        return text.toString();
    }

    @Override
    public void close() {
        for (int i = annexes.size() - 1; i >= 0; i--) {
            annexes.get(i).close();
        }
        agent.close();
        pool.close();
        namespace.close();
    }
}
