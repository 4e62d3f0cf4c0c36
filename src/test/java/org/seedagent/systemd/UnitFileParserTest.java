package org.seedagent.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFileParserTest {

    @Test
    void parse_sectionsCommentsRepeatsAndContinuations() {
        UnitFile unit = UnitFile.parse("""
                # comment
                [Unit]
                ; also a comment
                After=a.target
                After=b.target
                [Service]
                ExecStart=/bin/echo one \\
                    two
                CapabilityBoundingSet=
                """);

        assertEquals(List.of("a.target", "b.target"), unit.values("Unit", "After"));
        assertEquals("/bin/echo one two", unit.value("Service", "ExecStart"));
        assertEquals("", unit.value("Service", "CapabilityBoundingSet"));
        assertEquals(List.of(), unit.values("Service", "User"));
        assertThrows(AssertionError.class, () -> unit.value("Unit", "After"));
    }

    @Test
    void seconds_systemdTimeSpans() {
        assertEquals(90, UnitFile.seconds("90"));
        assertEquals(90, UnitFile.seconds("90s"));
        assertEquals(90, UnitFile.seconds("1min 30s"));
        assertEquals(600, UnitFile.seconds("10min"));
        assertEquals(0.5, UnitFile.seconds("500ms"));
        assertThrows(IllegalArgumentException.class, () -> UnitFile.seconds("thirty"));
        assertThrows(IllegalArgumentException.class, () -> UnitFile.seconds(""));
    }
}
