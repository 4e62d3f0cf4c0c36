package org.seedagent.realcondor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;

/** The {@code condor} account HTCondor's daemons switch to, and the directories they write as it. */
final class CondorAccount {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private CondorAccount() {}

    /** Creates the account when it is missing (measured: without it the startd refuses to start). */
    static synchronized void ensure() throws IOException, InterruptedException {
        SystemProcessRunner processes = new SystemProcessRunner();
        if (processes.run(List.of("id", "-u", "condor"), TIMEOUT).succeeded()) {
            return;
        }
        ProcessResult added = processes.run(List.of("useradd", "--system", "--no-create-home", "condor"), TIMEOUT);
        // exit 9: another test created it meanwhile
        if (!added.succeeded() && added.exitCode() != 9) {
            throw new IOException(
                    "useradd --system --no-create-home condor exited " + added.exitCode() + ": " + added.stderr());
        }
    }

    /**
     * Makes the HTCondor install reachable by the condor account: the daemons run as condor and the master
     * execs them from it ("Cannot execute (errno=13, Permission denied)" otherwise). RealHtcondor extracts
     * the bundle through a temp directory, which is created 0700; directories under target/htcondor are
     * opened (o+rx), anything else that blocks the way is reported.
     */
    static void openInstall(Path home) throws IOException {
        Path extracted = Path.of("target", "htcondor").toAbsolutePath();
        for (Path p = home.toAbsolutePath(); p != null; p = p.getParent()) {
            var perms = Files.getPosixFilePermissions(p);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            if (!p.startsWith(extracted)) {
                throw new IOException(
                        "the condor account cannot reach " + home + ": " + p + " is not searchable by others");
            }
            perms = new java.util.HashSet<>(perms);
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
            Files.setPosixFilePermissions(p, perms);
        }
    }

    /** The condor_config lines that run the install {@code htcondor} on the directories {@link #layOut} made in {@code dir}. */
    static String localDirectories(Path htcondor, Path dir) {
        return String.join(
                "\n",
                "RELEASE_DIR = " + htcondor,
                "LOCAL_DIR = " + dir,
                "LOG = $(LOCAL_DIR)/log",
                "SPOOL = $(LOCAL_DIR)/spool",
                "EXECUTE = $(LOCAL_DIR)/execute",
                "LOCK = $(LOCAL_DIR)/lock",
                "RUN = $(LOCAL_DIR)/run");
    }

    /**
     * Creates {@code sub} directories of {@code dir} owned by condor, and opens {@code dir} to it (a JUnit
     * temp directory is 0700: the daemons, running as condor, could not reach their own log directory).
     */
    static void layOut(Path dir, String... sub) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path parent = dir.getParent();
                parent != null
                        && parent.startsWith(System.getProperty("java.io.tmpdir"))
                        && !parent.toString().equals(System.getProperty("java.io.tmpdir"));
                parent = parent.getParent()) {
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String name : sub) {
            Path path = Files.createDirectories(dir.resolve(name));
            ProcessResult chown =
                    new SystemProcessRunner().run(List.of("chown", "condor:condor", path.toString()), TIMEOUT);
            if (!chown.succeeded()) {
                throw new IOException("chown condor " + path + ": " + chown.stderr());
            }
        }
    }
}
