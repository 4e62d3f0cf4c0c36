package org.seedagent.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java runtime the running agent was started on and the start-up cache it was given (issue 24), read from its
 * command line in /proc: the launcher execs {@code java <options> ... org.seedagent.cli.Main}, with
 * {@code -XX:AOTCache=} on JDK 25+ or {@code -XX:SharedArchiveFile=} on JDK 17 and 21 when it has a current one.
 *
 * @param java the java binary, as the launcher named it
 * @param javaVersion JAVA_VERSION from the runtime's {@code release} file, or null when there is none
 * @param cache {@code aot} (a JDK 25 AOT cache), {@code appcds} (an AppCDS archive) or {@code none}
 * @param cachePath the cache's file, or null with {@code none}
 */
record AgentRuntime(String java, String javaVersion, String cache, String cachePath) {
    private static final String MAIN = "org.seedagent.cli.Main";

    /** What {@code pid}'s command line says, under {@code root} (for /); null when it is not the agent or unreadable. */
    static AgentRuntime read(Path root, long pid) {
        if (pid <= 0) {
            return null;
        }
        List<String> argv;
        try {
            Path process = root.resolve("proc").resolve(Long.toString(pid));
            // The agent runs as root; a process of another user (a recycled pid from a stale state file) could
            // name any file as its java, which root's status would then read.
            String owner = Files.getOwner(process).getName();
            if (!owner.equals("root") && !owner.equals(System.getProperty("user.name"))) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(process.resolve("cmdline"));
            argv = List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (argv.isEmpty() || !argv.get(0).endsWith("java") || !argv.contains(MAIN)) {
            return null;
        }
        String cache = "none";
        String cachePath = null;
        for (String arg : argv.subList(0, argv.indexOf(MAIN))) {
            if (arg.startsWith("-XX:AOTCache=")) {
                cache = "aot";
                cachePath = arg.substring("-XX:AOTCache=".length());
            } else if (arg.startsWith("-XX:SharedArchiveFile=")) {
                cache = "appcds";
                cachePath = arg.substring("-XX:SharedArchiveFile=".length());
            }
        }
        return new AgentRuntime(argv.get(0), version(root, argv.get(0)), cache, cachePath);
    }

    /** JAVA_VERSION of {@code java}'s home (its release file), or null. */
    private static String version(Path root, String java) {
        Path binary = Path.of(java);
        if (!binary.isAbsolute()
                || binary.getParent() == null
                || binary.getParent().getParent() == null) {
            return null;
        }
        Path release = root.resolve(
                binary.getParent().getParent().resolve("release").toString().substring(1));
        try {
            // A regular file of release-file size only: never a FIFO (it would hang status) or something huge.
            if (!Files.isRegularFile(release) || Files.size(release) > 64 * 1024) {
                return null;
            }
            for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String value = line.substring("JAVA_VERSION=".length()).strip();
                    return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                            ? value.substring(1, value.length() - 1)
                            : value;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** For {@code status --long}: "17.0.15 (/usr/lib/jvm/jre-17/bin/java), AppCDS archive /var/lib/...". */
    String words() {
        String cacheWords = switch (cache) {
            case "aot" -> "AOT cache " + cachePath;
            case "appcds" -> "AppCDS archive " + cachePath;
            default -> "no start-up cache";
        };
        return (javaVersion == null ? "version unknown" : javaVersion) + " (" + java + "), " + cacheWords;
    }
}
