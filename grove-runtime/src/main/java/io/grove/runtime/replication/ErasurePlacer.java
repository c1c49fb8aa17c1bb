package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.audit.AuditBook;
import io.grove.runtime.audit.Challenge;
import io.grove.runtime.erasure.ErasureCode;
import io.grove.runtime.erasure.Shard;
import io.grove.runtime.erasure.ShardSet;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peers.Peers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The erasure-coded side of a sync round, for one chunk of a folder with {@code erasure: k+m}: the owner encodes the
 * sealed chunk into {@code k + m} shards, keeps the {@link ShardSet}, and pushes each shard that has no counting
 * holder to the cell {@link ShardSpread} chooses ({@code chunk.put}, checked by the receiver against the shard id).
 * A lost shard is re-encoded from the local chunk, or — when the chunk was offloaded — from the chunk rebuilt out of
 * any {@code k} other shards. Shard copies are confirmed, audited and released like chunk copies (a shard id is a
 * chunk id). Thread-safe.
 */
final class ErasurePlacer {
    private static final System.Logger LOG = System.getLogger(ErasurePlacer.class.getName());
    private static final int CHALLENGES_ON_PUSH = 1;

    private final Placement placement;
    private final ShardBook book;
    private final Peers peers;
    private final ChunkStore store;
    private final AuditBook audits;
    private final RemoteChunks remote;
    private final Clock clock;

    private final CopyReleases releases;

    ErasurePlacer(Placement placement, Peers peers, ChunkStore store, AuditBook audits, RemoteChunks remote,
                  CopyReleases releases, Clock clock) {
        this.releases = releases;
        this.placement = placement;
        this.book = placement.shards();
        this.peers = peers;
        this.store = store;
        this.audits = audits;
        this.remote = remote;
        this.clock = clock;
    }

    /**
     * What a round does for one erasure-coded chunk.
     *
     * @param chunk    the chunk
     * @param erasure  its layout
     * @param set      its shard set when it was encoded before (with this layout)
     * @param holders  per shard index, the counting cells holding it
     * @param pushes   shard index → cell to push it to
     * @param placed   shards with a counting holder after the pushes succeed
     * @param surplus  (shard id, cell) copies beyond one per shard
     */
    record Plan(ChunkId chunk, FolderPolicy.Erasure erasure, Optional<ShardSet> set, List<Set<CellId>> holders,
                Map<Integer, CellId> pushes, int placed, List<Map.Entry<String, CellId>> surplus) {
        /** Fewer than {@code k + m} shards will count: the loss of a cell may make the chunk unreadable. */
        boolean atRisk() {
            return placed < erasure.k() + erasure.m();
        }
    }

    /** Decides the pushes for {@code chunk}; reads the database only. */
    Plan plan(ChunkId chunk, FolderPolicy.Erasure erasure, Set<CellId> counting,
              List<PlacementPolicy.Candidate> candidates, Map<CellId, PlacementPolicy.Candidate> byId) {
        int n = erasure.k() + erasure.m();
        Optional<ShardSet> set = book.get(chunk)
                .filter(s -> s.k() == erasure.k() && s.m() == erasure.m()); // another layout: encode again
        List<Set<CellId>> holders = new ArrayList<>();
        if (set.isPresent()) {
            Map<String, Set<CellId>> recorded = placement.holders(set.get().shards().stream().distinct()
                    .map(s -> new Item(s.hex(), Item.Kind.SHARD)).toList());
            for (ChunkId shard : set.get().shards()) {
                Set<CellId> h = new HashSet<>(recorded.getOrDefault(shard.hex(), Set.of()));
                h.retainAll(counting);
                holders.add(h);
            }
        } else {
            for (int i = 0; i < n; i++) {
                holders.add(new HashSet<>());
            }
        }
        Map<Integer, CellId> pushes = ShardSpread.assign(erasure.k(), erasure.m(), holders, candidates);
        int placed = (int) holders.stream().filter(h -> !h.isEmpty()).count() + pushes.size();
        List<Map.Entry<String, CellId>> surplus = new ArrayList<>();
        if (set.isPresent() && set.get().shards().stream().distinct().count() == n) {
            for (int i = 0; i < n; i++) {
                for (CellId extra : ShardSpread.surplus(holders, i, byId)) {
                    surplus.add(Map.entry(set.get().shards().get(i).hex(), extra));
                }
            }
        }
        return new Plan(chunk, erasure, set, holders, pushes, placed, surplus);
    }

