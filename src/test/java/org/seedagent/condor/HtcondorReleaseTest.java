package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The release from what condor_config_val says: its {@code -version} text and the CONDOR_VERSION knob. The
 * bundled releases' own {@code -version} output is compared in {@link HtcondorReleaseRealTest}; the texts here
 * are recorded in the same format (the known-bad releases are not bundled).
 */
class HtcondorReleaseTest {
    /** `condor_config_val -version` of the bundled 24.0.23 and 25.0.13, verbatim. */
    static final String REAL_24 = "$CondorVersion: 24.0.23 2026-12-03 $\n$CondorPlatform: X86_64-Debian_12 $\n";

    static final String REAL_25 = "$CondorVersion: 25.0.13 2026-12-07 $\n$CondorPlatform: X86_64-Debian_12 $\n";

    @Test
    void parse_versionOutputOfBothBundles() {
        assertEquals(Optional.of(new HtcondorRelease(24, 0, 23)), HtcondorRelease.parse(REAL_24));
        assertEquals(Optional.of(new HtcondorRelease(25, 0, 13)), HtcondorRelease.parse(REAL_25));
    }

    /**
     * What a released package prints (HTCondor's RPMs, not a build from source like the bundles): build id, package
     * id and git hash after the date, as 24.0.23-1 and 24.6.1-1 print it (quoted in public documentation and test data).
     */
    private static final String RELEASED_24 = "$CondorVersion: 24.0.23 2026-08-20 BuildID: 943578 PackageID: 24.0.23-1"
            + " GitSHA: e1114ad7 $\n$CondorPlatform: x86_64_AlmaLinux9 $\n";

    private static final String RELEASED_24_6 =
            "$CondorVersion: 24.6.1 2025-03-20 BuildID: 794846 PackageID: 24.6.1-1 $\n"
                    + "$CondorPlatform: x86_64_AlmaLinux9 $\n";

    @Test
    void parse_releasedPackagesVersionText() {
        assertEquals(Optional.of(new HtcondorRelease(24, 0, 23)), HtcondorRelease.parse(RELEASED_24));
        assertEquals(Optional.of(new HtcondorRelease(24, 6, 1)), HtcondorRelease.parse(RELEASED_24_6));
    }

    @Test
    void parse_knownBadReleasesVersionText_andTheirLookup() {
        KnownBadReleases table = KnownBadReleases.bundled();
        // No recording of these five releases' output exists (not in ../shared, not in public code): each text
        // takes the shape HTCondor's own packages print, as recorded for 24.0.23's package (RELEASED_24).
        for (String bad : List.of("24.0.22", "24.12.22", "25.0.12", "25.11.1", "25.12.2")) {
            String text = RELEASED_24.replace("24.0.23", bad);
            HtcondorRelease release = HtcondorRelease.parse(text).orElseThrow();
            assertEquals(bad, release.toString());
            assertTrue(table.lookup(release).isPresent(), bad);
            assertEquals("HTCONDOR-3860", table.lookup(release).get().ticket());
        }
        assertEquals(
                "25.13.2",
                table.lookup(HtcondorRelease.parse("25.12.2").orElseThrow())
                        .orElseThrow()
                        .fixedIn()
                        .toString());
        assertFalse(table.lookup(HtcondorRelease.parse(REAL_24).orElseThrow()).isPresent());
        assertFalse(table.lookup(HtcondorRelease.parse(REAL_25).orElseThrow()).isPresent());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "  ",
                "25",
                "25.0",
                "twenty-five",
                "$CondorVersion: $",
                "25.0.13-rc1",
                "Error: could not run",
                "$CondorVersion: x.y.z 2026 $"
            })
    void parse_notARelease_isEmpty(String text) {
        assertEquals(Optional.empty(), HtcondorRelease.parse(text));
    }

    @Test
    void condorAnnex_withdrawnIn24_11() {
        assertTrue(HtcondorRelease.parse("24.0.23").orElseThrow().hasCondorAnnex());
        assertTrue(HtcondorRelease.parse("24.10.9").orElseThrow().hasCondorAnnex());
        assertFalse(HtcondorRelease.parse("24.11.0").orElseThrow().hasCondorAnnex());
        assertFalse(HtcondorRelease.parse("25.0.13").orElseThrow().hasCondorAnnex());
    }

    @Test
    void table_badLine_namesTheLine() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> KnownBadReleases.parse("# c\n24.0.22\t24.0.23\tT\twhat\n", "t.tsv"));
        assertTrue(e.getMessage().startsWith("t.tsv line 2: expected 5 tab-separated fields"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> KnownBadReleases.parse("24.0\t24.0.23\tT\twhat\tsrc\n", "t.tsv"));
        assertEquals("t.tsv line 1: not a release number: 24.0", e.getMessage());
    }
}
