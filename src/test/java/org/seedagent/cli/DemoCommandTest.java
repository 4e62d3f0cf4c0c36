package org.seedagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.metadata.ImdsMetadataSource;
import org.seedagent.support.Sleeper;
import org.seedagent.support.SystemProcessRunner;

/**
 * {@code seed-agent demo}'s scratch directory: a new private one by default (never a predictable name in a
 * shared /tmp another user could plant links in), named in the hints so that a second run sees the first's
 * fragment; a {@code --dir} that is a link or another user's is refused before anything is written.
 */
class DemoCommandTest {
    private static final Pattern AGAIN = Pattern.compile("seed-agent demo --dir (\\S+) --public-ip 198\\.51\\.100\\.7");

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... arguments) throws Exception {
        out.reset();
        err.reset();
        CliContext context = new CliContext(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("TMPDIR", tmp.toString()),
                Clock.systemUTC(),
                new SystemProcessRunner(),
                settings -> new ImdsMetadataSource(settings, Clock.systemUTC(), Sleeper.SYSTEM),
                tmp.resolve("no-such.conf"),
                false);
        return new DemoCommand().run(context, List.of(arguments));
    }

    @Test
    void demo_noDir_newPrivateDirectory_namedInTheHints_whichReuseIt() throws Exception {
        assertEquals(ExitCode.OK, run());

        String text = out.toString(StandardCharsets.UTF_8);
        Matcher m = AGAIN.matcher(text);
        assertTrue(m.find(), text);
        Path dir = Path.of(m.group(1));
        assertTrue(
                dir.getFileName().toString().startsWith("seed-agent-demo-")
                        && dir.getParent().equals(tmp),
                text);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.readString(dir.resolve("config.d/50-seed-agent.conf")).contains("TCP_FORWARDING_HOST = "));

        assertEquals(ExitCode.OK, run("--dir", dir.toString(), "--public-ip", "198.51.100.7"));
        assertTrue(Files.readString(dir.resolve("config.d/50-seed-agent.conf"))
                .contains("TCP_FORWARDING_HOST = 198.51.100.7"));
        assertTrue(
                out.toString(StandardCharsets.UTF_8).contains("seed-agent demo --dir " + dir + " --public-ip"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void demo_twoRunsWithoutDir_twoDifferentDirectories() throws Exception {
        run();
        Matcher first = AGAIN.matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(first.find());
        String one = first.group(1);
        run();
        Matcher second = AGAIN.matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(second.find());
        assertFalse(one.equals(second.group(1)), "a predictable directory would be the same twice: " + one);
    }

    @Test
    void demo_dirIsALink_refused_nothingWrittenThroughIt() throws Exception {
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Path planted = Files.createSymbolicLink(tmp.resolve("planted"), victim);

        assertEquals(ExitCode.CANT_CREATE, run("--dir", planted.toString()));

        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("refusing --dir " + planted + ": it is a symbolic link"),
                err.toString(StandardCharsets.UTF_8));
        try (var entries = Files.list(victim)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void demo_dirOfAnotherUser_refused() throws Exception {
        assumeTrue(
                (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "needs root to give a directory to another user (CI runs as root)");
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 1000);

        assertEquals(ExitCode.CANT_CREATE, run("--dir", theirs.toString()));

        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("it belongs to uid 1000, not to you (uid 0)"),
                err.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(theirs.resolve("config.d")));
    }

    @Test
    void demo_everyNextHint_pastedAsPrinted_runsAsItSays() throws Exception {
        assertEquals(ExitCode.OK, run("--public-ip", "198.51.100.7"));
        List<String> hints = hints(out.toString(StandardCharsets.UTF_8));
        assertEquals(5, hints.size(), out.toString(StandardCharsets.UTF_8));
        assertTrue(
                hints.get(0).contains("--public-ip 198.51.100.8"),
                "a changed address is not the one just used: " + hints.get(0));

        for (String hint : hints) {
            List<String> words = shellWords(hint);
            assertEquals("seed-agent", words.get(0), hint);
            if (words.get(1).equals("emulator")) {
                continue;
            }
            Path dir = Path.of(words.get(words.indexOf("--dir") + 1));
            String before = Files.readString(dir.resolve("config.d/50-seed-agent.conf"));
            int exit = run(words.subList(2, words.size()).toArray(String[]::new));
            assertTrue(exit != ExitCode.USAGE, "pasted as printed, no usage error: " + hint + "\n" + err);
            String after = Files.readString(dir.resolve("config.d/50-seed-agent.conf"));
            if (hint.contains("ALLOW_WRITE")) {
                assertEquals(before, after, "the hostile answer is rejected, nothing written");
            } else if (hint.contains("198.51.100.8")) {
                assertTrue(after.contains("TCP_FORWARDING_HOST = 198.51.100.8"), after);
            }
        }
    }

    @Test
    void demo_afterAHostileAnswer_theSameAgainHintIsQuoted() throws Exception {
        run("--public-ip", "1.2.3.4 ALLOW_WRITE=*");

        List<String> hints = hints(out.toString(StandardCharsets.UTF_8));
        assertTrue(hints.get(1).endsWith(" --public-ip '1.2.3.4 ALLOW_WRITE=*'"), hints.get(1));
        assertEquals("1.2.3.4 ALLOW_WRITE=*", shellWords(hints.get(1)).get(5));
    }

    /** The commands of the "Next:" lines (the description after them cut off); TryItPtyIT pastes them too. */
    static List<String> hints(String text) {
        List<String> hints = new java.util.ArrayList<>();
        boolean next = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("Next")) {
                next = true;
            } else if (next && line.startsWith("  ")) {
                hints.add(line.strip().replaceAll("   # .*$", ""));
            }
        }
        return hints;
    }

    /** Words as a POSIX shell splits them (single quotes, and the '\\'' idiom). */
    private static List<String> shellWords(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && !quoted && i + 1 < line.length()) {
                word.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (any || word.length() > 0) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
            }
        }
        if (any || word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }
}
