package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.erasure.ErasureCode;
import io.grove.runtime.erasure.ErasureException;
import io.grove.runtime.erasure.ShardSet;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches a chunk this cell lacks from the fleet: the cells recorded as holding it first, then every other member,
 * each ordered by health (up, then the best route score). Every body is checked against the chunk id while it
 * streams (a tampered, truncated, swapped or oversized body is refused and the next holder asked), and the chunk is
 * stored locally so the next read is local (not an offloaded chunk: that is read through). An erasure-coded chunk is
 * rebuilt from any {@code k} intact shards. Sealed bytes only: nothing is decrypted here.
 */
public final class RemoteChunks {
    private static final System.Logger LOG = System.getLogger(RemoteChunks.class.getName());
    /** The most cells asked for one chunk. */
    static final int MAX_ASKED = 16;
    /** The most shard requests for one chunk. */
    static final int MAX_SHARD_ASKS = 64;
    /** How long one batch of shard fetches may take. */
    static final long PER_SHARD_TIMEOUT_SECONDS = 120;

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
        ShardBook book = placement.shards();
        // An offloaded chunk is read through: not stored here again (the next round would only delete it again).
        boolean keep = replaceLocal || !book.isOffloaded(id);
        Optional<ShardSet> set = book.get(id);
        if (set.isPresent()) {
            Optional<byte[]> rebuilt = rebuild(set.get());
            if (rebuilt.isPresent()) {
                if (keep) {
                    try {
                        keepLocally(id, rebuilt.get(), replaceLocal);
                    } catch (IOException e) {
                        LOG.log(System.Logger.Level.WARNING, "cannot keep rebuilt chunk {0}: {1}", id.hex(), e.toString());
                    }
                }
                return rebuilt;
            }
            // Fewer than k intact shards answered: a whole copy may still exist somewhere (the layout changed).
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
                Optional<byte[]> bytes = fetchFrom(cell, id);
                // PeerClient.chunk required the signed digest to be the id and the body was checked against it as it
                // streamed: these bytes are the chunk.
                if (bytes.isPresent()) {
                    if (keep) {
                        keepLocally(id, bytes.get(), replaceLocal);
                    }
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

    private void keepLocally(ChunkId id, byte[] bytes, boolean replaceLocal) throws IOException {
        if (replaceLocal) {
            store.delete(id); // the local copy is damaged: the intact one replaces it
        }
        store.put(id, new ByteArrayInputStream(bytes), bytes.length);
    }

    /**
     * The chunk of {@code set} rebuilt from any {@code k} intact shards: the holders of each shard, best route
     * first, {@code k} fetched at once; a shard that fails or arrives damaged (the peer client checks every body
     * against the shard id) is replaced by the next one. The rebuilt bytes are checked against the chunk id.
     */
    public Optional<byte[]> rebuild(ShardSet set) {
        Map<Integer, byte[]> got = shards(set, set.k());
        if (got.size() < set.k()) {
            LOG.log(System.Logger.Level.WARNING, "only {0} of the {1} shards needed to rebuild chunk {2} answered",
                    got.size(), set.k(), set.chunk().hex().substring(0, 12));
            return Optional.empty();
        }
        try {
            return Optional.of(ErasureCode.reconstruct(set, got));
        } catch (ErasureException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot rebuild chunk {0}: {1}", set.chunk().hex().substring(0, 12),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Up to {@code wanted} intact shards of {@code set} by index, fetched from their recorded holders (best health
     * first), {@code wanted} at a time. Bounded: each (shard, holder) pair is asked at most once, at most
     * {@link #MAX_SHARD_ASKS} in all.
     */
    public Map<Integer, byte[]> shards(ShardSet set, int wanted) {
        Map<String, Set<CellId>> holders = placement.holders(set.shards().stream().distinct()
                .map(s -> new Item(s.hex(), Item.Kind.SHARD)).toList());
        // One queue of (index, cell) attempts: each index's holders best first, indices ordered by their best holder.
        List<int[]> order = new ArrayList<>();
        List<List<CellId>> cellsOf = new ArrayList<>();
        for (int i = 0; i < set.shards().size(); i++) {
            cellsOf.add(byHealth(holders.getOrDefault(set.shards().get(i).hex(), Set.of())));
        }
        int depth = cellsOf.stream().mapToInt(List::size).max().orElse(0);
        for (int d = 0; d < depth; d++) {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < cellsOf.size(); i++) {
                if (cellsOf.get(i).size() > d) {
                    indices.add(i);
                }
            }
            int level = d;
            indices.sort(Comparator.comparing((Integer i) -> !peers.routes().health(cellsOf.get(i).get(level)).up())
                    .thenComparingDouble(i -> best(peers.routes().health(cellsOf.get(i).get(level)))));
            indices.forEach(i -> order.add(new int[]{i, level}));
        }
        Map<Integer, byte[]> got = new java.util.concurrent.ConcurrentHashMap<>();
        int next = 0;
        int asked = 0;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            while (got.size() < wanted && next < order.size() && asked < MAX_SHARD_ASKS) {
                List<java.util.concurrent.Future<?>> batch = new ArrayList<>();
                Set<Integer> inFlight = new java.util.HashSet<>();
                while (batch.size() < wanted - got.size() && next < order.size() && asked < MAX_SHARD_ASKS) {
                    int[] attempt = order.get(next++);
                    int index = attempt[0];
                    if (got.containsKey(index) || !inFlight.add(index)) {
                        continue;
                    }
                    CellId cell = cellsOf.get(index).get(attempt[1]);
                    ChunkId shard = set.shards().get(index);
                    asked++;
                    batch.add(pool.submit(() -> fetchShard(cell, shard).ifPresent(bytes -> {
                        if (set.intact(index, bytes)) {
                            got.put(index, bytes);
                        }
                    })));
                }
                for (java.util.concurrent.Future<?> f : batch) {
                    try {
                        f.get(PER_SHARD_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        f.cancel(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Map.copyOf(got);
                    }
                }
            }
        }
        return Map.copyOf(got);
    }

    /**
     * The stored object {@code id} (a chunk or a shard) from {@code cell}: empty when the cell does not hold it. The
     * peer client requires the signed digest to be the id and checks the body against it as it streams.
     *
     * @throws PeerRejection when the cell serves other bytes
     * @throws IOException   when the cell cannot be reached or the transfer fails
     */
    Optional<byte[]> fetchFrom(CellId cell, ChunkId id) throws IOException, PeerRejection {
        return peers.call(cell, route -> {
            Optional<VerifiedResponse> response = peers.client().chunk(route, id);
            if (response.isEmpty()) {
                return Optional.<byte[]>empty();
            }
            try (VerifiedResponse r = response.get()) {
                return Optional.of(r.bytes());
            }
        });
    }

    private Optional<byte[]> fetchShard(CellId cell, ChunkId shard) {
        try {
            return fetchFrom(cell, shard);
        } catch (PeerRejection e) {
            LOG.log(System.Logger.Level.WARNING, "{0} served shard {1} with other content; using another shard",
                    cell.shortForm(), shard.hex().substring(0, 12));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "fetching shard {0} from {1} failed: {2}", shard.hex(), cell.shortForm(),
                    e.toString());
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
