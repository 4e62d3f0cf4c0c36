package org.seedagent.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/** Signal dispositions of this test JVM, which the programs it starts inherit. */
public final class Signals {
    private Signals() {}

    /** Whether SIGHUP is ignored here (under nohup): children then cannot handle it either. */
    public static boolean hangUpIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return new BigInteger(line.substring(7).strip(), 16).testBit(0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
