package org.seedagent.logging;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Level and output of the agent's logging. SLF4J binds its provider through a static lookup, so
 * this one object is shared process-wide; {@code Main} sets the level once the configuration is read.
 */
public final class LogSettings {
    /** Libraries that may log request details at debug (the SDK logs token responses on failure). */
    private static final String[] QUIET_PREFIXES = {
        "software.amazon.awssdk",
        "org.apache.commons",
        "wiremock",
        "org.eclipse.jetty",
        "com.github.tomakehurst",
        "org.wiremock"
    };

    private static final LogSettings INSTANCE = new LogSettings();

    private volatile Level level = Level.INFO;
    private volatile boolean forced;
    private volatile PrintStream out = System.err;
    private volatile LogFormat format = new LogFormat(LogFormat.journalFromEnvironment(System.getenv()));
    private final Clock clock = Clock.systemUTC();

    private LogSettings() {}

    public static LogSettings get() {
        return INSTANCE;
    }

    /** Sets the level from the configuration, unless {@link #force} (the --debug flag) set one. */
    public void setLevel(Level level) {
        if (!forced) {
            this.level = level;
        }
    }

    /** Sets a level that the configuration cannot override. */
    public void force(Level level) {
        this.level = level;
        this.forced = true;
    }

    public Level level() {
        return level;
    }

    /** For tests: where lines go and whether they are journald-prefixed. */
    public void setOutput(PrintStream out, boolean journal) {
        this.out = out;
        this.format = new LogFormat(journal);
    }

    boolean enabled(String loggerName, Level wanted) {
        if (loggerName != null && !loggerName.startsWith("org.seedagent")) {
            for (String prefix : QUIET_PREFIXES) {
                if (loggerName.startsWith(prefix)) {
                    return Level.WARN.includes(wanted);
                }
            }
        }
        return level.includes(wanted);
    }

    void write(Level eventLevel, String message, Throwable thrown) {
        String text = format.format(clock.instant(), eventLevel, message, thrown);
        PrintStream target = out;
        synchronized (target) {
            target.print(text);
            target.flush();
        }
    }
}
