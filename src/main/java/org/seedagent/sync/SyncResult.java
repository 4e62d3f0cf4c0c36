package org.seedagent.sync;

import java.nio.file.Path;
import org.seedagent.fragment.Fragment;

/**
 * What one sync did.
 *
 * @param action what happened to the file
 * @param fragment the fragment now in force, or null when none was written (removed, kept, absent)
 * @param previousHost the TCP_FORWARDING_HOST of the file before, or null when there was no fragment of ours
 * @param previousEdited whether the file before was ours by path but not byte-identical to what
 *     the same address renders to (hand-edited, truncated, or written by an older version)
 * @param path the fragment's path
 * @param previousContent the file's content before, or null when there was no regular file
 */
public record SyncResult(
        Action action,
        Fragment fragment,
        String previousHost,
        boolean previousEdited,
        Path path,
        String previousContent) {
    /** What happened to the fragment file. */
    public enum Action {
        /** Written because it was missing or different. */
        WRITTEN,
        /** Already exactly right; not touched. */
        UNCHANGED,
        /** Removed (no public IPv4, policy remove). */
        REMOVED,
        /** No public IPv4 and policy remove, but there was no fragment to remove. */
        ABSENT,
        /** No public IPv4 and policy keep: left as it was. */
        KEPT
    }

    /** Whether the address HTCondor should use changed (so a reload is needed). */
    public boolean addressChanged() {
        return switch (action) {
            case WRITTEN ->
                previousHost == null
                        || !previousHost.equals(fragment.forwardingHost().text());
            case REMOVED -> true;
            case UNCHANGED, ABSENT, KEPT -> false;
        };
    }

    /** One line for people: what was done, to which file, with which address. */
    public String describe() {
        String value = fragment == null ? null : "TCP_FORWARDING_HOST = " + fragment.forwardingHost();
        String privateNote = fragment != null && fragment.kind() == Fragment.AddressKind.PRIVATE
                ? " (no public IPv4 on this instance; private address used, no-public-ip = local-ipv4)"
                : "";
        return switch (action) {
            case WRITTEN -> {
                String why;
                if (previousHost == null) {
                    why = previousEdited ? " (replaced a file that was not seed-agent's)" : "";
                } else if (!previousHost.equals(fragment.forwardingHost().text())) {
                    why = " (was " + previousHost + ")";
                } else {
                    why = " (restored: the file had been edited)";
                }
                yield "wrote " + path + ": " + value + why + privateNote;
            }
            case UNCHANGED -> "unchanged " + path + ": " + value + privateNote;
            case REMOVED ->
                "no public IPv4 on this instance: removed " + path
                        + (previousHost == null ? "" : " (was " + previousHost + ")")
                        + "; HTCondor advertises its own interface address";
            case ABSENT ->
                "no public IPv4 on this instance: " + path + " is absent, as configured (no-public-ip = remove)";
            case KEPT -> "no public IPv4 on this instance: kept " + path + " as it is (no-public-ip = keep)";
        };
    }
}
