package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.VerifiedResponse;
import io.grove.runtime.peers.Peers;
import io.grove.runtime.routes.PeerHealth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches a chunk this cell lacks from the fleet: the cells recorded as holding it first, then every other member,
 * each ordered by health (up, then the best route score). Every body is checked against the chunk id while it
 * streams (a tampered, truncated, swapped or oversized body is refused and the next holder asked), and the chunk is
 * stored locally so the next read is local. Sealed bytes only: nothing is decrypted here.
 */
public final class RemoteChunks {
    private static final System.Logger LOG = System.getLogger(RemoteChunks.class.getName());
    /** The most cells asked for one chunk. */
    static final int MAX_ASKED = 16;

    private final Placement placement;
    private final RosterBook roster;
    private final Peers peers;
    private final ChunkStore store;

    public RemoteChunks(Placement placement, RosterBook roster, Peers peers, ChunkStore store) {
        this.placement = placement;
        this.roster = roster;
        this.peers = peers;
        this.store = store;
    }

    /**
     * The chunk's bytes from the first cell that serves them intact, also stored here (replacing a damaged local
     * copy when {@code replaceLocal}); empty when no member does (or this cell is in no fleet).
     */
    public Optional<byte[]> fetch(ChunkId id, boolean replaceLocal) {
        Optional<SignedRoster> current = roster.current();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Set<CellId> order = new LinkedHashSet<>(byHealth(placement.holders(
                List.of(new Item(id.hex(), Item.Kind.CHUNK))).get(id.hex())));
        order.addAll(byHealth(current.get().roster().members().stream().map(Member::id)
                .filter(c -> !c.equals(peers.self())).toList()));
        int asked = 0;
        for (CellId cell : order) {
            if (asked++ >= MAX_ASKED) {
                break;
            }
            try {
                Optional<byte[]> bytes = peers.call(cell, route -> {
                    Optional<VerifiedResponse> response = peers.client().chunk(route, id);
                    if (response.isEmpty()) {
                        return Optional.<byte[]>empty();
                    }
                    try (VerifiedResponse r = response.get()) {
                        return Optional.of(r.bytes());
                    }
                });
                // PeerClient.chunk required the signed digest to be the id and the body was checked against it as it
                // streamed: these bytes are the chunk.
                if (bytes.isPresent()) {
                    if (replaceLocal) {
                        store.delete(id); // the local copy is damaged: the intact one replaces it
                    }
                    store.put(id, new ByteArrayInputStream(bytes.get()), bytes.get().length);
                    placement.confirm(new Item(id.hex(), Item.Kind.CHUNK), cell, "fetch");
                    LOG.log(System.Logger.Level.INFO, "fetched missing chunk {0} from {1}", id.hex().substring(0, 12),
                            cell.shortForm());
                    return bytes;
                }
            } catch (PeerRejection e) {
                LOG.log(System.Logger.Level.WARNING, "{0} served chunk {1} with other content; asking another holder",
                        cell.shortForm(), id.hex().substring(0, 12));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "fetching {0} from {1} failed: {2}", id.hex(), cell.shortForm(),
                        e.toString());
            }
        }
        return Optional.empty();
    }

    private List<CellId> byHealth(java.util.Collection<CellId> cells) {
        List<CellId> sorted = new ArrayList<>(cells);
        sorted.removeIf(c -> c.equals(peers.self()));
        sorted.sort(Comparator.comparing((CellId c) -> !peers.routes().health(c).up())
                .thenComparingDouble(c -> best(peers.routes().health(c))));
        return sorted;
    }

    private static double best(PeerHealth health) {
        return health.routes().stream().filter(r -> r.score().isPresent())
                .mapToDouble(r -> r.score().getAsDouble()).min().orElse(Double.MAX_VALUE);
    }

}
