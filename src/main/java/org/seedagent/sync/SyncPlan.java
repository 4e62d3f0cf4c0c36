package org.seedagent.sync;

import java.util.Optional;
import org.seedagent.config.NoPublicIpPolicy;
import org.seedagent.fragment.Fragment;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;

/** What the fragment should be, decided from the facts alone (no I/O). */
public sealed interface SyncPlan {
    /** The fragment must hold exactly this. */
    record Write(Fragment fragment) implements SyncPlan {}

    /** Our fragment must not exist (no public IPv4, policy remove). */
    record Remove() implements SyncPlan {}

    /** Leave the file as it is (no public IPv4, policy keep). */
    record Keep() implements SyncPlan {}

    /** Nothing safe can be written (no public IPv4, and the private address is unknown). */
    record Unresolved(String reason) implements SyncPlan {}

    static SyncPlan decide(Optional<Ipv4Address> publicIpv4, InstanceFacts facts, NoPublicIpPolicy policy) {
        if (publicIpv4.isPresent()) {
            return new Write(new Fragment(publicIpv4.get(), Fragment.AddressKind.PUBLIC, facts.instanceId()));
        }
        return switch (policy) {
            case REMOVE -> new Remove();
            case KEEP -> new Keep();
            case LOCAL_IPV4 ->
                facts.localIpv4() == null
                        ? new Unresolved("the instance has no public IPv4 address and its private address"
                                + " (local-ipv4) could not be read")
                        : new Write(new Fragment(facts.localIpv4(), Fragment.AddressKind.PRIVATE, facts.instanceId()));
        };
    }
}
