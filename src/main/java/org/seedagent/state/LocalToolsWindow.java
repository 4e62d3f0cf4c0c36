package org.seedagent.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A window in which the seed's own tools could not reach HTCondor's daemons after a change of address: the files
 * local tools find the daemons through (the schedd's local ad for a normal user's {@code condor_q} and
 * {@code condor_submit}, the master's and the collector's address files) named another address than the one in
 * force, or were missing while the daemons restarted.
 *
 * @param address the address in force the daemons should be reached at
 * @param since when the window opened (the change of address, when the agent made it)
 * @param until when every file named {@code address} again; null while the window is open
 * @param failing the daemons local tools cannot reach now (empty once closed)
 * @param failed every daemon local tools could not reach at some time in the window, in the order first seen
 */
public record LocalToolsWindow(
        String address, Instant since, Instant until, List<String> failing, List<String> failed) {
    public LocalToolsWindow {
        failing = List.copyOf(failing);
        failed = List.copyOf(failed);
    }

    public boolean open() {
        return until == null;
    }

    /** The window's length in whole seconds once closed; null while open. */
    public Long seconds() {
        return until == null ? null : Math.max(0, Duration.between(since, until).toSeconds());
    }
}
