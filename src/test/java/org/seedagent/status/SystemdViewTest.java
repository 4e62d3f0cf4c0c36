package org.seedagent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code systemctl show} output as systemd 252 prints it (its own property order, empty values kept). */
class SystemdViewTest {
    @Test
    void parse_running() {
        SystemdView view = SystemdView.parse("""
                MainPID=4242
                StatusText=TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)
                LoadState=loaded
                ActiveState=active
                SubState=running
                ActiveEnterTimestamp=Wed 2025-01-01 10:00:00 UTC
                """);

        assertTrue(view.available());
        assertTrue(view.installed());
        assertTrue(view.up());
        assertFalse(view.down());
        assertEquals(4242, view.mainPid());
        assertEquals("TCP_FORWARDING_HOST = 203.0.113.10 (public IPv4)", view.statusText());
        assertEquals(Instant.parse("2025-01-01T10:00:00Z"), view.activeSince());
    }

    @Test
    void parse_notFoundUnit_notInstalled_neitherUpNorDown() {
        SystemdView view = SystemdView.parse("LoadState=not-found\nActiveState=inactive\nSubState=dead\nMainPID=0\n"
                + "ActiveEnterTimestamp=\nStatusText=\n");

        assertFalse(view.installed());
        assertFalse(view.up());
        assertFalse(view.down());
        assertNull(view.activeSince());
    }

    @Test
    void parse_failedUnit_down() {
        SystemdView view = SystemdView.parse("ActiveState=failed\nSubState=failed\nLoadState=loaded\n");

        assertTrue(view.down());
    }

    @Test
    void parse_noActiveState_unavailable() {
        SystemdView view = SystemdView.parse("");

        assertFalse(view.available());
        assertEquals("systemctl show printed no ActiveState", view.problem());
    }

    @Test
    void activeSince_otherZones_orUnparseable() {
        assertEquals(
                Instant.parse("2025-01-01T09:00:00Z"),
                SystemdView.parse("ActiveState=active\nActiveEnterTimestamp=Wed 2025-01-01 10:00:00 CET\n")
                        .activeSince());
        assertNull(SystemdView.parse("ActiveState=active\nActiveEnterTimestamp=n/a\n")
                .activeSince());
        assertNull(SystemdView.parse("ActiveState=active\nActiveEnterTimestamp=Wed 2025-01-01 10:00:00 XYZT\n")
                .activeSince());
    }

    @Test
    void command_asksForTheUnitsProperties() {
        assertEquals(
                List.of(
                        "systemctl",
                        "show",
                        "seed-agent.service",
                        "-p",
                        "LoadState,ActiveState,SubState,Result,MainPID,ActiveEnterTimestamp,StatusText"),
                SystemdView.command());
    }
}
