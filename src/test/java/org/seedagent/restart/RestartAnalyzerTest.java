package org.seedagent.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.seedagent.restart.RestartAnalyzer.PreviousRun;
import org.seedagent.restart.RestartAnalyzer.ThisBoot;

/** The pure decision: kind, outage and verdict from the previous record and this boot. */
class RestartAnalyzerTest {
    private static final Instant BOOT = Instant.parse("2026-12-03T12:00:00Z");
    private static final String OLD_BOOT = "11111111-2222-3333-4444-555555555555";
    private static final String NEW_BOOT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final Duration POLL = Duration.ofSeconds(60);
    private static final JobLease DEFAULT_LEASE = JobLease.evaluated(null);

    private static PreviousRun clean(Instant stop, String instance, String address) {
        return new PreviousRun(OLD_BOOT, stop, stop, instance, address, POLL);
    }

    private static ThisBoot boot(String instance, String address, JobLease lease) {
        return new ThisBoot(BOOT.plusSeconds(20), new BootIdentity(NEW_BOOT, BOOT), instance, address, lease);
    }

    private static Restart assess(PreviousRun previous, ThisBoot boot) {
        return RestartAnalyzer.assess(previous, boot).orElseThrow();
    }

    @Test
    void reboot_cleanStopUnderTheLease_harmlessExactOutage() {
        Restart r = assess(
                clean(BOOT.minusSeconds(130), "i-1", "203.0.113.10"), boot("i-1", "203.0.113.10", DEFAULT_LEASE));
        assertEquals(RestartKind.REBOOT, r.kind());
        assertEquals(Restart.Verdict.HARMLESS, r.verdict());
        assertEquals(Outage.Basis.CLEAN_STOP, r.outage().basis());
        assertEquals(Duration.ofSeconds(130), r.outage().atMost());
        assertFalse(r.addressChanged());
        assertTrue(r.summary().startsWith("a reboot of i-1 (same instance, same address 203.0.113.10"), r.summary());
        assertTrue(
                r.summary()
                        .contains("down 2 min 10 s (from a clean stop at 2026-12-03 11:57:50 UTC to this boot at "
                                + "2026-12-03 12:00:00 UTC), shorter than the job lease of 2400 s (HTCondor's default;"
                                + " JOB_DEFAULT_LEASE_DURATION is not set): jobs running on annex nodes can reconnect"),
                r.summary());
        assertNull(r.remedy());
    }

    @Test
    void stopStart_addressChanged_workLostNamesTheOldAddressAndTheCleanUp() {
        Restart r = assess(
                clean(BOOT.minusSeconds(600), "i-1", "203.0.113.10"), boot("i-1", "198.51.100.7", DEFAULT_LEASE));
        assertEquals(RestartKind.STOP_START, r.kind());
        assertEquals(Restart.Verdict.LOST, r.verdict());
        assertTrue(r.addressChanged());
        assertTrue(r.summary().contains("its public address changed from 203.0.113.10 to 198.51.100.7"), r.summary());
        assertTrue(
                r.summary()
                        .contains(
                                "so jobs could have reconnected; but annex nodes started before the change were"
                                        + " given the old collector address 203.0.113.10 and will not rejoin: the jobs running on them are lost"),
                r.summary());
        assertTrue(r.remedy().contains("condor_annex -status"), r.remedy());
    }

    @Test
    void newInstance_queueGone_lost() {
        Restart r = assess(
                clean(BOOT.minusSeconds(60), "i-old", "203.0.113.10"), boot("i-new", "203.0.113.10", DEFAULT_LEASE));
        assertEquals(RestartKind.NEW_INSTANCE, r.kind());
        assertEquals(Restart.Verdict.LOST, r.verdict());
        assertTrue(r.summary().contains("a new instance, i-new, in place of i-old"), r.summary());
        assertTrue(
                r.summary().contains("the job queue on i-old is gone unless its spool was on a volume"), r.summary());
    }

    @Test
    void firstBoot_noPreviousRecord_ownKindNoOutage() {
        Restart r = assess(null, boot("i-1", "203.0.113.10", null));
        assertEquals(RestartKind.FIRST_BOOT, r.kind());
        assertEquals(Restart.Verdict.HARMLESS, r.verdict());
        assertNull(r.outage());
        assertTrue(r.summary().startsWith("first boot of i-1 from its image"), r.summary());
    }

    @Test
    void sameBootId_agentRestartOnly_noRestart() {
        PreviousRun previous =
                new PreviousRun(NEW_BOOT, BOOT.plusSeconds(900), BOOT.plusSeconds(900), "i-1", "a", POLL);
        assertEquals(Optional.empty(), RestartAnalyzer.assess(previous, boot("i-1", "a", DEFAULT_LEASE)));
    }

