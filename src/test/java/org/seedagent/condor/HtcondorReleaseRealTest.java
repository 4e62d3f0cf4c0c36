package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.seedagent.realcondor.RealHtcondor;
import org.seedagent.support.ProcessResult;
import org.seedagent.support.SystemProcessRunner;

/** The release check's parser on the REAL {@code condor_config_val -version} of every bundled release. */
class HtcondorReleaseRealTest {
    static List<RealHtcondor.Release> releases() {
        return RealHtcondor.releases();
    }

    @ParameterizedTest
    @MethodSource("releases")
    void parse_realVersionOutput_isTheBundlesRelease(RealHtcondor.Release release) throws Exception {
        Path tool = release.home().resolve("bin/condor_config_val");
        ProcessResult result =
                new SystemProcessRunner().run(List.of(tool.toString(), "-version"), Duration.ofSeconds(30));

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(
                release.version(),
                HtcondorRelease.parse(result.stdout()).orElseThrow().toString(),
                result.stdout());
    }
}
