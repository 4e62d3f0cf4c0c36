package org.seedagent.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.ProcessRunner;

/**
 * Applies and removes the guard's rule set with {@code nft -f}. The applied script is kept in the
 * unit's runtime directory ({@value #RULESET_NAME}, world-readable): it shows what is in force, and its
 * presence tells unprivileged readers (the daemon's checks, {@code seed-agent status}) that the guard
 * was applied, since listing nftables needs CAP_NET_ADMIN. systemd removes the directory when the
 * unit stops.
 */
public final class ImdsGuard {
    /** The guard unit's {@code RuntimeDirectory=}. */
    public static final Path RUNTIME_DIRECTORY = Path.of("/run/seed-agent-imds-guard");

    public static final String RULESET_NAME = "ruleset.nft";
    public static final String UNIT = "seed-agent-imds-guard.service";
    static final Duration NFT_TIMEOUT = Duration.ofSeconds(30);

    /** Why {@code nft} failed. */
    public static final class NftException extends Exception {
        public NftException(String message) {
            super(message);
        }
    }

    private final ProcessRunner processes;
    private final String nft;
    private final Path runtimeDirectory;

    public ImdsGuard(ProcessRunner processes, String nft, Path runtimeDirectory) {
        this.processes = Objects.requireNonNull(processes, "processes");
        this.nft = Objects.requireNonNull(nft, "nft");
        this.runtimeDirectory = Objects.requireNonNull(runtimeDirectory, "runtimeDirectory");
    }

    /** Applies {@code script} (from {@link GuardRuleset#render}) in one transaction and records it. */
    public void apply(String script) throws NftException, IOException, InterruptedException {
        Files.createDirectories(runtimeDirectory);
        Path applied = runtimeDirectory.resolve(RULESET_NAME);
        Path temp = runtimeDirectory.resolve("." + RULESET_NAME + ".tmp");
        Files.writeString(temp, script, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            run(List.of(nft, "-f", temp.toString()));
            try {
                Files.move(temp, applied, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, applied, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes the guard's table (nothing else) and its record. The record is set aside first: the watch puts the
     * table back whenever a record says it should be there, and would otherwise race the removal. If nft fails,
     * the table stays in force, and so does its record (put back).
     */
    public void remove() throws NftException, IOException, InterruptedException {
        Files.createDirectories(runtimeDirectory);
        Path record = runtimeDirectory.resolve(RULESET_NAME);
        Path aside = runtimeDirectory.resolve("." + RULESET_NAME + ".removing");
        boolean hadRecord = Files.exists(record, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (hadRecord) {
            Files.move(record, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        Path temp = runtimeDirectory.resolve(".removal.nft.tmp");
        try {
            Files.writeString(temp, GuardRuleset.removal(), StandardCharsets.UTF_8);
            run(List.of(nft, "-f", temp.toString()));
            Files.deleteIfExists(aside);
        } catch (NftException | IOException | InterruptedException | RuntimeException e) {
            if (hadRecord) {
                Files.move(aside, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            throw e;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Whether the guard's table exists now ({@code nft list table}). */
    public boolean tableExists() throws NftException, InterruptedException {
        String[] table = GuardRuleset.TABLE.split(" ");
        try {
            ProcessResult result = processes.run(List.of(nft, "list", "table", table[0], table[1]), NFT_TIMEOUT);
            if (result.timedOut()) {
                throw new NftException(nft + " list table timed out after " + NFT_TIMEOUT.toSeconds() + " s");
            }
            return result.exitCode() == 0;
        } catch (IOException e) {
            throw new NftException("cannot run " + nft + ": " + e.getMessage());
        }
    }

    private void run(List<String> command) throws NftException, InterruptedException {
        ProcessResult result;
        try {
            result = processes.run(command, NFT_TIMEOUT);
        } catch (IOException e) {
            throw new NftException("cannot run " + nft + " (install nftables): " + e.getMessage());
        }
        if (result.timedOut()) {
            throw new NftException(String.join(" ", command) + " timed out after " + NFT_TIMEOUT.toSeconds() + " s");
        }
        if (result.exitCode() != 0) {
            String err = result.stderr().strip();
            throw new NftException(String.join(" ", command) + " exited " + result.exitCode()
                    + (err.isEmpty()
                            ? ""
                            : ": "
                                    + err.lines()
                                            .limit(6)
                                            .reduce((a, b) -> a + " / " + b)
                                            .orElse("")));
        }
    }
}
