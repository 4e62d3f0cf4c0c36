package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.condor.CondorEvaluation;

/**
 * Golden files (issue 22): the exact text screens of {@code seed-agent check} for a healthy seed, a seed with
 * problems, and a seed without HTCondor's tools, piped (one line per item) and at an 80-column terminal (each
 * finding wrapped under its text, each fix under its fix). One file per screen under
 * {@code src/test/resources/golden/check/}; to regenerate after a deliberate change, run
 * {@code mvn test -Dtest='CheckScreenGoldenTest' -Dseedagent.updateGolden=true} and review the diff.
 */
class CheckScreenGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/check");

    private static CheckReport healthy() {
        return new CheckReport(Seed.healthy().results());
    }

    private static CheckReport problems() {
        return new CheckReport(Seed.healthy()
                .knob("TCP_FORWARDING_HOST", "198.51.100.7", Seed.at("/etc/condor/config.d/99-old-seed.conf", 3),
                        "198.51.100.7")
                .without("JOB_DEFAULT_LEASE_DURATION")
                .results());
    }

    private static CheckReport toolsMissing() {
        return new CheckReport(Seed.healthy().condorFails(CondorEvaluation.Kind.NOT_INSTALLED,
                "cannot run /usr/bin/condor_config_val: No such file or directory", null, 0).results());
    }

    @Test
    void screens_matchGoldenFiles() throws IOException {
        assertGolden("healthy.txt", healthy().text(false, 0));
        assertGolden("healthy-80.txt", healthy().text(false, 80));
        assertGolden("problems.txt", problems().text(false, 0));
        assertGolden("problems-80.txt", problems().text(false, 80));
        assertGolden("tools-missing.txt", toolsMissing().text(false, 0));
        assertGolden("tools-missing-80.txt", toolsMissing().text(false, 80));
    }

    /** At 80 columns no line passes 80 but an unbreakable word; the summary's counts agree with the list. */
    @Test
    void everyScreen_widthsAndCountsAgree() throws IOException {
        for (CheckReport report : List.of(healthy(), problems(), toolsMissing())) {
            String wrapped = report.text(false, 80);
            for (String line : wrapped.split("\n")) {
                assertTrue(line.length() <= 80 || !line.strip().contains(" "), "a line of " + line.length()
                        + " columns at 80: " + line);
            }
            List<String> lines = List.of(report.text(false, 0).split("\n"));
            long failures = lines.stream().filter(l -> l.startsWith("  FAILURE ")).count();
            long warnings = lines.stream().filter(l -> l.startsWith("  WARNING ")).count();
            long ok = lines.stream().filter(l -> l.startsWith("  ok ")).count();
            String summary = lines.get(lines.size() - 1);
            assertTrue(summary.startsWith(report.results().size() + " checks: " + ok + " ok"), summary);
            assertTrue(summary.matches(".*\\b" + warnings + " warnings?\\b.*"), warnings + " warnings listed: " + summary);
            assertTrue(summary.matches(".*\\b" + failures + " failures?\\b.*"), failures + " failures listed: " + summary);
        }
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("seedagent.updateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden file " + file);
    }
}
