package org.seedagent.daemon;

import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT stop the runner in order (exit 0, not the JVM's 143); SIGHUP reloads the
 * configuration. Java has no public API for handling SIGHUP; sun.misc.Signal is the supported
 * (jdk.unsupported) way.
 */
public final class Signals {
    private Signals() {}

    public static void install(DaemonRunner runner) {
        Signal.handle(new Signal("TERM"), signal -> runner.stop());
        Signal.handle(new Signal("INT"), signal -> runner.stop());
        SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> runner.reloadConfiguration());
        if (previous == SignalHandler.SIG_IGN) {
            // The JVM leaves a signal that was ignored when it started (nohup) ignored.
            LoggerFactory.getLogger(Signals.class)
                    .warn("SIGHUP is ignored in this process (started under nohup?): "
                            + "the configuration cannot be reloaded with a signal; restart the agent instead");
        }
    }
}
