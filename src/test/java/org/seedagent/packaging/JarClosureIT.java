package org.seedagent.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seedagent.testing.Dist;

/**
 * The one jar is cut down (shade's minimizeJar) for the three modules the SDK's credentials provider brings in;
 * every other dependency must be shipped whole. This proves both on the built jar: nothing the agent's code
 * reaches through byte code is missing (jdeps finds it nowhere), and no other runtime dependency lost a class.
 */
class JarClosureIT {
    /** The modules pom.xml lets shade cut down (auth, regions, http-auth), by the packages their classes live in. */
    private static final List<String> CUT_DOWN = List.of(
            "software.amazon.awssdk.auth.",
            "software.amazon.awssdk.regions.",
            "software.amazon.awssdk.http.auth.scheme.",
            "software.amazon.awssdk.http.auth.signer.",
            "software.amazon.awssdk.http.auth.internal.");
    /**
     * Optional dependencies the SDK looks for by class name before it uses them (OptionalDependencyLoaderUtil):
     * the CRT-based signer, and the event-stream library for signing event streams. The agent uses neither;
     * pom.xml leaves the event-stream modules out.
     */
    private static final List<String> OPTIONAL_ABSENT =
            List.of("software.amazon.awssdk.crt.", "software.amazon.awssdk.crtcore.", "software.amazon.eventstream.");
    /** A jdeps -verbose:class line: from, to, and where "to" was found ("not found" when nowhere). */
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(.+?)\\s*$");

    private static final String NOT_FOUND = "not found";

    private static Path jar;
    private static Set<String> classes;

    @BeforeAll
    static void findJar() throws IOException {
        Path lib = Dist.launcher().getParent().resolveSibling("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            List<Path> found = jars.filter(p -> p.toString().endsWith(".jar")).toList();
            assertEquals(1, found.size(), "one jar in " + lib + ": " + found);
            jar = found.get(0);
        }
        classes = classNames(jar);
    }

    @Test
    void everyClassTheAgentReachesIsInTheJar() {
        Map<String, Set<String>> edges = new HashMap<>();
        Set<String> notFound = new HashSet<>();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        // -filter:none: the default drops edges within one package, which would hide a missing neighbour.
        int exit = jdeps.run(
                new PrintWriter(out),
                new PrintWriter(err),
                "-verbose:class",
                "-filter:none",
                "--multi-release",
                "17",
                jar.toString());
        assertEquals(0, exit, "jdeps failed: " + err);
        for (String line : out.toString().split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.matches()) {
                edges.computeIfAbsent(edge.group(1), k -> new HashSet<>()).add(edge.group(2));
                if (NOT_FOUND.equals(edge.group(3))) {
                    notFound.add(edge.group(2));
                }
            }
        }
        Set<String> reached = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        classes.stream().filter(c -> c.startsWith("org.seedagent.")).forEach(todo::add);
        reached.addAll(todo);
        Set<String> missing = new TreeSet<>();
        while (!todo.isEmpty()) {
            String from = todo.pop();
            for (String to : edges.getOrDefault(from, Set.of())) {
                if (classes.contains(to)) {
                    if (reached.add(to)) {
                        todo.push(to);
                    }
                } else if (notFound.contains(to) && OPTIONAL_ABSENT.stream().noneMatch(to::startsWith)) {
                    missing.add(from + " -> " + to);
                }
            }
        }
        assertTrue(
                reached.contains("software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider"),
                "the walk reaches the credentials provider (else the check below proves nothing)");
        assertTrue(
                notFound.size() > 0,
                "jdeps reported classes it could not find (the optional ones at least)," + " so the \"" + NOT_FOUND
                        + "\" column is read right");
        assertTrue(missing.isEmpty(), "classes the agent reaches but the jar lacks:\n" + String.join("\n", missing));
    }

    @Test
    void everyOtherDependencyIsInTheJarWhole() throws IOException {
        // The runtime class path Maven resolved (maven-dependency-plugin, at package): exactly what was shaded in.
        Path listing = Path.of(System.getProperty("seedagent.runtimeClasspath", "target/runtime-classpath.txt"));
        assertTrue(Files.isRegularFile(listing), listing + " is written at package (maven-dependency-plugin)");
        int whole = 0;
        for (String entry : Files.readString(listing).strip().split(File.pathSeparator)) {
            Path dependency = Path.of(entry);
            Set<String> own = classNames(dependency);
            if (own.stream().anyMatch(c -> CUT_DOWN.stream().anyMatch(c::startsWith))) {
                continue; // one of the modules minimizeJar may cut
            }
            Set<String> lost = new TreeSet<>(own);
            lost.removeAll(classes);
            assertTrue(
                    lost.isEmpty(),
                    dependency.getFileName() + " lost " + lost.size() + " of its " + own.size()
                            + " classes in the jar, e.g. "
                            + lost.stream().limit(5).toList()
                            + ": add it to the include-everything filters in pom.xml");
            whole++;
        }
        assertTrue(whole >= 20, "the SDK's modules, Commons, SLF4J, Jackson and JNA were checked (" + whole + ")");
    }

    private static Set<String> classNames(Path jarFile) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile zip = new ZipFile(jarFile.toFile())) {
            zip.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                    .forEach(n -> names.add(
                            n.substring(0, n.length() - ".class".length()).replace('/', '.')));
        }
        return names;
    }
}
