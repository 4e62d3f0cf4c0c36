package org.seedagent.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.seedagent.condor.Knob;
import org.seedagent.condor.KnobLocation;

class ShowTest {
    @Test
    void where_longPathWithMetaknob_keepsLineAndMetaknob() {
        // Found with the real condor_config_val on a configuration under a temporary directory: the whole
        // description was shortened to 100 characters, which cut "+12)" off the metaknob.
        String file = "/etc/condor/config.d/" + "a-long-but-ordinary-file-name-".repeat(2) + "security";
        Knob knob =
                new Knob("ALLOW_WRITE", "*", new KnobLocation(file, 8, "use SECURITY:recommended_v24_0+12"), "*", null);

        assertEquals(file + ", line 8 (use SECURITY:recommended_v24_0+12)", Show.where(knob));
    }

    @Test
    void where_pathWithControlCharacters_quotesOnlyThePath() {
        Knob knob = new Knob("ALLOW_WRITE", "*", new KnobLocation("/etc/condor/config.d/x\ny", 3, null), "*", null);

        assertEquals("\"/etc/condor/config.d/x\\ny\", line 3", Show.where(knob));
    }

    @Test
    void where_defaultOrMetaknobOnly_asDescribed() {
        assertEquals("HTCondor's built-in default", Show.where(new Knob("X", "1", KnobLocation.DEFAULT, "1", "1")));
        assertEquals(
                "/etc/condor/condor_config, line 6 (use ROLE:Execute+0)",
                Show.where(new Knob(
                        "DAEMON_LIST",
                        "MASTER STARTD",
                        new KnobLocation("/etc/condor/condor_config", 6, "use ROLE:Execute+0"),
                        "x",
                        null)));
    }
}
