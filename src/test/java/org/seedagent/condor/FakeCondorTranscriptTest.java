package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;

/**
 * Replays every command of the real condor_config_val transcripts (shared/fixtures/condor_config_val,
 * copied to src/test/resources/condor/transcripts) against the fake, started as a real process, and
 * compares stdout, stderr and the exit status exactly. The transcripts' paths were rewritten to the RPM
 * layout; the fake's output is rewritten the same way (/opt/htc/install/ to /usr/) before comparing.
 */
class FakeCondorTranscriptTest {
    /** What config.d/60-broken contains in each section of transcript-errors.txt, by its "## " line. */
    private static final Map<String, String> BROKEN = Map.of(
            "## config.d/60-broken contains the line: TCP_FORWARDING_HOST 1.2.3.4",
            "TCP_FORWARDING_HOST 1.2.3.4\n",
            "## config.d/60-broken contains: TCP_FORWARDING_HOST = 203.0.113.10 followed by a line ALLOW_WRITE = * (an injected second line)",
            "TCP_FORWARDING_HOST = 203.0.113.10\nALLOW_WRITE = *\n",
            "## config.d/60-broken contains: EC2PublicIP =   (empty)",
            "EC2PublicIP =   \n",
            "## config.d/60-broken contains the line: 1bad = x",
            "1bad = x\n");

    record Block(String transcript, String setup, List<String> arguments, String stdout, String stderr, int exit) {
        @Override
        public String toString() {
            return transcript + ": condor_config_val " + String.join(" ", arguments)
                    + (setup == null ? "" : " [" + setup.replace("\n", "\\n") + "]");
        }
    }

    static Stream<Arguments> blocks() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String name : List.of("transcript-seed-recipe.txt", "transcript-errors.txt", "transcript-modern.txt")) {
            for (Block block : parse(name)) {
                all.add(Arguments.of(block));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void fake_replaysTranscript_exactly(Block block, @TempDir Path tmp) throws Exception {
        Path root = FakeCondor.copyTree(
                block.transcript().contains("modern") ? "modern" : "seed-recipe", tmp.resolve("root"));
        if (block.setup() != null) {
            Files.writeString(root.resolve("etc/condor/config.d/60-broken"), block.setup());
        }
        Path tool = FakeCondor.install(tmp.resolve("bin"), root);
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(block.arguments());

        ProcessResult result = new SystemProcessRunner().run(command, Duration.ofSeconds(20));

        assertFalse(result.timedOut());
        assertEquals(block.stdout(), rewrite(result.stdout()), "stdout");
        assertEquals(block.stderr(), rewrite(result.stderr()), "stderr");
        assertEquals(block.exit(), result.exitCode(), "exit status");
    }

    private static String rewrite(String output) {
        return output.replace("/opt/htc/install/", "/usr/");
    }

    static List<Block> parse(String name) throws IOException {
        Path file = FakeCondor.resource("condor/transcripts/" + name);
        List<String> lines =
                Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
        List<Block> blocks = new ArrayList<>();
        String setup = null;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i++);
            if (line.startsWith("## ")) {
                if (name.equals("transcript-errors.txt")) {
                    setup = BROKEN.get(line);
                    assertNotNull(setup, "no set-up known for " + line);
                }
                continue;
            }
            if (!line.startsWith("$ condor_config_val")) {
                continue;
            }
            List<String> arguments = Arrays.stream(line.substring("$ condor_config_val".length())
                            .strip()
                            .split(" "))
                    .filter(a -> !a.isEmpty())
                    .toList();
            assertEquals("--- stdout", lines.get(i++));
            List<String> out = new ArrayList<>();
            while (!lines.get(i).equals("--- stderr")) {
                out.add(lines.get(i++));
            }
            i++;
            List<String> err = new ArrayList<>();
            while (!lines.get(i).startsWith("--- exit ")) {
                err.add(lines.get(i++));
            }
            int exit = Integer.parseInt(lines.get(i++).substring("--- exit ".length()));
            blocks.add(new Block(name, setup, arguments, joined(out), joined(err), exit));
        }
        return blocks;
    }

    private static String joined(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
