package org.seedagent.daemon;

import java.util.List;
import org.seedagent.checks.Check;
import org.seedagent.checks.CheckResult;
import org.seedagent.checks.Checks;
import org.seedagent.eip.ElasticIpWatch;
import org.seedagent.fragment.Fragment.AddressKind;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.state.DaemonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the public address in force is an Elastic IP, asked of EC2 at boot and after a change only (each
 * question costs a request, and the answer changes only with the address); the last checks' elastic-ip result
 * follows the answer.
 */
final class ElasticIpFact {
    private static final Logger log = LoggerFactory.getLogger(ElasticIpFact.class);
    private final ElasticIpWatch elasticIps;

    ElasticIpFact(ElasticIpWatch elasticIps) {
        this.elasticIps = elasticIps;
    }

    void assess(Step step) throws InterruptedException {
        DaemonState state = step.state();
        try {
            var fact = elasticIps.assess(
                    step.config(),
                    step.metadata(),
                    state.addressKind == AddressKind.PUBLIC ? state.currentAddress : null,
                    step.facts());
            if (fact != null) {
                log.info("public address {}: {}", fact.address(), fact.detail());
            }
        } catch (RuntimeException e) {
            log.warn("whether the address is an Elastic IP could not be asked: {}", e.toString());
        }
    }

    /**
     * After READY=1, when the boot synced a public address that EC2 has not yet been asked about (no claim at boot
     * answered it): ask, and let the last checks' elastic-ip result follow.
     */
    void afterReady(Step step) throws InterruptedException {
        DaemonState state = step.state();
        boolean synced = state.bootSync != null && !state.bootSync.failed();
        if (synced && elasticIps.fact() == null && state.addressKind == AddressKind.PUBLIC) {
            assess(step);
            updateCheck(step);
        }
    }

    /** Replaces the elastic-ip result of the last checks with what EC2 said since. */
    void updateCheck(Step step) {
        DaemonState state = step.state();
        Ipv4Address current = state.currentAddress == null || state.addressKind != AddressKind.PUBLIC
                ? null
                : Ipv4Address.parse(state.currentAddress);
        CheckResult updated = Checks.withReassociation(
                        List.of(Checks.elasticIp(current, elasticIps.fact())),
                        step.config().elasticIp())
                .get(0);
        state.setChecks(state.checks().stream()
                .map(c -> Check.ELASTIC_IP.id().equals(c.id()) ? updated : c)
                .toList());
    }
}
