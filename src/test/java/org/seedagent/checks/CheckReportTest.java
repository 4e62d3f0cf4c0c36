package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckReportTest {
    private static final CheckReport REPORT = new CheckReport(List.of(
            new CheckResult("central-manager", Area.CENTRAL_MANAGER, Severity.OK, "DAEMON_LIST runs COLLECTOR", null),
            new CheckResult(
                    "open-access",
                    Area.SECURITY,
                    Severity.FAILURE,
                    "ALLOW_WRITE = * admits \"everyone\"",
                    "SEC_DEFAULT_AUTHENTICATION = REQUIRED"),
            new CheckResult(
                    "job-lease", Area.SUBMIT_NODE, Severity.INFO, "JOB_DEFAULT_LEASE_DURATION = 2400 s", "raise it"),
            new CheckResult("seed-lifecycle", Area.INSTANCE, Severity.WARNING, "spot", "use on-demand")));

    @Test
    void json_hasTheDocumentedSchema() throws IOException {
        Map<String, Object> doc = JSON.std.mapFrom(REPORT.json());

        assertEquals(List.of("schema_version", "summary", "results"), List.copyOf(doc.keySet()));
        assertEquals(1, doc.get("schema_version"));
        assertEquals(Map.of("ok", 1, "info", 1, "warning", 1, "failure", 1), doc.get("summary"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
        assertEquals(4, results.size());
        Map<String, Object> first = results.get(0);
        assertEquals(List.of("id", "area", "severity", "finding", "remedy"), List.copyOf(first.keySet()));
        assertEquals("central-manager", first.get("id"));
        assertEquals("central-manager", first.get("area"));
        assertEquals("ok", first.get("severity"));
        assertTrue(first.containsKey("remedy"));
        assertNull(first.get("remedy"), "remedy is present and null for ok results");
        assertEquals("failure", results.get(1).get("severity"));
        assertEquals("ALLOW_WRITE = * admits \"everyone\"", results.get(1).get("finding"));
        assertTrue(REPORT.json().endsWith("}\n"));
    }

    @Test
    void json_roundTrips() throws IOException {
        assertEquals(REPORT, CheckReport.parse(REPORT.json()));
    }

    @Test
    void parse_rejectsOtherVersionsAndBadResults() {
        assertThrows(IOException.class, () -> CheckReport.parse("{\"schema_version\": 2, \"results\": []}"));
        assertThrows(IOException.class, () -> CheckReport.parse("{\"schema_version\": 1}"));
        assertThrows(
                IOException.class,
                () -> CheckReport.parse("{\"schema_version\": 1, \"results\": [{\"id\": \"x\","
                        + " \"area\": \"nowhere\", \"severity\": \"ok\", \"finding\": \"f\", \"remedy\": null}]}"));
        assertThrows(
                IOException.class,
                () -> CheckReport.parse(
                        "{\"schema_version\": 1, \"results\": [{\"id\": \"x\","
                                + " \"area\": \"security\", \"severity\": \"failure\", \"finding\": \"f\", \"remedy\": null}]}"),
                "a failure without a remedy is invalid");
    }

    @Test
    void text_groupsByAreaInOrder_showsRemediesAndSummary() {
        String text = REPORT.text(false);

        assertEquals("""
                Central manager
                  ok      central-manager  DAEMON_LIST runs COLLECTOR
                Submit node
                  info    job-lease        JOB_DEFAULT_LEASE_DURATION = 2400 s
                                           hint: raise it
                Security
                  FAILURE open-access      ALLOW_WRITE = * admits "everyone"
                                           fix: SEC_DEFAULT_AUTHENTICATION = REQUIRED
                Instance
                  WARNING seed-lifecycle   spot
                                           fix: use on-demand

                4 checks: 1 ok, 1 info, 1 warning, 1 failure
                """, text);
        assertFalse(text.contains("\u001b"));
    }

    @Test
    void text_colour_marksSeverities() {
        String text = REPORT.text(true);

        assertTrue(text.contains("\u001b[1;31mFAILURE\u001b[0m"), text);
        assertTrue(text.contains("\u001b[33mWARNING\u001b[0m"), text);
        assertTrue(text.contains("\u001b[32mok     \u001b[0m"), text);
    }

    @Test
    void fails_strictCountsWarnings_infoNever() {
        CheckReport warningOnly = new CheckReport(
                List.of(REPORT.results().get(2), REPORT.results().get(3)));
        CheckReport infoOnly = new CheckReport(
                List.of(REPORT.results().get(0), REPORT.results().get(2)));

        assertTrue(REPORT.fails(false));
        assertFalse(warningOnly.fails(false));
        assertTrue(warningOnly.fails(true));
        assertFalse(infoOnly.fails(true));
    }

    @Test
    void checkResult_validates() {
        assertThrows(
                IllegalArgumentException.class, () -> new CheckResult("Bad Id", Area.SECURITY, Severity.OK, "f", null));
        assertThrows(
                IllegalArgumentException.class, () -> new CheckResult("x", Area.SECURITY, Severity.WARNING, "f", null));
        assertThrows(IllegalArgumentException.class, () -> new CheckResult("x", Area.SECURITY, Severity.OK, " ", null));
        assertEquals("a\\u000ab", new CheckResult("x", Area.SECURITY, Severity.OK, "a\nb", null).finding());
    }
}
