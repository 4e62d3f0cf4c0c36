package org.seedagent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The built program (target/seed-agent), for tests that start it as a real process (failsafe ITs). */
public final class Dist {
    private Dist() {}

    public static Path launcher() {
        String dist = System.getProperty("seedagent.dist", "target/seed-agent");
        Path launcher = Path.of(dist, "bin", "seed-agent").toAbsolutePath();
        assumeTrue(Files.isExecutable(launcher), launcher + " is not built; run mvn verify");
        return launcher;
    }

    /** A shell wrapper that runs the fake condor_config_val on {@code condorConfig}. */
    public static Path fakeCondorConfigVal(Path dir, Path condorConfig) throws java.io.IOException {
        Path fake = Path.of("src/test/resources/condor/condor_config_val").toAbsolutePath();
        Path wrapper = dir.resolve("condor_config_val");
        Files.writeString(wrapper, "#!/bin/sh\nCONDOR_CONFIG=" + condorConfig + " exec python3 " + fake + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }
}
