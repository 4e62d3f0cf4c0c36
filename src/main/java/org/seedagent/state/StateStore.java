package org.seedagent.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.seedagent.support.AtomicFile;

/** {@code state.json} in the state directory: written atomically, mode 0644 (it holds no secrets). */
public final class StateStore {
    public static final String FILE_NAME = "state.json";

    private final Path file;

    public StateStore(Path directory) {
        this.file = directory.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The saved state; {@code null} when there is none. A corrupt file is an IOException saying why. */
    public DaemonState load() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        return StateCodec.decode(text);
    }

    public void save(DaemonState state) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFile.write(
                file,
                StateCodec.encode(state).getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.fromString("rw-r--r--"));
    }
}
