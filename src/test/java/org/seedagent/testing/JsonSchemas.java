package org.seedagent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The JSON outputs' schemas, {@code docs/schemas/*.schema.json}, the one description of the documents: a test hands
 * an output to {@link #assertValid} and fails naming every place it breaks the schema. References between the
 * schemas resolve to the files here, never to the network.
 */
public final class JsonSchemas {
    private static final String ID_PREFIX = "https://github.com/seed-agent/seed-agent/docs/schemas/";
    private static final Path DIRECTORY = Path.of("docs/schemas").toAbsolutePath();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(
                    mappers -> mappers.mapPrefix(ID_PREFIX, DIRECTORY.toUri().toString())));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSchemas() {}

    /** Fails unless {@code json} is valid against {@code docs/schemas/NAME.schema.json}. */
    public static void assertValid(String name, String json) {
        JsonSchema schema = FACTORY.getSchema(
                com.networknt.schema.SchemaLocation.of(ID_PREFIX + name + ".schema.json"),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        JsonNode document;
        try {
            document = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
        }
        Set<ValidationMessage> errors = schema.validate(document);
        if (!errors.isEmpty()) {
            StringBuilder said = new StringBuilder(name + ".schema.json: " + errors.size() + " error(s)");
            errors.forEach(e -> said.append("\n  ").append(e.getMessage()));
            fail(said + "\n" + json);
        }
    }
}
