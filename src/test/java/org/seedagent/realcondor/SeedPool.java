package org.seedagent.realcondor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.seedagent.support.ProcessResult;
import org.seedagent.testing.Await;

/**
 * A real HTCondor seed (central manager and submit node) as a personal pool inside a {@link NetNamespace}:
 * its own LOCAL_DIR under {@code dir}, {@code config.d/} as LOCAL_CONFIG_DIR (the agent's fragment goes
 * there), {@code DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD}, update intervals of 5 s and a short
 * CLASSAD_LIFETIME so ads appear and age out within seconds, shared port on or off.
 *
 * <p>As in the original seed recipe, {@code CONDOR_HOST = $(TCP_FORWARDING_HOST)} and
 * {@code COLLECTOR_HOST = $(TCP_FORWARDING_HOST):9618}: the seed's own daemons reach their collector
 * through the public address the agent puts in force, exactly as annex nodes do, so a wrong or stale
 * address shows in the pool itself. NETWORK_INTERFACE is 127.0.0.1 (the "private" address; daemons bind
 * every interface, so they also answer on the public addresses made local in the namespace).
 *
 * <p>HTCondor runs under a {@code systemctl} stand-in ({@link #systemctlDirectory()}, put first on the
 * agent's PATH) that maps {@code condor.service} onto this pool the way HTCondor's unit does:
 * {@code start} = {@code condor_master -f} in the namespace, {@code reload} = {@code kill -HUP} of the
 * master ({@code ExecReload=/bin/kill -HUP $MAINPID}), {@code restart} = SIGQUIT ({@code KillSignal}),
 * wait, start; {@code is-active} = is the master alive. Anything else fails, as on a host without
 * systemd. So the agent's own systemd code path runs, and the fixture starts and reloads the pool the
 * same way. The master's PID is kept in {@code condor.pid}; {@link #close()} stops it by that PID and
 * {@link NetNamespace#close()} kills whatever else is left in the namespace.
 */
public final class SeedPool implements AutoCloseable {
    /** MasterLog's line for each SIGHUP the master receives (HTCondor 24.0.23). */
    static final String SIGHUP_LINE = "Got SIGHUP.  Re-reading config files.";
    /** MasterLog's banner line at each start of the master. */
    static final String START_LINE = "** condor_master (CONDOR_MASTER) STARTING UP";
    /** The seed's daemon ad types (condor_status MyType). */
    public static final List<String> SEED_TYPES = List.of("DaemonMaster", "Collector", "Negotiator", "Scheduler");

    /**
     * How the pool is set up.
     *
     * @param useSharedPort USE_SHARED_PORT (the classic seed only: an htcondor annex seed needs it)
     * @param hpcAnnex the seed of today instead of the 2019 recipe: {@code use ROLE: CentralManager},
     *     {@code use ROLE: Submit}, {@code use SECURITY: recommended}, {@code use FEATURE: HPC_ANNEX}, with the
     *     private address {@link #PRIVATE} as CONDOR_HOST and a host name with dots ({@link #HOSTNAME})
     */
    public record Options(boolean useSharedPort, boolean hpcAnnex) {
        public Options(boolean useSharedPort) {
            this(useSharedPort, false);
        }

        /** The htcondor annex seed (shared port on, as it must be). */
        public static Options hpcAnnexSeed() {
            return new Options(true, true);
        }
    }

    /** The htcondor annex seed's private address (on {@code lo} in the namespace, as every address here). */
    public static final String PRIVATE = "10.0.0.5";
    /**
     * The htcondor annex seed's name: annex nodes attach to the schedd by its Name, and a name without a dot is
     * looked up in DNS and fails (HPC-ANNEX-FACTS.md section 0); on EC2 it is ip-10-0-0-5.ec2.internal.
     */
    public static final String HOSTNAME = "ip-10-0-0-5.ec2.internal";

    /** One ad as {@code condor_status -any -af MyType Name MyAddress} prints it. */
    public record Ad(String type, String name, String address) {
        private static final Pattern HOST = Pattern.compile("^<([^:>?]+)");

        /** The host of MyAddress ({@code <203.0.113.10:9618?...>} gives 203.0.113.10), or null. */
        public String host() {
            Matcher m = HOST.matcher(address);
            return m.find() ? m.group(1) : null;
        }
    }

    private final NetNamespace namespace;
    private final Path dir;
    private final Path htcondor;
    private final Options options;
    private Instant firstStart;

    private SeedPool(NetNamespace namespace, Path dir, Path htcondor, Options options) {
        this.namespace = namespace;
        this.dir = dir;
        this.htcondor = htcondor;
        this.options = options;
    }

