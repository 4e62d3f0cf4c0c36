package org.seedagent.cli;

/** The command line is wrong; {@code Main} prints the message and a pointer to --help, and exits 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
