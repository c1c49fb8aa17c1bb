package io.grove.runtime.gc;

import io.grove.api.ChunkId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

import java.util.List;
import java.util.Optional;

/** The SQL of {@code gc_candidates}: when the collector first saw each orphan. Lists are one store page at most. */
final class GcCandidates {

    /**
     * Drops the rows in the id range {@code (after, upTo]} that are not among {@code orphans}: that range is exactly
     * what one page of the store listed, so the others are referenced again or gone from the store.
     *
     * @param upTo the last id of the page; empty for the last page, whose range is open to the end
     */
    void keepOnly(Handle h, Optional<ChunkId> after, Optional<ChunkId> upTo, List<ChunkId> orphans) {
        String sql = "DELETE FROM gc_candidates WHERE chunk_id > :after"
                + (upTo.isPresent() ? " AND chunk_id <= :upTo" : "")
                + (orphans.isEmpty() ? "" : " AND chunk_id NOT IN (<orphans>)");
        Update delete = h.createUpdate(sql).bind("after", after.map(ChunkId::hex).orElse(""));
        upTo.ifPresent(id -> delete.bind("upTo", id.hex()));
        if (!orphans.isEmpty()) {
            delete.bindList("orphans", hex(orphans));
        }
        delete.execute();
    }

    /** Records {@code now} as first seen for the orphans that have no row yet. */
    void record(Handle h, List<ChunkId> orphans, long now) {
        if (orphans.isEmpty()) {
            return;
        }
        PreparedBatch insert = h.prepareBatch("INSERT OR IGNORE INTO gc_candidates (chunk_id, first_seen) VALUES (?, ?)");
        for (ChunkId id : orphans) {
            insert.bind(0, id.hex()).bind(1, now).add();
        }
        insert.execute();
    }

    /** The orphans first seen at or before {@code cutoff}, epoch milliseconds. */
    List<ChunkId> seenBy(Handle h, List<ChunkId> orphans, long cutoff) {
        if (orphans.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT chunk_id FROM gc_candidates WHERE chunk_id IN (<ids>) AND first_seen <= :cutoff"
                        + " ORDER BY chunk_id")
                .bindList("ids", hex(orphans)).bind("cutoff", cutoff)
                .mapTo(String.class).list().stream().map(ChunkId::of).toList();
    }

    /** Drops the rows of deleted chunks. */
    void remove(Handle h, List<ChunkId> ids) {
        if (!ids.isEmpty()) {
            h.createUpdate("DELETE FROM gc_candidates WHERE chunk_id IN (<ids>)").bindList("ids", hex(ids)).execute();
        }
    }

    private static List<String> hex(List<ChunkId> ids) {
        return ids.stream().map(ChunkId::hex).toList();
    }
}
