package org.seedagent.systemd;

import java.io.IOException;

/**
 * An open AF_UNIX datagram socket that sends to one address. Kept apart from its JNA implementation
 * so that a process without {@code NOTIFY_SOCKET} never loads JNA.
 */
interface NotifySocket extends AutoCloseable {

    /** Sends {@code message} as one datagram. */
    void send(byte[] message) throws IOException;

    @Override
    void close() throws IOException;

    /** Opens a socket for an address. */
    @FunctionalInterface
    interface Opener {
        NotifySocket open(NotifyAddress address) throws IOException;
    }
}