    /** Lays out the pool under {@code dir} (not started: the agent's boot sync comes first). */
    public static SeedPool create(NetNamespace namespace, Path dir, Options options)
            throws IOException, InterruptedException {
        Path htcondor = RealHtcondor.home();
        SeedPool pool = new SeedPool(namespace, dir, htcondor, options);
        CondorAccount.ensure();
        CondorAccount.openInstall(htcondor);
        CondorAccount.layOut(dir, "log", "spool", "execute", "lock", "run");
        Files.createDirectories(pool.configDirectory());
        Files.writeString(
                pool.configFile(),
                options.hpcAnnex()
                        ? hpcAnnexConfig(htcondor, dir, pool.configDirectory())
                        : String.join(
                                "\n",
                                CondorAccount.localDirectories(htcondor, dir),
                                "LOCAL_CONFIG_DIR = " + pool.configDirectory(),
                                "# As the seed recipe: everything follows the public address seed-agent puts in force.",
                                "CONDOR_HOST = $(TCP_FORWARDING_HOST)",
                                "COLLECTOR_HOST = $(TCP_FORWARDING_HOST):9618",
                                "NETWORK_INTERFACE = 127.0.0.1",
                                "DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD",
                                "USE_SHARED_PORT = " + options.useSharedPort(),
                                "use SECURITY : recommended",
                                "ALLOW_DAEMON = $(ALLOW_DAEMON) root@* condor@*",
                                "MAIL = /bin/true",
                                "# Ads within seconds, and gone within seconds once their daemon stops updating.",
                                "UPDATE_INTERVAL = 5",
                                "MASTER_UPDATE_INTERVAL = 5",
                                "SCHEDD_INTERVAL = 5",
                                "NEGOTIATOR_INTERVAL = 5",
                                "NEGOTIATOR_UPDATE_INTERVAL = 5",
                                "COLLECTOR_UPDATE_INTERVAL = 5",
                                "CLASSAD_LIFETIME = 20",
                                ""));
        pool.writeSystemctl();
        pool.storePoolPassword();
        return pool;
    }

    /** The seed of today, as the HTCondor manual's recipe has it, with the rig's directories and intervals. */
    private static String hpcAnnexConfig(Path htcondor, Path dir, Path configDirectory) {
        return String.join(
                "\n",
                CondorAccount.localDirectories(htcondor, dir),
                "LOCAL_CONFIG_DIR = " + configDirectory,
                "# Every address is on lo here: bind the private one (daemons still answer on all of them).",
                "NETWORK_INTERFACE = " + PRIVATE,
                "NETWORK_HOSTNAME = " + HOSTNAME,
                "CONDOR_HOST = " + PRIVATE,
                "use ROLE: CentralManager",
                "use ROLE: Submit",
                "use SECURITY: recommended",
                "use FEATURE: HPC_ANNEX",
                "ALLOW_DAEMON = $(ALLOW_DAEMON) root@* condor@*",
                "MAIL = /bin/true",
                "UPDATE_INTERVAL = 5",
                "MASTER_UPDATE_INTERVAL = 5",
                "SCHEDD_INTERVAL = 5",
                "NEGOTIATOR_INTERVAL = 5",
                "NEGOTIATOR_UPDATE_INTERVAL = 5",
                "COLLECTOR_UPDATE_INTERVAL = 5",
                "CLASSAD_LIFETIME = 20",
                "");
    }

    public Path directory() {
        return dir;
    }

    /** What annex nodes of an htcondor annex seed are given: ANNEX_COLLECTOR as HTCondor evaluates it now. */
    public String annexCollector() throws IOException, InterruptedException {
        ProcessResult result = namespace.run(environment(), List.of(program("condor_config_val"), "ANNEX_COLLECTOR"));
        if (!result.succeeded()) {
            throw new IOException(
                    "condor_config_val ANNEX_COLLECTOR exited " + result.exitCode() + ": " + result.stderr());
        }
        return result.stdout().strip();
    }

