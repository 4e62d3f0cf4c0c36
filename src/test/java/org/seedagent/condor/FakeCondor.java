package org.seedagent.condor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seedagent.testing.Trees;

/**
 * The fake {@code condor_config_val} (src/test/resources/condor/condor_config_val, a python3 script)
 * and its configuration fixtures. {@link #install} writes a small wrapper that sets the fake's
 * environment, because {@code ProcessRunner} starts children with the JVM's environment.
 */
public final class FakeCondor {
    private FakeCondor() {}

    /** The fake tool itself. */
    public static Path script() {
        return resource("condor/condor_config_val");
    }

    /** A directory under src/test/resources/condor (e.g. a fixture tree or the transcripts). */
    public static Path resource(String name) {
        URL url = FakeCondor.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies the fixture tree {@code condor/<scenario>} (a tree rooted at {@code /}) into {@code root}
     * and makes sure {@code root/etc/condor/config.d} exists.
     */
    public static Path copyTree(String scenario, Path root) {
        try {
            Trees.copy(resource("condor/" + scenario), root, StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(root.resolve("etc/condor/config.d"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /**
     * Writes {@code dir/condor_config_val}: a shell wrapper that runs the fake on the tree {@code root}
     * ({@code CONDOR_CONFIG=/etc/condor/condor_config}, machine {@code vm}, user {@code root}) with
     * {@code extra} environment on top.
     */
    public static Path install(Path dir, Path root, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONDOR_CONFIG", "/etc/condor/condor_config");
        env.put("FAKE_CONDOR_ROOT", root.toAbsolutePath().toString());
        env.put("FAKE_CONDOR_HOSTNAME", "vm");
        env.put("FAKE_CONDOR_USERNAME", "root");
        env.putAll(extra);
        StringBuilder sh = new StringBuilder("#!/bin/sh\n");
        env.forEach((k, v) -> sh.append(k)
                .append("='")
                .append(v.replace("'", "'\\''"))
                .append("'; export ")
                .append(k)
                .append('\n'));
        sh.append("exec python3 '").append(script()).append("' \"$@\"\n");
        try {
            Files.createDirectories(dir);
            Path wrapper = dir.resolve("condor_config_val");
            Files.writeString(wrapper, sh, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            return wrapper;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path install(Path dir, Path root) {
        return install(dir, root, Map.of());
    }
}
