package org.seedagent.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures docs/RELIABILITY.md quotes, as measured by the run: every scenario appends one line to
 * {@code target/reliability/figures.tsv} (scenario, then {@code key=value} pairs) and prints it, so a
 * run's numbers can be read back from the build output or the file.
 */
public final class Figures {
    static final Path FILE = Path.of("target", "reliability", "figures.tsv");

    private final String scenario;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Figures(String scenario) {
        this.scenario = scenario;
    }

    public static Figures of(String scenario) {
        return new Figures(scenario);
    }

    public Figures with(String key, Object value) {
        values.put(key, value);
        return this;
    }

    public void record() {
        StringBuilder line = new StringBuilder(scenario.replace('\t', ' '));
        values.forEach((k, v) -> line.append('\t').append(k).append('=').append(v));
        System.out.println("RELIABILITY\t" + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(
                    FILE, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
