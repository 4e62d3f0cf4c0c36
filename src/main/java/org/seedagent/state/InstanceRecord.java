package org.seedagent.state;

import org.seedagent.metadata.InstanceFacts;

/** The instance the daemon runs on, as the metadata service described it; any part may be null (not read). */
public record InstanceRecord(String id, String type, String region, String lifeCycle, String localIpv4) {
    public static final InstanceRecord UNKNOWN = new InstanceRecord(null, null, null, null, null);

    public static InstanceRecord of(InstanceFacts facts) {
        return new InstanceRecord(
                facts.instanceId(),
                facts.instanceType(),
                facts.region(),
                facts.lifeCycle(),
                facts.localIpv4() == null ? null : facts.localIpv4().text());
    }
}
