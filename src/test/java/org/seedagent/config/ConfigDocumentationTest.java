package org.seedagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's table and the packaged sample file must list exactly the keys the loader knows. */
class ConfigDocumentationTest {
    @Test
    void readme_configurationTable_matchesConfigKeys() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        int end = readme.indexOf("\n## ", start + 1);
        assertTrue(start >= 0 && end > start, "README has a Configuration section");
        List<String> rows = readme.substring(start, end)
                .lines()
                .filter(line -> line.matches("\\| `[a-z0-9.-]+` \\| `[^`]*` \\| .*"))
                .toList();
        for (ConfigKey key : ConfigKey.values()) {
            String prefix = "| `" + key.key() + "` | `" + key.defaultValue() + "` | ";
            assertTrue(rows.stream().anyMatch(row -> row.startsWith(prefix)), "README lacks row " + prefix);
        }
        assertEquals(ConfigKey.values().length, rows.size(), "README rows: " + rows);
    }

    @Test
    void sampleConfig_listsEveryKeyWithItsDefault() throws IOException, ConfigException {
        Path sample = Path.of("packaging/seed-agent.conf");
        String text = Files.readString(sample);
        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(
                    text.contains("\n#" + key.key() + " = " + key.defaultValue() + "\n"), "sample lacks " + key.key());
        }
        // Uncommented, the sample is a valid configuration equal to the defaults.
        Path uncommented = Files.createTempFile("seed-agent", ".conf");
        try {
            Files.writeString(uncommented, text.replaceAll("(?m)^#([a-z][a-z0-9.-]+ = )", "$1"));
            AgentConfig config = new AgentConfigLoader().load(uncommented, true);
            AgentConfig defaults = new AgentConfigLoader().defaults();
            // Every setting, not three of them (issue 23); only where it came from differs.
            int compared = 0;
            for (java.lang.reflect.RecordComponent component : AgentConfig.class.getRecordComponents()) {
                if (component.getName().equals("source")) {
                    continue;
                }
                try {
                    assertEquals(
                            component.getAccessor().invoke(defaults),
                            component.getAccessor().invoke(config),
                            component.getName());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(component.getName(), e);
                }
                compared++;
            }
            assertEquals(AgentConfig.class.getRecordComponents().length - 1, compared);
        } finally {
            Files.deleteIfExists(uncommented);
        }
    }
}
