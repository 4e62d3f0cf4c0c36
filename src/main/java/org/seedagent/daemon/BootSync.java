package org.seedagent.daemon;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.seedagent.eip.ClaimOutcome;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.fragment.FragmentWriteException;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.InstanceMetadata;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;
import org.seedagent.state.BootSyncOutcome;
import org.seedagent.state.DaemonState;
import org.seedagent.state.InstanceRecord;
import org.seedagent.sync.SyncException;
import org.seedagent.sync.SyncResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boot sync: the fragment brought in line before HTCondor starts. The Elastic IP is claimed first (when
 * {@code eip.*} names one) so the fragment carries it; then the address, the scheduled events and the settings
 * checks. It never throws for an unavailable metadata service or an unwritable file: it says so, applies the boot
 * policy, and returns, so the caller can send READY=1 and let HTCondor start.
 */
final class BootSync {
    private static final Logger log = LoggerFactory.getLogger(BootSync.class);
    private final ElasticIpWatch elasticIps;
    private final ElasticIpFact elasticIpFact;
    private final AddressSync addressSync;
    private final RestartWatch restarts;
    private final SettingsCheckRun settingsChecks;
    private final Clock clock;

    BootSync(
            ElasticIpWatch elasticIps,
            ElasticIpFact elasticIpFact,
            AddressSync addressSync,
            RestartWatch restarts,
            SettingsCheckRun settingsChecks,
            Clock clock) {
        this.clock = clock;
        this.elasticIps = elasticIps;
        this.elasticIpFact = elasticIpFact;
        this.addressSync = addressSync;
        this.restarts = restarts;
        this.settingsChecks = settingsChecks;
    }

    /**
     * Runs it; {@code stepWith} makes the step for what is known of the instance so far. Returns the instance's facts
     * as the metadata service gave them (unknown when it did not answer).
     */
    InstanceFacts run(Function<InstanceFacts, Step> stepWith, FailureStreak metadataFailures)
            throws InterruptedException {
        Step unknown = stepWith.apply(InstanceFacts.UNKNOWN);
        Instant now = unknown.now();
        DaemonState state = unknown.state();
        // Kept when the sync fails after the facts were read: the restart assessment needs the instance's id.
        InstanceFacts facts = InstanceFacts.UNKNOWN;
        try {
            InstanceMetadata instance = unknown.metadata();
            ClaimOutcome claim = elasticIps.claimAtBoot(unknown.config(), instance);
            Optional<Ipv4Address> address = instance.publicIpv4();
            facts = instance.facts();
            state.instance = InstanceRecord.of(facts);
            Step step = stepWith.apply(facts);
            SyncResult result = AddressSync.synchronizer(step.config()).apply(address, facts);
            addressSync.apply(step, result, true);
            state.bootSync = new BootSyncOutcome(
                    now, result.action(), result.describe() + (claim == null ? "" : "; " + claim.detail()));
            if (claim != null && !claim.holds()) {
                step.summary()
                        .add("Elastic IP " + claim.target() + " not claimed ("
                                + claim.result().jsonName() + "): see seed-agent status");
            }
            PollRecord.ok(step, result);
            if (claim != null && claim.holds()) {
                elasticIpFact.assess(step); // answered from the claim, no request
            }
            // Events first: the checks then use the list just read instead of reading it again.
            restarts.readEvents(now, instance, state, true);
            settingsChecks.run(step, elasticIps.fact());
            return facts;
        } catch (MetadataException e) {
            String kept = AddressSync.bootFallback(unknown, clock.instant());
            log.error(
                    "cannot read the instance's address within {} s: {}; {}. HTCondor starts anyway; "
                            + "seed-agent keeps polling",
                    unknown.config().metadataDeadline().toSeconds(),
                    e.getMessage(),
                    kept);
            state.bootSync = BootSyncOutcome.failed(now, e.getMessage() + "; " + kept);
            PollRecord.failed(unknown, e.getMessage());
            metadataFailures.failed(now);
            unknown.summary().set("metadata service unavailable at boot: " + kept);
        } catch (SyncException | FragmentWriteException e) {
            addressSync.failed(stepWith.apply(facts), e, true);
            state.bootSync = BootSyncOutcome.failed(now, e.getMessage());
            unknown.summary().set("boot sync failed: " + e.getMessage());
        }
        return facts;
    }
}
