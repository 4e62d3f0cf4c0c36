package org.seedagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seedagent.checks.Area;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Severity;
import org.seedagent.config.ReloadMethod;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.sync.SyncResult;

class StateStoreTest {
    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void saveLoad_roundTrip_keepsEveryField() throws IOException {
        DaemonState s = new DaemonState();
        s.version = "0.1.0";
        s.pid = 4242;
        s.startedAt = T;
        s.heartbeat = T.plusSeconds(60);
        s.bootSync = new BootSyncOutcome(T, SyncResult.Action.WRITTEN, "wrote /x: TCP_FORWARDING_HOST = 203.0.113.10");
        s.currentAddress = "203.0.113.10";
        s.addressKind = AddressKind.PUBLIC;
        s.addressSince = T;
        s.fragmentPath = "/etc/condor/config.d/50-seed-agent.conf";
        s.fragmentSha256 = "ab".repeat(32);
        s.lastPoll = Poll.ok(T.plusSeconds(60), "unchanged");
        s.lastSuccess = T.plusSeconds(60);
        s.lastFailure = Poll.failed(T.plusSeconds(30), "HTTP 500");
        s.lastReload =
                new LastReload(T, LastReload.Result.DONE, ReloadMethod.RELOAD, "systemctl reload condor.service");
        s.advertised = new DaemonState.Advertised(
                T.plusSeconds(60), "203.0.113.10", Map.of("master", "203.0.113.10"), true, 42L);
        s.setChecks(List.of(new CheckResult("central-manager", Area.CENTRAL_MANAGER, Severity.OK, "runs", null)));
        s.checksAt = T;
        s.instance = new InstanceRecord("i-0123456789abcdef0", null, null, null, null);
        s.recordChange(new DaemonState.Change(T, "198.51.100.7", "203.0.113.10"));

        StateStore store = new StateStore(dir);
        store.save(s);
        DaemonState back = store.load();

        assertEquals(StateCodec.encode(s), StateCodec.encode(back));
        assertEquals("203.0.113.10", back.currentAddress);
        assertEquals(List.of(new DaemonState.Change(T, "198.51.100.7", "203.0.113.10")), back.changes());
        assertEquals(42L, back.advertised.convergedAfterSeconds());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertTrue(Files.readString(store.file()).contains("\"schema_version\" : 1"));
    }

    @Test
    void recordChange_historyBounded() {
        DaemonState s = new DaemonState();
        for (int i = 0; i < 50; i++) {
            s.recordChange(new DaemonState.Change(T.plusSeconds(i), "10.0.0." + i, "10.0.0." + (i + 1)));
        }
        assertEquals(DaemonState.HISTORY, s.changes().size());
        assertEquals("10.0.0.50", s.changes().get(DaemonState.HISTORY - 1).to());
    }

    @Test
    void load_missing_null() throws IOException {
        assertNull(new StateStore(dir).load());
    }

    @Test
    void load_corrupt_ioExceptionSaysWhy() throws IOException {
        StateStore store = new StateStore(dir);
        Files.writeString(store.file(), "{\"schema_version\": 1, \"agent\": {\"ver");
        IOException e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().startsWith("not valid JSON"), e.getMessage());
    }

    @Test
    void load_wrongTypes_ioException() throws IOException {
        StateStore store = new StateStore(dir);
        Files.writeString(store.file(), "{\"schema_version\": 1, \"agent\": {\"started_at\": \"yesterday\"}}");
        IOException e = assertThrows(IOException.class, store::load);
        assertTrue(e.getMessage().startsWith("unexpected value"), e.getMessage());
    }

    @Test
    void load_otherSchema_ioException() throws IOException {
        StateStore store = new StateStore(dir);
        Files.writeString(store.file(), "{\"schema_version\": 7}");
        assertTrue(assertThrows(IOException.class, store::load).getMessage().contains("schema_version 7"));
    }
}
