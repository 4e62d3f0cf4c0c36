package org.seedagent.checks;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seedagent.condor.CondorConfigView;
import org.seedagent.condor.CondorMaster;
import org.seedagent.condor.Knob;
import org.seedagent.guard.GuardRecord;
import org.seedagent.guard.MetadataAccess;
import org.seedagent.guard.MetadataAccessProbe;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.support.HeldDirectory;

/**
 * The thin I/O layer in front of {@link Checks#evaluate}: reads the metadata, stats files, searches for
 * AWS credential files, resolves names and probes the public IP. Every path is resolved under
 * {@link CheckEnvironment#root()}. Never reads more of a credential file than needed to see whether it
 * holds keys, and never keeps or reports its content.
 */
public final class FactsGatherer {
    static final String IAM_INFO = "iam/info";
    private static final int CREDENTIAL_READ_LIMIT = 256 * 1024;
    private static final Pattern AWS_KEY = Pattern.compile(
            "^\\s*(aws_access_key_id|aws_secret_access_key|aws_session_token)\\s*=", Pattern.CASE_INSENSITIVE);

    private final CheckEnvironment environment;

    public FactsGatherer(CheckEnvironment environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    // --- metadata ----------------------------------------------------------------------------------

    /**
     * Reads the public address, the instance facts and {@code iam/info}. When the public address cannot
     * be read, nothing else is tried: each read would wait for the whole deadline again.
     */
    public static MetadataFacts metadata(InstanceMetadata metadata) throws InterruptedException {
        Optional<Ipv4Address> publicIp;
        try {
            publicIp = metadata.publicIpv4();
        } catch (MetadataException e) {
            return MetadataFacts.unavailable(e.getMessage());
        } catch (RuntimeException e) {
            return MetadataFacts.unavailable(describe(e));
        }
        InstanceFacts facts;
        try {
            facts = metadata.facts();
        } catch (RuntimeException e) {
            facts = InstanceFacts.UNKNOWN;
        }
        MetadataFacts.InstanceProfile profile;
        try {
            profile = metadata.raw(IAM_INFO).isPresent()
                    ? MetadataFacts.InstanceProfile.ATTACHED
                    : MetadataFacts.InstanceProfile.NONE;
        } catch (MetadataException | RuntimeException e) {
            profile = MetadataFacts.InstanceProfile.UNKNOWN;
        }
        return MetadataFacts.of(publicIp.orElse(null), facts, profile);
    }

    // --- the IMDS guard -----------------------------------------------------------------------------

    /**
     * Whether an unprivileged process can reach {@code endpoint} (tried by {@code probe} only when root
     * could read instance metadata: otherwise a refusal would prove nothing), with the guard unit's record.
     */
    public MetadataAccess metadataAccess(MetadataAccessProbe probe, URI endpoint, MetadataFacts metadata)
            throws InterruptedException {
        GuardRecord applied = GuardRecord.read(environment.root());
        if (!metadata.available()) {
            return MetadataAccess.notChecked(
                    "root could not read instance metadata either (see public-address)", applied);
        }
        return probe.probe(endpoint).withGuard(applied);
    }

    /** The daemon's view: it never switches users (its unit has no capabilities), so the guard's record alone. */
    public MetadataAccess metadataAccessUnprobed(String why) {
        return MetadataAccess.notChecked(why, GuardRecord.read(environment.root()));
    }

    // --- files -------------------------------------------------------------------------------------

    /** Stats the files the checks need and searches for AWS credential files. {@code view} may be null. */
    public FileFacts files(CondorConfigView view, String fragmentPath) {
        return files(view, fragmentPath, true);
    }

    /**
     * As {@link #files(CondorConfigView, String)}; without {@code surveyHomes} (the daemon) no user's home
     * directory is read at all: a process running as root has no business there unattended.
     */
    public FileFacts files(CondorConfigView view, String fragmentPath, boolean surveyHomes) {
        Map<String, FileStat> stats = new LinkedHashMap<>();
        for (String path : Checks.filesToExamine(view, fragmentPath)) {
            stats.put(path, stat(path));
        }
        List<FileFacts.CredentialFile> credentials = new ArrayList<>();
        List<String> unsearchable = new ArrayList<>();
        List<String> homes = surveyHomes ? homes() : List.of();
        for (String home : homes) {
            String aws = (home.endsWith("/") ? home : home + "/") + ".aws";
            // Opened once from the root, never through a link; the files read relative to it (issue 21).
            try (HeldDirectory directory =
                    HeldDirectory.open(environment.root(), Path.of(aws.replaceFirst("^/+", "")))) {
                for (String name : List.of("credentials", "config")) {
                    String path = aws + "/" + name;
                    try {
                        keysIn(directory, name)
                                .ifPresent(holds -> credentials.add(new FileFacts.CredentialFile(path, holds)));
                    } catch (IOException e) {
                        unsearchable.add(path + " (" + describe(e) + ")");
                    }
                }
            } catch (NoSuchFileException e) {
                // no ~/.aws
            } catch (IOException e) {
                // HeldDirectory names the directory at fault as the instance does: its message is the reason.
                unsearchable.add(
                        aws + " (" + Show.value(e.getMessage() == null ? "cannot be opened" : e.getMessage()) + ")");
            }
        }
        if (view != null) {
            for (Knob knob : Checks.annexKeyFiles(view)) {
                String path = knob.value().strip();
                if (path.startsWith("/") && Files.isRegularFile(under(path))) {
                    credentials.add(new FileFacts.CredentialFile(path, "annex key file, " + knob.name()));
                }
            }
        }
        return new FileFacts(stats, credentials, surveyHomes ? homes.size() : FileFacts.NOT_SURVEYED, unsearchable);
    }

    FileStat stat(String path) {
        Path file = under(path);
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:uid,mode,isRegularFile");
            String owner = Files.getOwner(file).getName();
            return FileStat.of(
                    path,
                    (Boolean) unix.get("isRegularFile"),
                    (Integer) unix.get("uid"),
                    owner,
                    (Integer) unix.get("mode") & 07777);
        } catch (NoSuchFileException e) {
            return FileStat.missing(path);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return posixStat(path, file);
        } catch (IOException e) {
            return FileStat.unexamined(path, describe(e));
        }
    }

