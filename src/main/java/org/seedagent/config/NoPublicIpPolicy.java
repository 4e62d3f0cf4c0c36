package org.seedagent.config;

/** What to write when the instance has no public IPv4 address (metadata answers 404). */
public enum NoPublicIpPolicy {
    /**
     * Forward to the instance's private address: an address the host owns, so daemons still reach
     * their master, and seeds whose COLLECTOR_HOST is built from TCP_FORWARDING_HOST keep working
     * inside the VPC.
     */
    LOCAL_IPV4,
    /** Remove our fragment, so HTCondor advertises its own interface address. */
    REMOVE,
    /** Leave the fragment as it is (a stale public address makes daemons unable to reach their master). */
    KEEP;
}
