package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CondorValuesTest {
    @Test
    void list_splitsOnCommasAndSpaces() {
        assertEquals(
                List.of("MASTER", "COLLECTOR", "SCHEDD", "NEGOTIATOR"),
                CondorValues.list(" MASTER,COLLECTOR , SCHEDD\tNEGOTIATOR,"));
        assertEquals(List.of(), CondorValues.list(""));
        assertEquals(List.of(), CondorValues.list(null));
    }

    @Test
    void listContains_isCaseInsensitive_andWholeItems() {
        assertTrue(CondorValues.listContains("master, collector", "COLLECTOR"));
        assertFalse(CondorValues.listContains("MASTER COLLECTOR1", "COLLECTOR"));
    }

    @Test
    void isKeyword_ignoresCaseAndSurroundingSpace() {
        assertTrue(CondorValues.isKeyword("required", "REQUIRED"));
        assertTrue(CondorValues.isKeyword(" Required ", "REQUIRED"));
        assertFalse(CondorValues.isKeyword("PREFERRED", "REQUIRED"));
        assertFalse(CondorValues.isKeyword(null, "REQUIRED"));
    }

    @Test
    void bool_and_integer_readHtcondorForms() {
        assertTrue(CondorValues.bool("TRUE", false));
        assertFalse(CondorValues.bool("no", true));
        assertTrue(CondorValues.bool("maybe", true));
        assertEquals(OptionalInt.of(9618), CondorValues.integer(" 9618 "));
        assertEquals(OptionalInt.empty(), CondorValues.integer("$(COLLECTOR_PORT)"));
    }
}