    /**
     * Pushes the planned shards: encodes the chunk (from the local copy, or rebuilt from {@code k} shards), keeps the
     * shard set when it is new, and pushes each planned shard.
     *
     * @return shards pushed and acknowledged
     */
    int push(Plan plan, AtomicLong budget) {
        if (plan.pushes().isEmpty()) {
            return 0;
        }
        Optional<byte[]> chunk = chunkBytes(plan.chunk(), plan.set());
        if (chunk.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "chunk {0} is neither local nor rebuildable from its shards; its "
                    + "lost shards cannot be placed again yet", plan.chunk().hex().substring(0, 12));
            return 0;
        }
        ErasureCode code = new ErasureCode(plan.erasure().k(), plan.erasure().m());
        List<Shard> shards = code.encode(chunk.get());
        ShardSet fresh = ShardSet.of(plan.chunk(), code, chunk.get().length, shards);
        if (plan.set().isEmpty()) {
            book.put(fresh);
        } else if (!fresh.shards().equals(plan.set().get().shards())) {
            // The code is deterministic: other shard ids mean other bytes. Never push what the set does not name.
            LOG.log(System.Logger.Level.ERROR, "re-encoding chunk {0} gave other shards than recorded; not pushing",
                    plan.chunk().hex());
            return 0;
        }
        // The shards of one chunk are pushed at once (at most k + m ≤ 32 per chunk, to up to k + m cells; the round
        // bounds the chunks in flight with healing.max-concurrent).
        java.util.concurrent.atomic.AtomicInteger pushed = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Map.Entry<Integer, CellId> p : plan.pushes().entrySet()) {
                Shard shard = shards.get(p.getKey());
                if (budget.addAndGet(-shard.bytes().length) + shard.bytes().length <= 0) {
                    break;
                }
                pool.submit(() -> {
                    if (pushShard(plan.chunk(), shard, p.getValue())) {
                        pushed.incrementAndGet();
                    }
                });
            }
        } // waits for every push (each bounded by peer.timeout)
        return pushed.get();
    }

    private boolean pushShard(ChunkId chunk, Shard shard, CellId target) {
        try {
            peers.call(target, route -> peers.client().put(route, shard.id(), shard.bytes().length,
                    new ByteArrayInputStream(shard.bytes())));
            audits.place(shard.id(), target, shard.bytes().length,
                    Challenge.create(shard.bytes(), CHALLENGES_ON_PUSH), clock.instant());
            placement.confirm(new Item(shard.id().hex(), Item.Kind.SHARD), target, "push");
            return true;
        } catch (IOException | PeerRejection e) {
            LOG.log(System.Logger.Level.DEBUG, "push of shard {0} of {1} to {2} failed: {3}", shard.index(),
                    chunk.hex().substring(0, 12), target.shortForm(), e.toString());
            return false;
        }
    }

    /**
     * The bytes of a shard of this cell's sets, for fresh audit challenges: encoded from the local chunk only (a
     * rebuild from peers just to make challenges is not worth it).
     */
    Optional<byte[]> localShard(ChunkId shard) throws IOException {
        for (Map.Entry<ChunkId, Integer> owner : book.owners(shard)) {
            Optional<ShardSet> set = book.get(owner.getKey());
            Optional<byte[]> chunk = read(owner.getKey());
            if (set.isPresent() && chunk.isPresent()) {
                Shard s = new ErasureCode(set.get().k(), set.get().m()).encode(chunk.get()).get(owner.getValue());
                if (s.id().equals(shard)) {
                    return Optional.of(s.bytes());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether every shard of {@code chunk}'s set has a counting holder whose copy was confirmed (push ack, inventory
     * or fetch) at or after {@code since}: the condition for offloading the local chunk.
     */
    boolean fullyPlacedSince(ChunkId chunk, FolderPolicy.Erasure erasure, Set<CellId> counting, long since) {
        Optional<ShardSet> set = book.get(chunk);
        if (set.isEmpty() || set.get().k() != erasure.k() || set.get().m() != erasure.m()) {
            return false;
        }
        for (ChunkId shard : set.get().shards()) {
            Set<CellId> confirmed = placement.confirmedSince(shard.hex(), since);
            confirmed.retainAll(counting);
            if (confirmed.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Releases one surplus shard copy once it stayed surplus for {@code releaseAfter}. */
    boolean releaseIfDue(String shard, CellId holder, Duration releaseAfter, Instant now) {
        Instant since = placement.surplusSince(shard, holder);
        if (since.plus(releaseAfter).isAfter(now)) {
            return false;
        }
        if (!releases.release(holder, List.of(shard))) {
            return false;
        }
        placement.event("release", holder.shortForm() + " released its surplus shard " + shard.substring(0, 12));
        return true;
    }

    private Optional<byte[]> chunkBytes(ChunkId chunk, Optional<ShardSet> set) {
        try {
            Optional<byte[]> local = read(chunk);
            if (local.isPresent()) {
                return local;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read chunk {0}: {1}", chunk.hex(), e.toString());
        }
        if (set.isPresent()) {
            return remote.rebuild(set.get());
        }
        return book.get(chunk).flatMap(remote::rebuild);
    }

    private static boolean matches(ChunkId id, byte[] bytes) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (int off = 0; off < bytes.length; off += 65_536) {
                sha.update(bytes, off, Math.min(65_536, bytes.length - off));
            }
            return java.security.MessageDigest.isEqual(sha.digest(), id.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private Optional<byte[]> read(ChunkId id) throws IOException {
        Optional<InputStream> in = store.get(id);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream data = in.get()) {
            byte[] bytes = data.readNBytes((int) ChunkStore.MAX_CHUNK_BYTES + 1);
            // A damaged local copy must not be encoded: its shards would not rebuild the chunk.
            return matches(id, bytes) ? Optional.of(bytes) : Optional.empty();
        }
    }
}
