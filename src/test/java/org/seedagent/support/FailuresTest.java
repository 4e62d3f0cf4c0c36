package org.seedagent.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures in words, without Java's class names: real exceptions from real calls where the JDK can make them. */
class FailuresTest {
    @TempDir
    Path tmp;

    @Test
    void fileFailures_fromRealCalls_sayWhatAndWhich() {
        Path missing = tmp.resolve("missing");
        IOException noFile = read(missing);
        assertEquals("no such file: " + missing, Failures.plain(noFile));

        Path file = tmp.resolve("file");
        try {
            Files.writeString(file, "x");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        IOException notDirectory = read(file.resolve("below"));
        assertEquals("not a directory: " + file.resolve("below"), Failures.plain(notDirectory));
    }

    @Test
    void networkAndOtherFailures_inWords() throws Exception {
        assertEquals("connection refused", Failures.plain(new java.net.ConnectException("Connection refused")));
        assertEquals("unknown host cm.invalid", Failures.plain(new java.net.UnknownHostException("cm.invalid")));
        assertEquals("no answer in time", Failures.plain(new java.net.SocketTimeoutException("Read timed out")));
        assertEquals(
                "permission denied: /root/.aws", Failures.plain(new java.nio.file.AccessDeniedException("/root/.aws")));
        assertEquals("not implemented yet", Failures.plain(new UnsupportedOperationException("not implemented yet")));
        assertEquals("unsupported operation", Failures.plain(new UnsupportedOperationException()));
    }

    private static IOException read(Path path) {
        try {
            Files.readString(path);
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("read " + path);
    }

    /** Issue 23: the one reason without the file, for callers that name it themselves. */
    @Test
    void reason_withoutTheFile_andAProcessThatCouldNotStart() {
        org.junit.jupiter.api.Assertions.assertEquals(
                "permission denied", Failures.reason(new java.nio.file.AccessDeniedException("/root/x")));
        org.junit.jupiter.api.Assertions.assertEquals(
                "Is a directory",
                Failures.reason(new java.nio.file.FileSystemException("/etc", null, "Is a directory")));
        org.junit.jupiter.api.Assertions.assertEquals(
                "No such file or directory",
                Failures.reason(new java.io.IOException(
                        "Cannot run program \"/usr/bin/condor_config_val\": error=2, No such file or directory")));
        org.junit.jupiter.api.Assertions.assertEquals(
                "connection refused", Failures.reason(new java.net.ConnectException()));
    }
}