    /** {@code condor_status -pool COLLECTOR ARGS...}: the AP collector's ads, as annex nodes see them. */
    public List<String> statusAt(String collector, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program("condor_status"), "-pool", collector));
        command.addAll(List.of(args));
        ProcessResult result = namespace.run(environment(), command);
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", command) + " exited " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
        return result.stdout()
                .lines()
                .filter(l -> !l.isBlank())
                .map(String::strip)
                .toList();
    }

    /** Runs an HTCondor tool of the seed in the namespace, as root or (when {@code user} is not null) as that user. */
    public ProcessResult tool(String user, Path workingDirectory, String... command)
            throws IOException, InterruptedException {
        return tool(null, user, workingDirectory, command);
    }

    /**
     * {@link #tool} killed after {@code limit} (exit 124 then): a probe of when a tool works again, which a tool
     * retrying an unreachable address for 20 s would otherwise blur.
     */
    public ProcessResult toolWithin(Duration limit, String user, Path workingDirectory, String... command)
            throws IOException, InterruptedException {
        return tool(limit, user, workingDirectory, command);
    }

    private ProcessResult tool(Duration limit, String user, Path workingDirectory, String... command)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (user != null) {
            full.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--reset-env"));
        }
        full.addAll(List.of("env", "CONDOR_CONFIG=" + configFile(), "PATH=/usr/bin:/bin"));
        if (workingDirectory != null) {
            full.addAll(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory.toString()));
        }
        if (limit != null) {
            full.addAll(List.of("timeout", "-k", "1", Long.toString(limit.toSeconds())));
        }
        full.add(program(command[0]));
        full.addAll(List.of(command).subList(1, command.length));
        return namespace.run(Map.of(), full);
    }

    public Path configFile() {
        return dir.resolve("condor_config");
    }

    public Path configDirectory() {
        return dir.resolve("config.d");
    }

    /** Where seed-agent writes its fragment. */
    public Path fragment() {
        return configDirectory().resolve("50-seed-agent.conf");
    }

    /**
     * The pool password (SEC_PASSWORD_FILE's default, $(LOCAL_DIR)/passwords.d/POOL), made before the first
     * start as on a seed built from an image: otherwise the collector creates it at its first start, after
     * the agent's boot checks have already reported it missing.
     */
    public Path passwordFile() {
        return dir.resolve("passwords.d/POOL");
    }

    private void storePoolPassword() throws IOException, InterruptedException {
        Files.createDirectories(
                passwordFile().getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String secret = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        ProcessResult stored = namespace.run(
                environment(),
                List.of(
                        program("condor_store_cred"),
                        "add",
                        "-f",
                        passwordFile().toString(),
                        "-p",
                        secret));
        if (!stored.succeeded() || !Files.exists(passwordFile())) {
            throw new IOException("condor_store_cred add -f " + passwordFile() + " exited " + stored.exitCode() + ": "
                    + stored.stderr() + stored.stdout());
        }
    }

    public Path masterLog() {
        return dir.resolve("log/MasterLog");
    }

    /** The master's standard error: where configuration errors go (MasterLog says nothing of them). */
    public Path masterStderr() {
        return dir.resolve("master.stderr");
    }

    /** The directory with the {@code systemctl} stand-in, to put first on the agent's PATH. */
    public Path systemctlDirectory() {
        return dir.resolve("bin");
    }

    public Options options() {
        return options;
    }

    public Map<String, String> environment() {
        return Map.of("CONDOR_CONFIG", configFile().toString());
    }

    /** {@code systemctl start condor.service} through the stand-in; returns the master's PID. */
    public long start() throws IOException, InterruptedException {
        // Taken before the start is asked for: the master cannot have started earlier. (The process table's
        // start time is derived from the boot time in whole seconds: too coarse to order against a file.)
        Instant asked = Instant.now();
        systemctl("start");
        long pid = awaitMaster();
        if (firstStart == null) {
            firstStart = asked;
        }
        return pid;
    }

    /** When the master was first started (no earlier than this). */
    public Instant firstStart() {
        return firstStart;
    }

    /** {@code systemctl reload condor.service}: SIGHUP to the master. */
    public void reload() throws IOException, InterruptedException {
        systemctl("reload");
    }

    /** {@code systemctl restart condor.service}: SIGQUIT, wait, start again. */
    public long restart() throws IOException, InterruptedException {
        systemctl("restart");
        return awaitMaster();
    }

    /** The master the stand-in just started, once it is condor_master (setsid has exec'd). */
    private long awaitMaster() throws IOException, InterruptedException {
        Path file = dir.resolve("condor.pid");
        long[] pid = new long[1];
        await("condor_master runs", Duration.ofSeconds(20), () -> {
            pid[0] = Long.parseLong(Files.readString(file).strip());
            return masterAlive(pid[0]);
        });
        return pid[0];
    }

    /** The running master's PID; fails when none runs. */
    public long masterPid() throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("condor.pid")).strip());
        if (!masterAlive(pid)) {
            throw new IllegalStateException("condor_master (pid " + pid + ") is not running; " + diagnostics());
        }
        return pid;
    }

    /** Whether {@code pid} is a live condor_master. */
    public static boolean masterAlive(long pid) {
        try {
            return NetNamespace.alive(pid)
                    && Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                            .strip()
                            .equals("condor_master");
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGHUPs the master received, counted from its log (each one logs {@value #SIGHUP_LINE}). */
    public int sighupsReceived() throws IOException {
        return count(SIGHUP_LINE);
    }

    /** How many times a master started on this pool. */
    public int masterStarts() throws IOException {
        return count(START_LINE);
    }

    private int count(String line) throws IOException {
        if (!Files.exists(masterLog())) {
            return 0;
        }
        return (int) Files.readAllLines(masterLog(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(line))
                .count();
    }

    /** Every ad in the collector, as condor_status (run in the namespace) prints them. */
    public List<Ad> ads() throws IOException, InterruptedException {
        return ads(namespace.run(
                environment(), List.of(program("condor_status"), "-any", "-af", "MyType", "Name", "MyAddress")));
    }

    /**
     * {@link #ads()} with condor_status killed after {@code limit} (an IOException then): a probe, as
     * {@link #toolWithin}.
     */
    public List<Ad> adsWithin(Duration limit) throws IOException, InterruptedException {
        return ads(toolWithin(limit, null, null, "condor_status", "-any", "-af", "MyType", "Name", "MyAddress"));
    }

    private static List<Ad> ads(ProcessResult result) throws IOException {
        if (!result.succeeded()) {
            throw new IOException("condor_status exited " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
        List<Ad> ads = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String[] words = line.strip().split(" ");
            if (words.length >= 3) {
                String name = String.join(" ", List.of(words).subList(1, words.length - 1));
                ads.add(new Ad(words[0], name, words[words.length - 1]));
            }
        }
        return ads;
    }

    /** The seed's own ads (annex nodes' ads are named after them: "annex..."). */
    public List<Ad> seedAds() throws IOException, InterruptedException {
        return seedAds(ads());
    }

    /** {@link #seedAds()} with condor_status killed after {@code limit}, as {@link #adsWithin}. */
    public List<Ad> seedAdsWithin(Duration limit) throws IOException, InterruptedException {
        return seedAds(adsWithin(limit));
    }

    private static List<Ad> seedAds(List<Ad> ads) {
        return ads.stream()
                .filter(a -> SEED_TYPES.contains(a.type()) && !a.name().startsWith("annex"))
                .toList();
    }

    /** The hosts the seed's daemons advertise, per ad type (a type may show two while an old ad ages out). */
    public Map<String, Set<String>> advertisedAddresses() throws IOException, InterruptedException {
        Map<String, Set<String>> byType = new LinkedHashMap<>();
        for (Ad ad : seedAds()) {
            byType.computeIfAbsent(ad.type(), t -> new LinkedHashSet<>()).add(ad.host());
        }
        return byType;
    }

    /**
     * Waits until every seed daemon advertises {@code host} (and, but for the collector, whose ad is
     * named after its address so the old one ages out beside the new, none advertises another);
     * returns how long that took.
     */
    public Duration awaitAdvertised(String host, Duration timeout) throws IOException, InterruptedException {
        Predicate<Map<String, Set<String>>> done = byType -> SEED_TYPES.stream().allMatch(type -> {
            Set<String> hosts = byType.getOrDefault(type, Set.of());
            return type.equals("Collector") ? hosts.contains(host) : hosts.equals(Set.of(host));
        });
        return await("the seed's daemons advertise " + host, timeout, () -> done.test(advertisedAddresses()));
    }

    /** What to attach to a failure: the state of the pool and the tails of its logs. */
    public String diagnostics() {
        StringBuilder text = new StringBuilder();
        text.append("\n--- ").append(masterStderr()).append(":\n").append(tail(masterStderr(), 20));
        text.append("\n--- ").append(masterLog()).append(":\n").append(tail(masterLog(), 30));
        text.append("\n--- ")
                .append(dir.resolve("systemctl.log"))
                .append(":\n")
                .append(tail(dir.resolve("systemctl.log"), 20));
        return text.toString();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Stops the master: SIGQUIT (a fast, clean shutdown), then SIGKILL after a bounded wait. */
    @Override
    public void close() {
        try {
            String text = Files.exists(dir.resolve("condor.pid"))
                    ? Files.readString(dir.resolve("condor.pid")).strip()
                    : "";
            if (!text.isEmpty()) {
                stop(Long.parseLong(text), Duration.ofSeconds(30));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("SeedPool.close: " + e);
        }
    }

    /**
     * SIGQUIT to a master (its fast shutdown), then, after {@code grace}, SIGKILL to it and to the daemons it
     * had started (taken before the signal: once the master is gone they are no longer its descendants).
     */
    static void stop(long pid, Duration grace) {
        if (!masterAlive(pid)) {
            return;
        }
        List<ProcessHandle> daemons =
                ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
        signal(pid, "QUIT");
        try {
            Await.that("master " + pid + " to exit", grace).tryUntil(() -> !NetNamespace.alive(pid));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // SIGKILL all the same
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        daemons.forEach(ProcessHandle::destroyForcibly);
    }

    static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String program(String name) {
        return RealHtcondor.program(name).toString();
    }

    private void systemctl(String verb) throws IOException, InterruptedException {
        ProcessResult result = namespace.run(
                Map.of(), List.of(systemctlDirectory().resolve("systemctl").toString(), verb, "condor.service"));
        if (!result.succeeded()) {
            throw new IOException("systemctl " + verb + " condor.service (stand-in) exited " + result.exitCode() + ": "
                    + result.stderr() + diagnostics());
        }
    }

    /** The stand-in for systemctl; see the class comment. Every call is logged to systemctl.log. */
    private void writeSystemctl() throws IOException {
        Files.createDirectories(systemctlDirectory());
        Path script = systemctlDirectory().resolve("systemctl");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "# systemctl stand-in of the real-pool tests: condor.service only, as HTCondor's unit runs it.",
                        "CONDOR_CONFIG='" + configFile() + "'; export CONDOR_CONFIG",
                        "PIDFILE='" + dir.resolve("condor.pid") + "'",
                        "echo \"$(date -u +%FT%T.%N) $*\" >> '" + dir.resolve("systemctl.log") + "'",
                        "verb=; unit=",
                        "for a in \"$@\"; do case \"$a\" in -*) ;; *) if [ -z \"$verb\" ]; then verb=$a; else unit=$a; fi ;; esac; done",
                        "case \"$unit\" in condor|condor.service) ;; *) echo \"systemctl stand-in: only condor.service: $*\" >&2; exit 1 ;; esac",
                        "alive() {",
                        "  pid=$(cat \"$PIDFILE\" 2>/dev/null) && [ -n \"$pid\" ] && [ -r /proc/$pid/stat ] || return 1",
                        "  # a zombie (exited, not yet reaped) is not running",
                        "  case \"$(sed 's/.*) //' /proc/$pid/stat | cut -c1)\" in Z) return 1 ;; esac",
                        "  [ \"$(cat /proc/$pid/comm 2>/dev/null)\" = condor_master ]",
                        "}",
                        "start() {",
                        "  setsid '" + htcondor.resolve("sbin/condor_master") + "' -f >> '" + masterStderr()
                                + "' 2>&1 < /dev/null &",
                        "  echo $! > \"$PIDFILE\"",
                        "}",
                        "stop() {",
                        "  alive || return 0",
                        "  kill -QUIT \"$pid\"; i=0",
                        "  while alive && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done",
                        "  alive && kill -KILL \"$pid\"; return 0",
                        "}",
                        "case \"$verb\" in",
                        "  is-active) if alive; then echo active; exit 0; else echo inactive; exit 3; fi ;;",
                        "  reload) alive || { echo \"Job for condor.service failed: not active\" >&2; exit 1; }; kill -HUP \"$pid\" ;;",
                        "  restart) stop; start ;;",
                        "  start) alive || start ;;",
                        "  stop) stop ;;",
                        "  *) echo \"systemctl stand-in: $verb not supported\" >&2; exit 1 ;;",
                        "esac",
                        ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A condition polled until it holds or the deadline passes. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }

    /** Polls {@code condition} every 250 ms until it holds (returns the time it took) or {@code timeout} passes. */
    public Duration await(String what, Duration timeout, Condition condition) throws IOException, InterruptedException {
        return Await.that(what, timeout)
                .every(Duration.ofMillis(250))
                .ignoring(IOException.class, RuntimeException.class) // a tool failing while daemons restart: try again
                .detail(() -> {
                    String ads;
                    try {
                        ads = ads().stream().map(Ad::toString).collect(Collectors.joining("\n"));
                    } catch (IOException | RuntimeException e) {
                        ads = e.toString();
                    }
                    return "ads:\n" + ads + diagnostics();
                })
                .until(condition::holds);
    }
}
