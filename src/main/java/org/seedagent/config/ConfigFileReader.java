package org.seedagent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.seedagent.support.Failures;

/**
 * Reads the keys set in a configuration file (Java properties syntax), with the line each is on; the values
 * are not validated here ({@link ValueParser} does that). A key set twice, an unknown key, a file that is not
 * UTF-8 or cannot be read is a {@link ConfigException} naming the file.
 */
final class ConfigFileReader {
    /** The keys a file sets: each one's value (stripped) and its line. */
    record Settings(Map<ConfigKey, String> values, Map<ConfigKey, Integer> lines) {
        Settings {
            values = Map.copyOf(values);
            lines = Map.copyOf(lines);
        }
    }

    /**
     * Unescapes keys the way Commons Configuration unescapes values. Its default for keys is Commons
     * Text's {@code StringEscapeUtils}, whose class initialisation builds HTML entity tables: ~7 ms
     * of the boot path, for keys that are plain ASCII names anyway.
     */
    private static final class KeyUnescapingReader extends PropertiesConfiguration.PropertiesReader {
        KeyUnescapingReader(Reader reader) {
            super(reader);
        }

        @Override
        protected String unescapePropertyName(String name) {
            return unescapePropertyValue(name);
        }
    }

    Settings read(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": cannot read configuration file: it is a directory");
        }
        // Commons Configuration's properties reader alone: the full PropertiesConfiguration would also
        // set up variable interpolation (${env:...} and friends), which costs a tenth of a second on
        // the boot path and which the agent's literal settings must not have anyway.
        Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, Integer> lines = new EnumMap<>(ConfigKey.class);
        List<String> unknown = new ArrayList<>();
        try (PropertiesConfiguration.PropertiesReader reader =
                new KeyUnescapingReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            while (reader.nextProperty()) {
                String name = reader.getPropertyName();
                int line = reader.getLineNumber();
                ConfigKey key = ConfigKey.byKey(name);
                if (key == null) {
                    String meant = KeySuggestion.closest(name);
                    unknown.add(name + " (line " + line + ")" + (meant == null ? "" : "; did you mean " + meant + "?"));
                    continue;
                }
                Integer first = lines.putIfAbsent(key, line);
                if (first != null) {
                    throw new ConfigException(file + ": key " + name + " is set twice (lines " + first + " and " + line
                            + "); expected it once");
                }
                values.put(key, reader.getPropertyValue().strip());
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": configuration file does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": cannot read configuration file: it is not UTF-8 text"
                    + firstLineNotUtf8(file) + " (save it as UTF-8; plain ASCII is UTF-8)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + Failures.reason(e));
        } catch (RuntimeException e) {
            throw new ConfigException(file + ": cannot parse configuration file: " + e.getMessage(), e);
        }
        if (!unknown.isEmpty()) {
            boolean suggested = unknown.stream().allMatch(u -> u.contains("did you mean"));
            throw new ConfigException(file + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + (suggested ? "" : "; expected one of: " + KeySuggestion.known()));
        }
        return new Settings(values, lines);
    }

    /** " (line N)": the first line that is not UTF-8, or "" when the file cannot be read again. */
    private static String firstLineNotUtf8(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int line = 1;
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, start, i - start));
                    } catch (CharacterCodingException e) {
                        return " (line " + line + ")";
                    }
                    line++;
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            // read once already; the message stands without the line
        }
        return "";
    }
}