    private static FileStat posixStat(String path, Path file) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            int mode = 0;
            for (PosixFilePermission p : a.permissions()) {
                mode |= 1 << (8 - p.ordinal());
            }
            String owner = a.owner().getName();
            return FileStat.of(path, a.isRegularFile(), owner.equals("root") ? 0 : -1, owner, mode);
        } catch (NoSuchFileException e) {
            return FileStat.missing(path);
        } catch (IOException | UnsupportedOperationException e) {
            return FileStat.unexamined(path, describe(e));
        }
    }

    /**
     * Home directories of root and of every account in /etc/passwd whose home directory exists, as
     * the instance names them (absolute paths), root's first. Also where prepare-image looks for
     * shell history.
     */
    public List<String> homes() {
        Set<String> homes = new LinkedHashSet<>();
        String rootHome = "/root";
        List<String> others = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(under("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length < 7 || line.startsWith("#")) {
                    continue;
                }
                String home = fields[5];
                if (fields[2].equals("0") && fields[0].equals("root") && home.startsWith("/")) {
                    rootHome = home;
                } else if (home.startsWith("/") && !home.equals("/")) {
                    others.add(home);
                }
            }
        } catch (IOException e) {
            // No readable /etc/passwd: root's home is still searched.
        }
        homes.add(rootHome);
        for (String home : others) {
            if (Files.isDirectory(under(home), LinkOption.NOFOLLOW_LINKS)) {
                homes.add(home);
            }
        }
        return List.copyOf(homes);
    }

    /**
     * The names of the AWS keys in the file {@code name} of {@code directory} (never their values), or empty when it
     * holds none or does not exist; a link, FIFO or device is not read.
     *
     * @throws IOException when it cannot be told whether the file holds keys
     */
    private static Optional<String> keysIn(HeldDirectory directory, String name) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = directory.attributes(name);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        byte[] head;
        try {
            head = directory.readHead(name, CREDENTIAL_READ_LIMIT);
        } catch (IOException e) {
            return Optional.of("present, but cannot be read: " + describe(e));
        }
        Set<String> keys = new LinkedHashSet<>();
        for (String line : new String(head, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = AWS_KEY.matcher(line);
            if (m.find()) {
                keys.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", keys));
    }

    // --- network -----------------------------------------------------------------------------------

    /** Resolves the names in the configuration and, when HTCondor runs, connects to the public IP. */
    public NetworkFacts network(CondorConfigView view, MetadataFacts metadata) {
        if (view == null) {
            return NetworkFacts.NONE;
        }
        Map<String, NetworkFacts.Resolution> resolutions = new LinkedHashMap<>();
        for (String name : Checks.namesToResolve(view)) {
            try {
                resolutions.put(
                        name, new NetworkFacts.Resolution(environment.resolver().ipv4Addresses(name), null));
            } catch (IOException e) {
                resolutions.put(name, new NetworkFacts.Resolution(List.of(), describe(e)));
            }
        }
        return new NetworkFacts(selfReachability(view, metadata), resolutions);
    }

    private NetworkFacts.SelfReachability selfReachability(CondorConfigView view, MetadataFacts metadata) {
        if (metadata.publicIp().isEmpty()) {
            return NetworkFacts.SelfReachability.notAttempted();
        }
        if (CondorMaster.pid(environment.root()).isEmpty()) {
            return NetworkFacts.SelfReachability.notRunning();
        }
        String address = metadata.publicIp().get().text();
        int port = Checks.selfReachabilityPort(view);
        long start = System.nanoTime();
        try {
            environment.connector().connect(address, port, environment.connectTimeout());
            return new NetworkFacts.SelfReachability(
                    NetworkFacts.Outcome.REACHED, address, port, (System.nanoTime() - start) / 1_000_000, null);
        } catch (SocketTimeoutException e) {
            return new NetworkFacts.SelfReachability(
                    NetworkFacts.Outcome.FAILED,
                    address,
                    port,
                    (System.nanoTime() - start) / 1_000_000,
                    "no answer within " + environment.connectTimeout().toMillis() + " ms");
        } catch (IOException e) {
            return new NetworkFacts.SelfReachability(
                    NetworkFacts.Outcome.FAILED, address, port, (System.nanoTime() - start) / 1_000_000, describe(e));
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** {@code path} (absolute, as HTCondor names it) under the environment's root. */
    private Path under(String path) {
        return environment.root().resolve(path.replaceFirst("^/+", "")).normalize();
    }

    /** The failure in words, without Java's class names; its untrusted text escaped. */
    private static String describe(Exception e) {
        return Show.value(org.seedagent.support.Failures.plain(e));
    }
}
