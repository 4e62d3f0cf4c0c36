package org.seedagent.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seedagent.checks.Severity;
import org.seedagent.config.ReloadMethod;
import org.seedagent.eip.AddressFact;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.restart.RestartKind;
import org.seedagent.sync.SyncResult;

/**
 * The state file's format did not change when {@link DaemonState} became typed (issue 23): files the previous
 * release wrote (src/test/resources/golden/state, made by the encoder of 37462b3, before the change) are read into
 * the typed state, and written again byte for byte.
 */
class PreviousReleaseStateTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/state");

    @ParameterizedTest
    @ValueSource(strings = {"steady-with-elastic-ip.json", "trouble-private-address.json", "just-started.json"})
    void writtenByThePreviousRelease_readAndWrittenAgainUnchanged(String name) throws IOException {
        String previous = Files.readString(GOLDEN.resolve(name));

        assertEquals(previous, StateCodec.encode(StateCodec.decode(previous)));
    }

    @Test
    void steadySeed_everyPartTyped() throws IOException {
        DaemonState s = read("steady-with-elastic-ip.json");

        assertEquals(SyncResult.Action.WRITTEN, s.bootSync.action());
        assertEquals(AddressKind.PUBLIC, s.addressKind);
        assertTrue(s.lastPoll.ok());
        assertFalse(s.lastFailure.ok());
        assertEquals(LastReload.Result.DONE, s.lastReload.result());
        assertEquals(ReloadMethod.RELOAD, s.lastReload.method());
        assertFalse(s.lastReload.missed());
        assertEquals(
                List.of(Severity.OK, Severity.WARNING, Severity.INFO),
                s.checks().stream().map(c -> c.severity()).toList());
        assertEquals(0, s.unreadableChecks());
        assertEquals(
                new InstanceRecord("i-0123456789abcdef0", "m6i.large", "us-east-1", "spot", "172.31.16.20"),
                s.instance);
        assertEquals("terminate", s.spotInterruption.action());
        assertEquals(ClaimOutcome.Result.ASSOCIATED, s.elasticIp.claim().result());
        assertEquals(1.2, s.elasticIp.claim().seconds());
        assertEquals(AddressFact.Kind.ELASTIC, s.elasticIp.address().kind());
        assertEquals("eipalloc-0abc", s.elasticIp.configured());
        assertEquals(RestartKind.STOP_START, s.restarts().get(0).kind());
        assertEquals(2, s.changes().size());
    }

    @Test
    void seedInTrouble_everyPartTyped() throws IOException {
        DaemonState s = read("trouble-private-address.json");

        assertTrue(s.bootSync.failed());
        assertEquals(AddressKind.PRIVATE, s.addressKind);
        assertEquals(LastReload.Result.NOT_ATTEMPTED, s.lastReload.result());
        assertEquals(ReloadMethod.RESTART, s.lastReload.method());
        assertTrue(s.lastReload.missed());
        assertEquals(3, s.pendingReload.attempts());
        assertNull(s.spotInterruption.action(), "a notice that could not be read");
        assertEquals(ClaimOutcome.Result.DENIED, s.elasticIp.claim().result());
        assertTrue(s.elasticIp.allowReassociation());
        assertEquals(AddressFact.Kind.UNKNOWN, s.elasticIp.address().kind());
        assertEquals("annex-one", s.strandedAnnexes.requests().get(0).name());
        assertEquals("HTTP 500", s.scheduledEvents.error());
    }

    @Test
    void valuesThisAgentDoesNotKnow_leaveThatPartOut_notTheFile() throws IOException {
        String previous = Files.readString(GOLDEN.resolve("steady-with-elastic-ip.json"));
        String future = previous.replace("\"result\" : \"done\"", "\"result\" : \"deferred\"")
                .replace("\"kind\" : \"public\"", "\"kind\" : \"ipv6\"")
                .replace("\"severity\" : \"warning\"", "\"severity\" : \"grave\"");

        DaemonState s = StateCodec.decode(future);

        assertNull(s.lastReload, "a reload result this agent does not know");
        assertNull(s.addressKind);
        assertEquals(2, s.checks().size());
        assertEquals(1, s.unreadableChecks());
        assertEquals("203.0.113.10", s.currentAddress, "the rest is read");
    }

    /** status --format json shows these parts as the file holds them: what the previous release's status showed. */
    @ParameterizedTest
    @ValueSource(strings = {"steady-with-elastic-ip.json", "trouble-private-address.json", "just-started.json"})
    void partsStatusShowsAsTheyAre_sameAsTheFileHolds(String name) throws IOException {
        Map<String, Object> file = JSON.std.mapFrom(Files.readString(GOLDEN.resolve(name)));
        DaemonState s = read(name);

        assertEquals(file.getOrDefault("instance", Map.of()), PartCodec.instance(s.instance));
        assertEquals(file.get("elastic_ip"), PartCodec.elasticIp(s.elasticIp));
    }

    @Test
    void severalDaemonsAdvertised_writtenAgainInTheOrderRead() throws IOException {
        String previous = Files.readString(GOLDEN.resolve("steady-with-elastic-ip.json"))
                .replace(
                        "\"master\" : \"203.0.113.10\"",
                        "\"master\" : \"203.0.113.10\",\n      \"schedd\" : \"203.0.113.10\",\n"
                                + "      \"collector\" : \"203.0.113.10\",\n      \"negotiator\" : \"198.51.100.7\"");
        assertTrue(previous.contains("negotiator"), previous);

        assertEquals(previous, StateCodec.encode(StateCodec.decode(previous)));
    }

    @Test
    void damagedElasticIpPart_leftOut_theRestRead() throws IOException {
        String previous = Files.readString(GOLDEN.resolve("steady-with-elastic-ip.json"));
        int start = previous.indexOf("\"elastic_ip\" : {");
        int end = previous.indexOf("\n  },\n", start) + 5;
        assertTrue(start > 0 && end > start, previous);

        DaemonState notAnObject =
                StateCodec.decode(previous.substring(0, start) + "\"elastic_ip\" : 7," + previous.substring(end));
        DaemonState claimWithoutTime = StateCodec.decode(previous.replace(
                "\"time\" : \"2026-12-01T10:00:00Z\",\n      \"result\" : \"associated\"",
                "\"result\" : \"associated\""));

        assertNull(notAnObject.elasticIp);
        assertEquals("203.0.113.10", notAnObject.currentAddress, "the rest is read");
        assertNull(claimWithoutTime.elasticIp.claim(), "a claim without its time");
        assertEquals(
                AddressFact.Kind.ELASTIC, claimWithoutTime.elasticIp.address().kind());
    }

    @Test
    void pollWithAResultThisAgentDoesNotKnow_leftOut_notTakenForAFailure() throws IOException {
        String previous = Files.readString(GOLDEN.resolve("steady-with-elastic-ip.json"));

        DaemonState s = StateCodec.decode(previous.replace("\"result\" : \"ok\"", "\"result\" : \"late\""));

        assertNull(s.lastPoll);
        assertFalse(s.lastFailure.ok(), "the other poll is read");
    }

    @Test
    void checksRunAgain_unreadableCountCleared() throws IOException {
        DaemonState s = StateCodec.decode(Files.readString(GOLDEN.resolve("steady-with-elastic-ip.json"))
                .replace("\"severity\" : \"warning\"", "\"severity\" : \"grave\""));
        assertEquals(1, s.unreadableChecks());

        s.setChecks(List.of());

        assertEquals(0, s.unreadableChecks());
    }

    private static DaemonState read(String name) throws IOException {
        return StateCodec.decode(Files.readString(GOLDEN.resolve(name)));
    }
}
