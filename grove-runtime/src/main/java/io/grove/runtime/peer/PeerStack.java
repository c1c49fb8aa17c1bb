package io.grove.runtime.peer;

import io.grove.api.store.ChunkStore;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.fleet.Membership;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A cell's peer protocol, wired: one signer, one verifier with its nonce cache, and the handler serving the
 * standard operations over the cell's stores.
 *
 * @param signer   signs requests and answers, verifies answers
 * @param verifier verifies requests
 * @param handler  answers requests from every carrier
 */
public record PeerStack(PeerSigner signer, PeerVerifier verifier, PeerHandler handler) {
    public PeerStack {
        if (signer == null || verifier == null || handler == null) {
            throw new IllegalArgumentException("a peer stack needs a signer, a verifier and a handler");
        }
    }

    /** Wires the protocol for a cell. */
    public static PeerStack of(CellKeys keys, Membership membership, RosterSource roster, ChunkStore chunks,
                               ManifestStore manifests, Clock clock) {
        return of(keys, membership, roster, chunks, manifests, clock, (sender, hello) -> List.of(), HeldChunks.NONE,
                List.of());
    }

    /**
     * Wires the protocol for a cell, with a listener for {@code hello}s and operations of other layers (the fleet's
     * {@code fleet.join} and {@code fleet.secrets}) besides the standard ones.
     */
    public static PeerStack of(CellKeys keys, Membership membership, RosterSource roster, ChunkStore chunks,
                               ManifestStore manifests, Clock clock, PeerOperations.HelloListener hellos,
                               HeldChunks held, List<PeerOperation> extra) {
        PeerSigner signer = new PeerSigner(keys, membership, clock);
        PeerVerifier verifier = new PeerVerifier(keys.cellId(), membership, clock, NonceCache.standard());
        List<PeerOperation> operations = new ArrayList<>(PeerOperations.standard(membership, roster, chunks, manifests,
                hellos, held));
        operations.addAll(extra);
        PeerHandler handler = new PeerHandler(verifier, signer, operations);
        return new PeerStack(signer, verifier, handler);
    }
}
