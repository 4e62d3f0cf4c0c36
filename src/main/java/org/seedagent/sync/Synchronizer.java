package org.seedagent.sync;

import java.util.Optional;
import org.seedagent.config.NoPublicIpPolicy;
import org.seedagent.fragment.Fragment;
import org.seedagent.fragment.FragmentFile;
import org.seedagent.fragment.FragmentWriteException;
import org.seedagent.metadata.InstanceFacts;
import org.seedagent.metadata.Ipv4Address;
import org.seedagent.metadata.MetadataException;

/**
 * One reconciliation of the fragment with the instance's address: read the address, decide what
 * the fragment must be ({@link SyncPlan}, pure), and change the file only on a difference.
 */
public final class Synchronizer {
    private final FragmentFile file;
    private final NoPublicIpPolicy policy;

    public Synchronizer(FragmentFile file, NoPublicIpPolicy policy) {
        this.file = file;
        this.policy = policy;
    }

    /**
     * Brings the fragment in line with {@code publicIpv4} (empty: the instance has none).
     *
     * @throws SyncException when nothing safe can be decided; the file is left as it was
     * @throws FragmentWriteException when the file cannot be written; the previous file is intact
     */
    public SyncResult apply(Optional<Ipv4Address> publicIpv4, InstanceFacts facts)
            throws SyncException, FragmentWriteException {
        SyncPlan plan = SyncPlan.decide(publicIpv4, facts, policy);
        Optional<String> before = file.read();
        String previousHost = before.map(Fragment::forwardingHostIn).orElse(null);
        if (plan instanceof SyncPlan.Write write) {
            Fragment fragment = write.fragment();
            boolean edited = before.isPresent() && !before.get().equals(fragment.text());
            FragmentFile.WriteResult written = file.write(fragment.text());
            SyncResult.Action action = written == FragmentFile.WriteResult.WRITTEN
                    ? SyncResult.Action.WRITTEN
                    : SyncResult.Action.UNCHANGED;
            return new SyncResult(action, fragment, previousHost, edited, file.path(), before.orElse(null));
        }
        if (plan instanceof SyncPlan.Remove) {
            boolean removed = file.remove();
            return new SyncResult(
                    removed ? SyncResult.Action.REMOVED : SyncResult.Action.ABSENT,
                    null,
                    previousHost,
                    false,
                    file.path(),
                    before.orElse(null));
        }
        if (plan instanceof SyncPlan.Keep) {
            return new SyncResult(SyncResult.Action.KEPT, null, previousHost, false, file.path(), before.orElse(null));
        }
        throw new SyncException(((SyncPlan.Unresolved) plan).reason() + "; " + file.path() + " was left as it was");
    }

    /** Reads the address from the metadata service, then {@link #apply}s it. */
    public SyncResult sync(org.seedagent.metadata.InstanceMetadata metadata, InstanceFacts facts)
            throws MetadataException, SyncException, FragmentWriteException, InterruptedException {
        return apply(metadata.publicIpv4(), facts);
    }
}
