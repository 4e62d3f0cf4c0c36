package org.seedagent.config;

/** How HTCondor is told that the fragment changed. */
public enum ReloadMethod {
    /** {@code systemctl reload UNIT}: SIGHUP to condor_master, a local reconfig needing no network. */
    RELOAD,
    /** {@code systemctl restart UNIT}: every daemon re-advertises within seconds; the schedd restarts. */
    RESTART,
    /** Do not tell HTCondor; it picks the address up at its next start. */
    NONE,
    /** Run reload.command. */
    COMMAND
}
