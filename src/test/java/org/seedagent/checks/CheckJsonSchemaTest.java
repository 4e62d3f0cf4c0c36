package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seedagent.condor.CondorEvaluation;
import org.seedagent.testing.JsonSchemas;

/** Issue 23: check's JSON is what docs/schemas/check.schema.json describes, on every kind of seed. */
class CheckJsonSchemaTest {
    @Test
    void everySeed_validAgainstTheSchema() {
        for (Seed seed : List.of(
                Seed.healthy(),
                Seed.hpcAnnex(),
                Seed.healthy().condorFails(CondorEvaluation.Kind.NOT_INSTALLED, "cannot run x", null, 0),
                Seed.healthy()
                        .without("JOB_DEFAULT_LEASE_DURATION")
                        .knob(
                                "TCP_FORWARDING_HOST",
                                "198.51.100.7",
                                Seed.at("/etc/condor/config.d/99-old.conf", 3),
                                "198.51.100.7"))) {
            JsonSchemas.assertValid("check", new CheckReport(seed.results()).json());
        }
    }

    /** The schema can fail: an unknown severity and a missing remedy key are caught. */
    @Test
    void aDocumentThatBreaksTheSchema_fails() {
        String json = new CheckReport(Seed.healthy().results()).json();
        AssertionError badSeverity = assertThrows(
                AssertionError.class,
                () -> JsonSchemas.assertValid(
                        "check", json.replaceFirst("\"severity\" : \"ok\"", "\"severity\" : \"fine\"")));
        assertTrue(badSeverity.getMessage().contains("severity"), badSeverity.getMessage());
        assertThrows(
                AssertionError.class,
                () -> JsonSchemas.assertValid("check", json.replaceFirst(",\\s*\"remedy\" : null", "")));
    }
}
