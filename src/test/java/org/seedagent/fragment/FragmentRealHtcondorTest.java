package org.seedagent.fragment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.condor.HtcondorRelease;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.realcondor.RealHtcondor;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;

/**
 * The fragment's collector block ({@link Fragment#COLLECTOR_ITSELF}) as the REAL {@code condor_config_val} of
 * every bundled release reads it, on an htcondor annex seed's configuration: before 24.5.1 the collectors (the
 * main one and the AP collector, which takes the collector's knobs) report to 127.0.0.1, which the collector
 * knows as itself; every other daemon, and every collector from 24.5.1 on, keeps the seed's COLLECTOR_HOST.
 */
class FragmentRealHtcondorTest {
    @TempDir
    Path dir;

    static List<RealHtcondor.Release> releases() {
        return RealHtcondor.releases();
    }

    @ParameterizedTest
    @MethodSource("releases")
    void collectorBlock_before24_5_1_collectorsReportTo127001_othersAndLaterReleasesUnchanged(
            RealHtcondor.Release release) throws Exception {
        Files.createDirectories(dir.resolve("config.d"));
        Files.writeString(
                dir.resolve("config.d/50-seed-agent.conf"),
                new Fragment(Ipv4Address.parse("203.0.113.10"), Fragment.AddressKind.PUBLIC, "i-0123456789abcdef0")
                        .text());
        Files.writeString(
                dir.resolve("condor_config"),
                String.join(
                        "\n",
                        "LOCAL_DIR = " + dir,
                        "LOCAL_CONFIG_DIR = " + dir.resolve("config.d"),
                        "CONDOR_HOST = 10.0.0.5",
                        "use ROLE: CentralManager",
                        "use ROLE: Submit",
                        "use FEATURE: HPC_ANNEX",
                        ""));
        boolean before = HtcondorRelease.parse(release.version())
                        .orElseThrow()
                        .compareTo(HtcondorRelease.parse("24.5.1").orElseThrow())
                < 0;
        String collectors = before ? "127.0.0.1:9618" : "10.0.0.5";

        assertEquals(collectors, collectorHost(release, "-subsystem", "COLLECTOR"));
        assertEquals(collectors, collectorHost(release, "-subsystem", "COLLECTOR", "-local-name", "AP_COLLECTOR"));
        assertEquals("10.0.0.5", collectorHost(release));
        assertEquals("10.0.0.5", collectorHost(release, "-subsystem", "MASTER"));
        assertEquals("10.0.0.5", collectorHost(release, "-subsystem", "NEGOTIATOR"));
        assertEquals("10.0.0.5 203.0.113.10:9618?sock=ap_collector", collectorHost(release, "-subsystem", "SCHEDD"));
    }

    private String collectorHost(RealHtcondor.Release release, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "env",
                "CONDOR_CONFIG=" + dir.resolve("condor_config"),
                release.home().resolve("bin/condor_config_val").toString()));
        command.addAll(List.of(options));
        command.add("COLLECTOR_HOST");
        ProcessResult result = new SystemProcessRunner().run(command, Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.stderr());
        return result.stdout().strip();
    }
}
