package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
                .knob(
                        "TCP_FORWARDING_HOST",
                        "198.51.100.7",
                        Seed.at("/etc/condor/config.d/99-old-seed.conf", 3),
                        "198.51.100.7")
                .without("JOB_DEFAULT_LEASE_DURATION")
                .results());
    }

    private static CheckReport toolsMissing() {
        return new CheckReport(Seed.healthy()
                .condorFails(
                        CondorEvaluation.Kind.NOT_INSTALLED,
                        "cannot run /usr/bin/condor_config_val: No such file or directory",
                        null,
                        0)
                .results());
    }

    @Test
    void screens_matchGoldenFiles() throws IOException {
        assertGolden("healthy.txt", healthy().text(false, 0, true));
        assertGolden("healthy-80.txt", healthy().text(false, 80, false));
        assertGolden("healthy-80-long.txt", healthy().text(false, 80, true));
        assertGolden("problems.txt", problems().text(false, 0, true));
        assertGolden("problems-80.txt", problems().text(false, 80, false));
        assertGolden("tools-missing.txt", toolsMissing().text(false, 0, true));
        assertGolden("tools-missing-80.txt", toolsMissing().text(false, 80, false));
    }

    /** At 80 columns no line passes 80 but an unbreakable word; the summary's counts agree with the list. */
    @Test
    void everyScreen_widthsAndCountsAgree() throws IOException {
        for (CheckReport report : List.of(healthy(), problems(), toolsMissing())) {
            for (boolean everyFinding : new boolean[] {false, true}) {
                for (String line : report.text(false, 80, everyFinding).split("\n")) {
                    assertTrue(
                            line.length() <= 80 || !line.strip().contains(" "),
                            "a line of " + line.length() + " columns at 80: " + line);
                }
            }
            List<String> lines = List.of(report.text(false, 0, true).split("\n"));
            long failures = shown(lines, "  FAILURE ");
            long warnings = shown(lines, "  WARNING ");
            long ok = shown(lines, "  ok ");
            String summary = lines.get(lines.size() - 1);
            assertTrue(summary.startsWith(report.results().size() + " checks: " + ok + " ok"), summary);
            assertTrue(
                    summary.matches(".*\\b" + warnings + " warnings?\\b.*"), warnings + " warnings listed: " + summary);
            assertTrue(
                    summary.matches(".*\\b" + failures + " failures?\\b.*"), failures + " failures listed: " + summary);
        }
    }

    /**
     * Issue 22: a healthy seed's report fits one 80x25 terminal, and it names every check that passed (a count of
     * the names on the "ok:" lines equal to the summary's); --long tells each finding.
     */
    @Test
    void healthy_atATerminal_fitsOneScreen_namesEveryCheckThatPassed() {
        CheckReport report = healthy();
        String screen = report.text(false, 80, false);
        List<String> lines = List.of(screen.split("\n"));
        assertTrue(lines.size() <= 24, lines.size() + " lines (24 and the prompt fill 25 rows):\n" + screen);
        String joined = screen.replaceAll("\n {" + (Area.widestTitle() + 6) + "}", " ");
        java.util.regex.Matcher ok =
                java.util.regex.Pattern.compile(" ok: ([a-z0-9, -]+)").matcher(joined);
        List<String> named = new java.util.ArrayList<>();
        while (ok.find()) {
            named.addAll(List.of(ok.group(1).strip().split(", ")));
        }
        List<String> passed = report.results().stream()
                .filter(r -> r.severity() == Severity.OK)
                .map(CheckResult::id)
                .toList();
        assertEquals(passed, named, screen);
        assertTrue(screen.contains("27 ok"), screen);
        assertTrue(report.text(false, 80, true).split("\n").length > 25, "--long tells each finding");
    }

    /** The checks a screen shows at {@code level}: one per line, plus those a folded cascade names. */
    private static long shown(List<String> lines, String level) {
        java.util.regex.Pattern more = java.util.regex.Pattern.compile("; the same for (\\d+) more checks: ");
        long n = 0;
        for (String line : lines) {
            if (line.startsWith(level)) {
                java.util.regex.Matcher m = more.matcher(line);
                n += 1 + (m.find() ? Long.parseLong(m.group(1)) : 0);
            }
        }
        return n;
    }

    /** Issue 22: a cascade (HTCondor's tools missing) is shown once, at its first check; JSON keeps every result. */
    @Test
    void toolsMissing_theCascadeShownOnce_jsonKeepsEveryResult() {
        CheckReport report = toolsMissing();
        String text = report.text(false, 0, true);
        assertEquals(
                1, text.split("not checked: HTCondor's configuration could not be evaluated", -1).length - 1, text);
        long notChecked = report.results().stream()
                .filter(r -> r.finding().startsWith("not checked: HTCondor's"))
                .count();
        assertTrue(notChecked >= 10, notChecked + " results");
        assertTrue(text.contains("; the same for " + (notChecked - 1) + " more checks: "), text);
        assertEquals(
                notChecked,
                report.json().split("not checked: HTCondor's configuration could not be evaluated", -1).length - 1,
                "every result in JSON");
    }

    /** Issue 22: --long lists a cascade's checks each on a line of its own, as JSON has them. */
    @Test
    void toolsMissing_long_everyCheckOnALineOfItsOwn() {
        CheckReport report = toolsMissing();
        String text = report.text(false, 0, true, false);
        for (CheckResult r : report.results()) {
            assertTrue(
                    text.lines().anyMatch(l -> l.matches("  \\S+ +" + java.util.regex.Pattern.quote(r.id()) + "  .*")),
                    r.id() + " not on a line of its own:\n" + text);
        }
        assertTrue(!text.contains("; the same for "), text);
    }

    static void assertGolden(String name, String actual) throws IOException {
        org.seedagent.testing.Golden.assertMatches(GOLDEN, name, actual);
    }
}