    @Test
    void noBootIds_heartbeatAfterThisBoot_sameBoot_beforeIt_newBoot() {
        BootIdentity unknownId = new BootIdentity(null, BOOT);
        assertFalse(
                RestartAnalyzer.newBoot(new PreviousRun(null, BOOT.plusSeconds(5), null, "i-1", "a", POLL), unknownId));
        assertTrue(RestartAnalyzer.newBoot(
                new PreviousRun(null, BOOT.minusSeconds(5), null, "i-1", "a", POLL), unknownId));
        assertFalse(
                RestartAnalyzer.newBoot(
                        new PreviousRun(null, BOOT.minusSeconds(5), null, "i-1", "a", POLL),
                        new BootIdentity(null, null)),
                "neither boot id nor boot time: not claimed to be a restart");
    }

    @Test
    void crash_onlyAHeartbeat_aboutWithBounds() {
        PreviousRun previous = new PreviousRun(OLD_BOOT, BOOT.minusSeconds(300), null, "i-1", "a", POLL);
        Restart r = assess(previous, boot("i-1", "a", DEFAULT_LEASE));
        assertEquals(Outage.Basis.HEARTBEAT, r.outage().basis());
        assertEquals(Duration.ofSeconds(240), r.outage().atLeast());
        assertEquals(Duration.ofSeconds(300), r.outage().atMost());
        assertTrue(
                r.summary().contains("down about 4 min 30 s (between 4 min and 5 min: no clean stop was recorded"),
                r.summary());
    }

    @Test
    void staleCleanStop_olderThanTheHeartbeat_judgedByTheHeartbeat() {
        PreviousRun previous =
                new PreviousRun(OLD_BOOT, BOOT.minusSeconds(100), BOOT.minusSeconds(5000), "i-1", "a", POLL);
        assertEquals(
                Outage.Basis.HEARTBEAT,
                assess(previous, boot("i-1", "a", DEFAULT_LEASE)).outage().basis());
    }

    @Test
    void clockJumped_bootBeforeTheRecord_unknownNeverNegative() {
        Restart r = assess(clean(BOOT.plusSeconds(3600), "i-1", "a"), boot("i-1", "a", DEFAULT_LEASE));
        assertFalse(r.outage().known());
        assertNull(r.outage().atLeast());
        assertEquals(Restart.Verdict.MAYBE_LOST, r.verdict());
        assertTrue(
                r.summary()
                        .contains("down for an unknown time (this boot, at 2026-12-03 12:00:00 UTC, is earlier than"
                                + " the last record, at 2026-12-03 13:00:00 UTC: the clock jumped)"),
                r.summary());
    }

    @Test
    void lease_outageLonger_lost_straddling_maybe() {
        JobLease lease = JobLease.evaluated("600");
        Restart longer = assess(clean(BOOT.minusSeconds(601), "i-1", "a"), boot("i-1", "a", lease));
        assertEquals(Restart.Verdict.LOST, longer.verdict());
        assertTrue(
                longer.summary()
                        .contains("longer than the job lease of 600 s (JOB_DEFAULT_LEASE_DURATION): jobs that"
                                + " were running on annex nodes were lost and will be rerun"),
                longer.summary());
        Restart exactly = assess(clean(BOOT.minusSeconds(600), "i-1", "a"), boot("i-1", "a", lease));
        assertEquals(Restart.Verdict.HARMLESS, exactly.verdict());
        PreviousRun crashed = new PreviousRun(OLD_BOOT, BOOT.minusSeconds(630), null, "i-1", "a", POLL);
        Restart straddling = assess(crashed, boot("i-1", "a", lease));
        assertEquals(Restart.Verdict.MAYBE_LOST, straddling.verdict());
        assertTrue(straddling.summary().contains("perhaps longer than the job lease of 600 s"), straddling.summary());
    }

    @Test
    void leaseUnreadable_defaultAssumedAndSaid() {
        Restart r = assess(
                clean(BOOT.minusSeconds(60), "i-1", "a"),
                boot("i-1", "a", JobLease.unreadable("condor_config_val: No such file or directory")));
        assertEquals(2400, r.leaseSeconds());
        assertEquals("unreadable", r.leaseSource());
        assertTrue(
                r.summary()
                        .contains("the job lease, assumed to be HTCondor's default of 2400 s (it could not be read:"
                                + " condor_config_val: No such file or directory)"),
                r.summary());
    }

    @Test
    void metadataDownAtBoot_restartOfUnknownKind_outageStillComputed() {
        Restart r = assess(clean(BOOT.minusSeconds(90), "i-1", "a"), boot(null, null, DEFAULT_LEASE));
        assertEquals(RestartKind.RESTART, r.kind());
        assertEquals(Duration.ofSeconds(90), r.outage().atMost());
        assertEquals(Restart.Verdict.MAYBE_LOST, r.verdict(), "the address may have changed");
        assertTrue(r.summary().startsWith("a restart (which instance and address is not known"), r.summary());
        assertTrue(
                r.summary()
                        .endsWith("whether the public address changed is not known until the metadata service"
                                + " answers (a change is then logged as one, with the annex nodes it strands)"),
                r.summary());
    }

    @Test
    void jobLease_notANumber_unreadable() {
        JobLease lease = JobLease.evaluated("$(UNDEFINED_MACRO) * 2");
        assertEquals(JobLease.Source.UNREADABLE, lease.source());
        assertEquals(2400, lease.seconds());
    }
}
