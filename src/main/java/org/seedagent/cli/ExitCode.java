package org.seedagent.cli;

/** Exit codes of every sub-command, from sysexits.h where one fits. Documented in the README. */
public final class ExitCode {
    /** Done: the fragment was written, was already right, or the instance has no public IPv4. */
    public static final int OK = 0;
    /** {@code check}: a check failed; {@code status}: something needs attention. */
    public static final int FAILURE = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** EX_USAGE: the command line was wrong, for {@code status}, whose 2 means "degraded". */
    public static final int STATUS_USAGE = 64;
    /** EX_UNAVAILABLE: the instance metadata service is disabled or did not answer in time. */
    public static final int UNAVAILABLE = 69;
    /** EX_SOFTWARE: an internal error (a bug); the message says what. */
    public static final int SOFTWARE = 70;
    /** EX_CANTCREAT: the fragment could not be written. */
    public static final int CANT_CREATE = 73;
    /** EX_CONFIG: the agent's configuration file is invalid. */
    public static final int CONFIG = 78;

    private ExitCode() {}
}
