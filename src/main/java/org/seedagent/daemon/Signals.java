package org.seedagent.daemon;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the runner in order (exit 0, not the JVM's 143); SIGHUP reloads the
 * configuration. Java has no public API for handling SIGHUP; sun.misc.Signal is the supported
 * (jdk.unsupported) way.
 */
public final class Signals {
    private Signals() {
    }

    public static void install(DaemonRunner runner) {
        Signal.handle(new Signal("TERM"), signal -> runner.stop());
        Signal.handle(new Signal("INT"), signal -> runner.stop());
        Signal.handle(new Signal("HUP"), signal -> runner.reloadConfiguration());
    }
}
