package org.seedagent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: {@code actual} must equal {@code directory/name}. With {@code -Dseedagent.updateGolden=true} the
 * file is written first (then review the diff).
 */
public final class Golden {
    private Golden() {}

    public static void assertMatches(Path directory, String name, String actual) throws IOException {
        Path file = directory.resolve(name);
        if (Boolean.getBoolean("seedagent.updateGolden")) {
            Files.createDirectories(directory);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden file " + file);
    }
}
