package io.grove.runtime.replication;

import io.grove.api.ChunkId;
import io.grove.runtime.db.Database;
import io.grove.runtime.erasure.ShardSet;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shard sets of this cell's erasure-coded chunks and the chunks it offloaded (migration V10). Thread-safe.
 */
public final class ShardBook {
    private final Database db;
    private final Clock clock;

    public ShardBook(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The shard set of {@code chunk}, if it was ever encoded. */
    public Optional<ShardSet> get(ChunkId chunk) {
        return db.jdbi().withHandle(h -> {
            Optional<int[]> head = h.createQuery("SELECT k, m, original_length FROM shard_sets WHERE chunk_id = ?")
                    .bind(0, chunk.hex()).map((rs, ctx) -> new int[]{rs.getInt(1), rs.getInt(2), rs.getInt(3)})
                    .findOne();
            if (head.isEmpty()) {
                return Optional.empty();
            }
            List<ChunkId> ids = h.createQuery("SELECT shard_id FROM shards WHERE chunk_id = ? ORDER BY idx")
                    .bind(0, chunk.hex()).map((rs, ctx) -> ChunkId.of(rs.getString(1))).list();
            int[] v = head.get();
            return Optional.of(new ShardSet(chunk, v[0], v[1], v[2], ids));
        });
    }

    /** Keeps {@code set}; a set already kept for the chunk is replaced (the layout of its folder changed). */
    public void put(ShardSet set) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM shards WHERE chunk_id = ?").bind(0, set.chunk().hex()).execute();
            h.createUpdate("DELETE FROM shard_sets WHERE chunk_id = ?").bind(0, set.chunk().hex()).execute();
            h.createUpdate("INSERT INTO shard_sets (chunk_id, k, m, original_length, created_at) VALUES (?, ?, ?, ?, ?)")
                    .bind(0, set.chunk().hex()).bind(1, set.k()).bind(2, set.m()).bind(3, set.originalLength())
                    .bind(4, clock.millis()).execute();
            var batch = h.prepareBatch("INSERT INTO shards (chunk_id, idx, shard_id) VALUES (?, ?, ?)");
            for (int i = 0; i < set.shards().size(); i++) {
                batch.bind(0, set.chunk().hex()).bind(1, i).bind(2, set.shards().get(i).hex()).add();
            }
            batch.execute();
        });
    }

    /** Forgets the shard set of {@code chunk} (its shards were all released: the chunk is kept as whole copies). */
    public void forget(ChunkId chunk) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM shards WHERE chunk_id = ?").bind(0, chunk.hex()).execute();
            h.createUpdate("DELETE FROM shard_sets WHERE chunk_id = ?").bind(0, chunk.hex()).execute();
        });
    }

    /** Which of {@code ids} are shard ids of this cell's sets. */
    public Set<String> shardIds(List<String> ids) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < ids.size(); i += Placement.PAGE) {
            List<String> page = ids.subList(i, Math.min(ids.size(), i + Placement.PAGE));
            out.addAll(db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT shard_id FROM shards WHERE shard_id IN (<ids>)")
                    .bindList("ids", page).mapTo(String.class).list()));
        }
        return out;
    }

    /** The chunk and index of each set a shard id belongs to (usually one). */
    public List<Map.Entry<ChunkId, Integer>> owners(ChunkId shard) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT chunk_id, idx FROM shards WHERE shard_id = ? LIMIT 64")
                .bind(0, shard.hex()).map((rs, ctx) -> Map.entry(ChunkId.of(rs.getString(1)), rs.getInt(2))).list());
    }

    /** Records that the local copy of {@code chunk} was deleted after its placement elsewhere was confirmed. */
    public void offloaded(ChunkId chunk) {
        db.jdbi().useHandle(h -> h.createUpdate(
                        "INSERT INTO offloaded (chunk_id, at) VALUES (?, ?) ON CONFLICT (chunk_id) DO UPDATE SET at = excluded.at")
                .bind(0, chunk.hex()).bind(1, clock.millis()).execute());
    }

    /** Records that {@code chunk} is kept here again (its folder no longer offloads). */
    public void notOffloaded(ChunkId chunk) {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM offloaded WHERE chunk_id = ?").bind(0, chunk.hex()).execute());
    }

    /** Whether {@code chunk} was offloaded. */
    public boolean isOffloaded(ChunkId chunk) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT 1 FROM offloaded WHERE chunk_id = ?")
                .bind(0, chunk.hex()).mapTo(Integer.class).findOne().isPresent());
    }

    /** Which of {@code ids} were offloaded. */
    public Set<String> offloadedAmong(List<String> ids) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < ids.size(); i += Placement.PAGE) {
            List<String> page = ids.subList(i, Math.min(ids.size(), i + Placement.PAGE));
            out.addAll(db.jdbi().withHandle(h -> h.createQuery("SELECT chunk_id FROM offloaded WHERE chunk_id IN (<ids>)")
                    .bindList("ids", page).mapTo(String.class).list()));
        }
        return out;
    }

    /** The shard sets of {@code chunks} that have one. */
    public Map<String, ShardSet> sets(List<String> chunks) {
        Map<String, ShardSet> out = new HashMap<>();
        for (String c : withSets(chunks)) {
            get(ChunkId.of(c)).ifPresent(s -> out.put(c, s));
        }
        return out;
    }

    /** Which of {@code chunks} have a shard set (one query per page; the sets themselves are not read). */
    public Set<String> withSets(List<String> chunks) {
        Set<String> present = new HashSet<>();
        for (int i = 0; i < chunks.size(); i += Placement.PAGE) {
            List<String> page = chunks.subList(i, Math.min(chunks.size(), i + Placement.PAGE));
            present.addAll(db.jdbi().withHandle(h -> h.createQuery("SELECT chunk_id FROM shard_sets WHERE chunk_id IN (<ids>)")
                    .bindList("ids", page).mapTo(String.class).list()));
        }
        return present;
    }
}
