package org.seedagent.condor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CondorConfigViewTest {
    /** The stdout of the -dump -v -expand command in transcript-modern.txt, verbatim. */
    static final String MODERN_DUMP = """
            # Configuration from machine: vm

            # Parameters with names that match ^(DAEMON_LIST|SEC_DEFAULT_AUTHENTICATION|SEC_DAEMON_AUTHENTICATION|ALLOW_DAEMON|ALLOW_WRITE|ALLOW_ADVERTISE_STARTD|SEC_PASSWORD_FILE|SEC_DEFAULT_INTEGRITY|JOB_DEFAULT_LEASE_DURATION|USE_SHARED_PORT|SHARED_PORT_PORT)$:
            ALLOW_DAEMON = condor@*  condor_pool@*
             # at: /etc/condor/condor_config, line 6, use SECURITY:recommended_v9_0+11
             # raw: condor@*  condor_pool@*
            ALLOW_WRITE = *
             # at: /etc/condor/condor_config, line 6, use SECURITY:recommended_v9_0+13
             # raw: *
            DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD
             # at: /etc/condor/condor_config, line 5, use ROLE:Submit+0
             # raw: MASTER COLLECTOR NEGOTIATOR SCHEDD
             # default: MASTER
            JOB_DEFAULT_LEASE_DURATION = 2400
             # at: <Default>
             # raw: 2400
             # default: 2400
            SEC_DEFAULT_AUTHENTICATION = required
             # at: /etc/condor/condor_config, line 6, use SECURITY:STRONG+2
             # raw: required
            SEC_DEFAULT_INTEGRITY = required
             # at: /etc/condor/condor_config, line 6, use SECURITY:STRONG+1
             # raw: required
            SEC_PASSWORD_FILE = /var/lib/condor/passwords.d/POOL
             # at: <Default>
             # raw: $(SEC_PASSWORD_DIRECTORY)/POOL
             # default: $(SEC_PASSWORD_DIRECTORY)/POOL
            SHARED_PORT_PORT = 9618
             # at: <Default>
             # raw: $(COLLECTOR_PORT)
             # default: $(COLLECTOR_PORT)
            USE_SHARED_PORT = true
             # at: <Default>
             # raw: true
             # default: true
            """;

    @Test
    void parseDump_transcript_readsValuesLocationsRawAndDefaults() {
        CondorConfigView view = CondorConfigView.parseDump(MODERN_DUMP);

        assertEquals("vm", view.machine());
        assertEquals(9, view.knobs().size());
        Knob daemons = view.knob("DAEMON_LIST").orElseThrow();
        assertEquals("MASTER COLLECTOR NEGOTIATOR SCHEDD", daemons.value());
        assertEquals(new KnobLocation("/etc/condor/condor_config", 5, "use ROLE:Submit+0"), daemons.location());
        assertEquals("MASTER", daemons.defaultValue());
        Knob password = view.knob("sec_password_file").orElseThrow();
        assertTrue(password.location().isDefault());
        assertEquals("$(SEC_PASSWORD_DIRECTORY)/POOL", password.raw());
        assertEquals("condor@*  condor_pool@*", view.value("ALLOW_DAEMON").orElseThrow());
        assertNull(view.knob("ALLOW_WRITE").orElseThrow().defaultValue());
        assertEquals(Optional.empty(), view.knob("SEC_DAEMON_AUTHENTICATION"));
    }

    @Test
    void parseDump_emptyValue_isPresentButNotDefined() {
        CondorConfigView view = CondorConfigView.parseDump("""
                # Configuration from machine: vm

                FLOCK_COLLECTOR_HOSTS =\s
                 # at: <Default>
                 # raw: $(FLOCK_TO)
                 # default: $(FLOCK_TO)
                ALLOW_WRITE =  203.0.113.10
                 # at: /etc/condor/condor_config, line 18
                 # raw:  $(TCP_FORWARDING_HOST)
                """);

        Knob flock = view.knob("FLOCK_COLLECTOR_HOSTS").orElseThrow();
        assertEquals("", flock.value());
        assertFalse(flock.isDefined());
        assertEquals(Optional.empty(), view.value("FLOCK_COLLECTOR_HOSTS"));
        assertEquals(" 203.0.113.10", view.value("ALLOW_WRITE").orElseThrow(), "leading space kept as printed");
        assertEquals(
                " $(TCP_FORWARDING_HOST)",
                view.knob("ALLOW_WRITE").orElseThrow().raw());
    }

    @Test
    void parseDump_multiLineValue_asTheRealToolPrintsIt() {
        // Verbatim from HTCondor 24.0.23's condor_config_val -dump -v -expand for
        // "ALLOW_DAEMON @=end / condor_pool@* / condor@* / @end" (lines indented in the file): the value's lines
        // come indented by three spaces, the raw value as an empty "# raw:" then one " #     " line each.
        CondorConfigView view = CondorConfigView.parseDump("""
                # Configuration from machine: vm

                # Parameters with names that match ^(ALLOW_DAEMON|DAEMON_LIST)$:
                ALLOW_DAEMON @=end
                   condor_pool@*
                   condor@*
                @end
                 # at: /etc/condor/condor_config, line 19
                 # raw:\s
                 #     condor_pool@*
                 #     condor@*
                DAEMON_LIST = MASTER COLLECTOR NEGOTIATOR SCHEDD STARTD
                 # at: /etc/condor/condor_config, line 11
                 # raw: MASTER COLLECTOR NEGOTIATOR SCHEDD STARTD
                 # default: MASTER
                """);

        Knob daemon = view.knob("ALLOW_DAEMON").orElseThrow();
        assertEquals("condor_pool@*\ncondor@*", daemon.value());
        assertEquals("condor_pool@*\ncondor@*", daemon.raw());
        assertEquals(new KnobLocation("/etc/condor/condor_config", 19, null), daemon.location());
        assertEquals(List.of("condor_pool@*", "condor@*"), CondorValues.list(daemon.value()));
        Knob list = view.knob("DAEMON_LIST").orElseThrow();
        assertEquals("MASTER COLLECTOR NEGOTIATOR SCHEDD STARTD", list.value());
        assertEquals("MASTER", list.defaultValue());
    }

    @Test
    void parseDump_multiLineDefault_isJoined() {
        CondorConfigView view = CondorConfigView.parseDump("""
                # Configuration from machine: vm
                X = 1
                 # at: /etc/condor/condor_config, line 2
                 # raw: 1
                 # default:\s
                 #     first
                 #     second
                """);

        assertEquals("first\nsecond", view.knob("X").orElseThrow().defaultValue());
    }

    @Test
    void parseDump_stopsAtContributingFiles() {
        CondorConfigView view = CondorConfigView.parseDump("""
                # Configuration from machine: vm

                DAEMON_LIST = MASTER
                 # at: <Default>
                 # raw: MASTER

                # Contributing configuration file(s):
                \t/etc/condor/condor_config
                """);

        assertEquals(
                List.of("DAEMON_LIST"), view.knobs().stream().map(Knob::name).toList());
    }

    @Test
    void parseDump_headerOnly_isAnEmptyView() {
        CondorConfigView view = CondorConfigView.parseDump(
                "# Configuration from machine: vm\n\n" + "# Parameters with names that match ^(NOTHING)$:\n");

        assertTrue(view.knobs().isEmpty());
    }

    @Test
    void parseDump_withoutVerbose_isRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CondorConfigView.parseDump("# Configuration from machine: vm\n\nDAEMON_LIST = MASTER\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void parseDump_garbage_isRejectedNamingTheLine() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CondorConfigView.parseDump("# Configuration from machine: vm\nthis is not it\n"));
        assertEquals("line 2 is a line that is neither NAME = value nor a comment: \"this is not it\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CondorConfigView.parseDump(" # at: <Default>\n"));
        assertThrows(IllegalArgumentException.class, () -> CondorConfigView.parseDump("X @=end\nvalue\n"));
    }

    @Test
    void firstDefined_followsFallbackChain_skippingEmptyValues() {
        CondorConfigView view = CondorConfigView.of(
                "vm",
                List.of(
                        new Knob("SEC_DAEMON_AUTHENTICATION", "", KnobLocation.DEFAULT, "", null),
                        new Knob("SEC_DEFAULT_AUTHENTICATION", "REQUIRED", KnobLocation.DEFAULT, "REQUIRED", null)));

        assertEquals(
                "SEC_DEFAULT_AUTHENTICATION",
                view.firstDefined("SEC_DAEMON_AUTHENTICATION", "SEC_DEFAULT_AUTHENTICATION")
                        .orElseThrow()
                        .name());
        assertEquals(Optional.empty(), view.firstDefined("NOPE"));
    }

    @Test
    void knobLocation_parsesEveryForm() {
        assertEquals(KnobLocation.DEFAULT, KnobLocation.parse("<Default>"));
        assertEquals(
                new KnobLocation("/etc/condor/config.d/49-example", 2, null),
                KnobLocation.parse("/etc/condor/config.d/49-example, line 2"));
        KnobLocation meta = KnobLocation.parse("/etc/condor/condor_config, line 6, use SECURITY:recommended_v9_0+13");
        assertEquals("use SECURITY:recommended_v9_0+13", meta.metaknob());
        assertEquals("/etc/condor/condor_config, line 6 (use SECURITY:recommended_v9_0+13)", meta.describe());
        assertEquals("/etc/condor/condor_config, line 6, use SECURITY:recommended_v9_0+13", meta.toString());
        assertEquals(new KnobLocation("<Environment>", 0, null), KnobLocation.parse("<Environment>"));
        assertFalse(KnobLocation.parse("<Environment>").isFile());
        assertEquals("HTCondor's built-in default", KnobLocation.DEFAULT.describe());
    }
}
