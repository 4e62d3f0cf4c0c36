package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.support.SystemProcessRunner;

/**
 * The stranded-annex query through a real child process: a stand-in {@code condor_q} that answers with the
 * output the real one gave for this query ({@code ../shared/htcondor/HPC-ANNEX-FACTS.md} section 5: one line per
 * request, {@code ClusterId hpc_annex_name hpc_annex_collector} separated by spaces) only when asked exactly the
 * agent's command line, and fails as condor_q does (exit 1, message on stderr) otherwise.
 */
class AnnexRequestsTest {
    private static final String CURRENT = "198.51.100.7:9618?sock=ap_collector";

    @TempDir
    Path tmp;

    private Path condorQ(String stdout, int exit, String stderr) throws Exception {
        Path script = tmp.resolve("condor_q");
        // Written out, not taken from AnnexRequests.command: a changed query must fail here.
        String expected = "-allusers|-constraint|hpc_annex_name =!= undefined && hpc_annex_collector =!= \"" + CURRENT
                + "\"|-af|ClusterId|hpc_annex_name|hpc_annex_collector";
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "#!/bin/sh",
                        "got=\"$1|$2|$3|$4|$5|$6|$7\"",
                        "if [ \"$got\" != '" + expected.replace("'", "'\\''") + "' ]; then",
                        "  echo \"unexpected arguments: $got\" >&2; exit 9",
                        "fi",
                        "printf '%s' '" + stdout + "'",
                        "[ -n '" + stderr + "' ] && printf '%s\\n' '" + stderr + "' >&2",
                        "exit " + exit,
                        ""),
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void stranded_oneRequestOnTheOldAddress_isNamed() throws Exception {
        Path q = condorQ("3 annex-one 203.0.113.10:9618?sock=ap_collector\n", 0, "");

        AnnexRequests.Stranded stranded =
                new AnnexRequests(new SystemProcessRunner(), q, Duration.ofSeconds(10)).stranded(CURRENT);

        assertNull(stranded.problem());
        assertEquals(
                List.of(new AnnexRequests.Request("3", "annex-one", "203.0.113.10:9618?sock=ap_collector")),
                stranded.requests());
        assertEquals(CURRENT, stranded.current());
    }

    @Test
    void stranded_noneInTheQueue_isEmpty() throws Exception {
        Path q = condorQ("", 0, "");

        AnnexRequests.Stranded stranded =
                new AnnexRequests(new SystemProcessRunner(), q, Duration.ofSeconds(10)).stranded(CURRENT);

        assertNull(stranded.problem());
        assertEquals(List.of(), stranded.requests());
    }

    @Test
    void stranded_condorQFails_saysWhatItPrinted() throws Exception {
        Path q = condorQ("", 1, "-- Failed to fetch ads from: <10.0.0.5:9618> : ip-10-0-0-5.ec2.internal");

        AnnexRequests.Stranded stranded =
                new AnnexRequests(new SystemProcessRunner(), q, Duration.ofSeconds(10)).stranded(CURRENT);

        assertTrue(
                stranded.problem().startsWith("condor_q exited with status 1: \"-- Failed to fetch ads from"),
                stranded.problem());
    }

    @Test
    void stranded_anAddressThatWouldBreakTheConstraint_isNotAsked() throws Exception {
        Path q = condorQ("", 0, "");

        AnnexRequests.Stranded stranded = new AnnexRequests(new SystemProcessRunner(), q, Duration.ofSeconds(10))
                .stranded("1.2.3.4\" || true || \"");

        assertTrue(stranded.problem().contains("is not an address the queue can be asked about"), stranded.problem());
    }

    @Test
    void parse_nameWithSpaces_keepsTheMiddle() {
        assertEquals(
                List.of(new AnnexRequests.Request("12", "my annex", "203.0.113.10:9618?sock=ap_collector")),
                AnnexRequests.parse("12 my annex 203.0.113.10:9618?sock=ap_collector\n\n"));
    }
}
