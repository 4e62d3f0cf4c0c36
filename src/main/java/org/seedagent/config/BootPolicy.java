package org.seedagent.config;

/** What the daemon does at boot when the metadata service does not answer within the deadline. */
public enum BootPolicy {
    /** Keep the previous fragment: after a reboot (not a stop/start) the address is usually the same. */
    KEEP,
    /** Remove the fragment, so HTCondor advertises its own interface address rather than a stale one. */
    REMOVE
}
