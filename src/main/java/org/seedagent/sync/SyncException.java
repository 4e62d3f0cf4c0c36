package org.seedagent.sync;

/** A sync could not decide on a fragment (e.g. no address at all is known). Nothing was written. */
public final class SyncException extends Exception {
    private static final long serialVersionUID = 1L;

    public SyncException(String message) {
        super(message);
    }
}
