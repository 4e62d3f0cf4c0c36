package org.seedagent.state;

import java.time.Instant;
import org.seedagent.sync.SyncResult;

/**
 * What the boot sync did: the fragment's action, or that it failed.
 *
 * @param action what happened to the fragment; null when the sync failed
 * @param detail what it wrote, or why it failed (and what was kept)
 */
public record BootSyncOutcome(Instant time, SyncResult.Action action, String detail) {
    public static BootSyncOutcome failed(Instant time, String detail) {
        return new BootSyncOutcome(time, null, detail);
    }

    public boolean failed() {
        return action == null;
    }
}
