package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.audit.AuditBook;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peers.Peers;

import java.io.IOException;
import java.util.List;

/**
 * Tells a holder it may drop copies this cell no longer needs there (peer operation {@code chunk.release}) and, once
 * it agreed, forgets them: recorded as released in placement (so its inventory does not count them again) and no
 * longer audited (the holder would answer "not held", and a released copy is no missing copy). Used for surplus
 * copies and shards, copies an old folder layout left, and orphaned copies.
 */
final class CopyReleases {
    private static final System.Logger LOG = System.getLogger(CopyReleases.class.getName());

    private final Placement placement;
    private final Peers peers;
    private final AuditBook audits;

    CopyReleases(Placement placement, Peers peers, AuditBook audits) {
        this.placement = placement;
        this.peers = peers;
        this.audits = audits;
    }

    /**
     * Releases {@code ids} (chunks or shards, at most {@link ReplicationOperations#MAX_IDS}) on {@code holder}.
     *
     * @return false when the holder could not be told (unreachable, or it refused); nothing is forgotten then
     */
    boolean release(CellId holder, List<String> ids) {
        try {
            peers.call(holder, route -> peers.client().call(route, ReplicationOperations.RELEASE,
                    ReplicationOperations.body(ids), 4096));
        } catch (IOException | PeerRejection e) {
            LOG.log(System.Logger.Level.DEBUG, "release refused by {0}: {1}", holder.shortForm(), e.getMessage());
            return false;
        }
        for (String id : ids) {
            placement.released(id, holder);
            audits.forget(ChunkId.of(id), holder);
        }
        return true;
    }
}
