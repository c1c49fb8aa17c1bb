package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.db.Database;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The placement database: which cells hold this cell's chunks and sealed manifests ({@code holdings}), which chunks
 * this cell holds for others ({@code held_chunks}), surplus copies waiting to be released, inventory cursors and
 * recent activity. Thread-safe (SQLite serialises writers).
 */
public final class Placement {
    /** The most ids one query binds. */
    static final int PAGE = 500;
    /** Recent activity kept. */
    static final int MAX_EVENTS = 1000;

    private final Database db;
    private final CellId self;
    private final Clock clock;
    private final ShardBook shards;

    public Placement(Database db, CellId self, Clock clock) {
        this.db = db;
        this.self = self;
        this.clock = clock;
        this.shards = new ShardBook(db, clock);
    }

    /** The shard sets of erasure-coded chunks and the offloaded chunks. */
    public ShardBook shards() {
        return shards;
    }

    /**
     * The paths of the files whose versions use each of {@code items}: for a chunk every version referencing it, for
     * a manifest its version. Items no version uses are absent.
     */
    public Map<String, Set<String>> paths(List<Item> items) {
        Map<String, Set<String>> out = new HashMap<>();
        List<String> chunks = items.stream().filter(i -> i.kind() == Item.Kind.CHUNK).map(Item::id).toList();
        List<String> manifests = items.stream().filter(i -> i.kind() == Item.Kind.MANIFEST).map(Item::id).toList();
        for (int i = 0; i < chunks.size(); i += PAGE) {
            List<String> page = chunks.subList(i, Math.min(chunks.size(), i + PAGE));
            db.jdbi().useHandle(h -> h.createQuery("""
                            SELECT DISTINCT vc.chunk_id, v.path FROM version_chunks vc JOIN versions v ON v.id = vc.version_id
                            WHERE vc.chunk_id IN (<ids>)""")
                    .bindList("ids", page).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue())));
        }
        for (int i = 0; i < manifests.size(); i += PAGE) {
            List<String> page = manifests.subList(i, Math.min(manifests.size(), i + PAGE));
            db.jdbi().useHandle(h -> h.createQuery("SELECT id, path FROM versions WHERE id IN (<ids>)")
                    .bindList("ids", page).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue())));
        }
        return out;
    }

    /** The cells whose holding of {@code item} was confirmed at or after {@code since} (epoch ms). */
    public Set<CellId> confirmedSince(String item, long since) {
        return new HashSet<>(db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT cell_id FROM holdings WHERE item_id = ? AND confirmed_at >= ?")
                .bind(0, item).bind(1, since).map((rs, ctx) -> new CellId(rs.getString(1))).list()));
    }

    /**
     * One page of what this cell replicates, in id order after {@code after} (empty for the start): every chunk a
     * version of this cell references and every manifest it authored.
     */
    public List<Item> items(String after, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT id, kind FROM (
                            SELECT DISTINCT chunk_id AS id, 'c' AS kind FROM version_chunks WHERE chunk_id > :after
                            UNION ALL
                            SELECT id, 'm' AS kind FROM manifests WHERE author = :self AND id > :after)
                        ORDER BY id, kind LIMIT :limit""")
                .bind("after", after).bind("self", self.value()).bind("limit", limit)
                .map((rs, ctx) -> new Item(rs.getString(1), Item.Kind.of(rs.getString(2)))).list());
    }

    /** The cells recorded as holding each of {@code items}. */
    public Map<String, Set<CellId>> holders(List<Item> items) {
        Map<String, Set<CellId>> out = new HashMap<>();
        for (Item item : items) {
            out.put(item.id(), new HashSet<>());
        }
        for (int i = 0; i < items.size(); i += PAGE) {
            List<String> ids = items.subList(i, Math.min(items.size(), i + PAGE)).stream().map(Item::id).toList();
            db.jdbi().useHandle(h -> h.createQuery("SELECT item_id, cell_id FROM holdings WHERE item_id IN (<ids>)")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> out.get(e.getKey()).add(new CellId(e.getValue()))));
        }
        return out;
    }

    /** Records that {@code cell} holds {@code item}, confirmed now by {@code proof} (a push: placed there again). */
    public void confirm(Item item, CellId cell, String proof) {
        db.jdbi().useHandle(h -> {
            h.execute("DELETE FROM released_copies WHERE item_id = ? AND cell_id = ?", item.id(), cell.value());
            confirm(h, item, cell, proof, clock.millis());
        });
    }

    /**
     * Records a batch of confirmations from one inventory page. A listed copy this cell released is not confirmed
     * (the peer keeps it no longer; its file waits for the peer's garbage collection): it is only noted as still there.
     */
    public void confirmAll(List<Item> items, CellId cell, String proof) {
        long now = clock.millis();
        db.jdbi().useTransaction(h -> items.forEach(item -> {
            int released = h.execute("UPDATE released_copies SET seen_at = ? WHERE item_id = ? AND cell_id = ?", now,
                    item.id(), cell.value());
            if (released == 0) {
                confirm(h, item, cell, proof, now);
            }
        }));
    }

    /**
     * Forgets that {@code cell} holds {@code item} because this cell asked it to release the copy; until an inventory
     * of {@code cell} no longer lists it, a listing does not count it again (see {@link #confirmAll}).
     */
    public void released(String item, CellId cell) {
        db.jdbi().useTransaction(h -> {
            forget(h, item, cell);
            h.execute("""
                    INSERT INTO released_copies (item_id, cell_id, seen_at) VALUES (?, ?, ?)
                    ON CONFLICT (item_id, cell_id) DO UPDATE SET seen_at = excluded.seen_at""", item, cell.value(),
                    clock.millis());
        });
    }

    private static void confirm(Handle h, Item item, CellId cell, String proof, long now) {
        h.createUpdate("""
                        INSERT INTO holdings (item_id, kind, cell_id, confirmed_at, proof) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (item_id, cell_id) DO UPDATE SET confirmed_at = excluded.confirmed_at, proof = excluded.proof""")
                .bind(0, item.id()).bind(1, item.kind().code()).bind(2, cell.value()).bind(3, now).bind(4, proof)
                .execute();
    }

    /**
     * Copies held by other cells of chunks this cell no longer needs, due for release: chunks no version references
     * and the {@code chunks} table does not list, found so by rounds for at least {@code graceMillis} (the record of
     * when each was first found is kept in {@code orphan_copies}, refreshed by this call). Refuses, returning none
     * and forgetting every record, while no version references any chunk: a lost or replaced index would make every
     * copy look orphaned (the garbage collector's rule, docs/maintenance.md).
     *
     * @return (chunk id, holder) pairs, at most {@code limit}, by holder
     */
    public List<Map.Entry<String, CellId>> orphanCopies(long now, long graceMillis, int limit) {
        return db.jdbi().inTransaction(h -> {
            boolean anyReference = h.createQuery("SELECT EXISTS (SELECT 1 FROM version_chunks)").mapTo(Boolean.class)
                    .one();
            if (!anyReference) {
                h.execute("DELETE FROM orphan_copies");
                return List.of();
            }
            h.execute("""
                    DELETE FROM orphan_copies WHERE item_id IN (SELECT chunk_id FROM version_chunks)
                        OR item_id IN (SELECT id FROM chunks)
                        OR item_id NOT IN (SELECT item_id FROM holdings WHERE kind = 'c')""");
            h.execute("""
                    INSERT OR IGNORE INTO orphan_copies (item_id, first_seen)
                    SELECT DISTINCT item_id, ? FROM holdings WHERE kind = 'c'
                        AND item_id NOT IN (SELECT chunk_id FROM version_chunks)
                        AND item_id NOT IN (SELECT id FROM chunks)""", now);
            return h.createQuery("""
                            SELECT h.item_id, h.cell_id FROM holdings h JOIN orphan_copies o ON o.item_id = h.item_id
                            WHERE h.kind = 'c' AND o.first_seen <= ? ORDER BY h.cell_id, h.item_id LIMIT ?""")
                    .bind(0, now - graceMillis).bind(1, limit)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), new CellId(rs.getString(2)))).list();
        });
    }

    /** Forgets that {@code cell} holds {@code item} (released, lost, or the cell left the fleet). */
    public void forget(String item, CellId cell) {
        db.jdbi().useHandle(h -> forget(h, item, cell));
    }

    private static void forget(Handle h, String item, CellId cell) {
        h.execute("DELETE FROM holdings WHERE item_id = ? AND cell_id = ?", item, cell.value());
        h.execute("DELETE FROM surplus WHERE item_id = ? AND cell_id = ?", item, cell.value());
    }

    /** Forgets every holding of cells not in {@code members} (revoked cells count for nothing). */
    public int forgetAllBut(Set<CellId> members) {
        List<String> keep = members.stream().map(CellId::value).toList();
        return db.jdbi().withHandle(h -> {
            if (keep.isEmpty()) {
                h.createUpdate("DELETE FROM surplus").execute();
                h.createUpdate("DELETE FROM released_copies").execute();
                return h.createUpdate("DELETE FROM holdings").execute();
            }
            h.createUpdate("DELETE FROM surplus WHERE cell_id NOT IN (<keep>)").bindList("keep", keep).execute();
            h.createUpdate("DELETE FROM released_copies WHERE cell_id NOT IN (<keep>)").bindList("keep", keep).execute();
            return h.createUpdate("DELETE FROM holdings WHERE cell_id NOT IN (<keep>)").bindList("keep", keep).execute();
        });
    }

    /**
     * Forgets the chunks {@code cell} was believed to hold but did not list in an inventory pass that started at
     * {@code passStart}: it no longer has them (chunks and shards). (Manifests are not in inventories; their
     * holdings stay.)
     *
     * @return how many holdings were dropped
     */
    public int forgetUnlistedChunks(CellId cell, long passStart) {
        return db.jdbi().withHandle(h -> {
            // Released copies the pass did not list are gone from the peer: nothing left to ignore.
            h.execute("DELETE FROM released_copies WHERE cell_id = ? AND seen_at < ?", cell.value(), passStart);
            return h.createUpdate("DELETE FROM holdings WHERE cell_id = ? AND kind IN ('c', 's') AND confirmed_at < ?")
                    .bind(0, cell.value()).bind(1, passStart).execute();
        });
    }

    /** Where the inventory pass over {@code cell} continues, and when that pass started. */
    public Cursor cursor(CellId cell) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT after, pass_start FROM sync_cursors WHERE cell_id = ?")
                .bind(0, cell.value()).map((rs, ctx) -> new Cursor(rs.getString(1), rs.getLong(2))).findOne()
                .orElse(new Cursor("", clock.millis())));
    }

    /** Saves where the pass over {@code cell} continues. */
    public void saveCursor(CellId cell, Cursor cursor) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO sync_cursors (cell_id, after, pass_start) VALUES (?, ?, ?)
                        ON CONFLICT (cell_id) DO UPDATE SET after = excluded.after, pass_start = excluded.pass_start""")
                .bind(0, cell.value()).bind(1, cursor.after()).bind(2, cursor.passStart()).execute());
    }

    /**
     * An inventory pass position.
     *
     * @param after     the last id seen, empty at the start of a pass
     * @param passStart when the pass started, epoch ms
     */
    public record Cursor(String after, long passStart) {
    }

    /** When {@code cell}'s copy of {@code item} was first seen surplus; records now if it was not. */
    public Instant surplusSince(String item, CellId cell) {
        long now = clock.millis();
        return db.jdbi().withHandle(h -> {
            h.createUpdate("INSERT OR IGNORE INTO surplus (item_id, cell_id, since) VALUES (?, ?, ?)")
                    .bind(0, item).bind(1, cell.value()).bind(2, now).execute();
            return Instant.ofEpochMilli(h.createQuery("SELECT since FROM surplus WHERE item_id = ? AND cell_id = ?")
                    .bind(0, item).bind(1, cell.value()).mapTo(Long.class).one());
        });
    }

    /** Clears surplus marks of {@code item} (it is no longer above the factor). */
    public void notSurplus(String item) {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM surplus WHERE item_id = ?").bind(0, item).execute());
    }

    // ---- chunks held for others

    /** Records that this cell holds {@code chunk} for {@code owner}. */
    public void held(ChunkId chunk, CellId owner) {
        db.jdbi().useHandle(h -> h.createUpdate(
                        "INSERT OR IGNORE INTO held_chunks (chunk_id, owner, received_at) VALUES (?, ?, ?)")
                .bind(0, chunk.hex()).bind(1, owner.value()).bind(2, clock.millis()).execute());
    }

    /** The owner no longer needs this cell's copy; garbage collection may take it once nobody else needs it. */
    public boolean release(ChunkId chunk, CellId owner) {
        return db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM held_chunks WHERE chunk_id = ? AND owner = ?")
                .bind(0, chunk.hex()).bind(1, owner.value()).execute()) > 0;
    }

    /** Drops what this cell holds for cells that are no longer members. */
    public int releaseAllBut(Set<CellId> members) {
        List<String> keep = members.stream().map(CellId::value).toList();
        return db.jdbi().withHandle(h -> keep.isEmpty()
                ? h.createUpdate("DELETE FROM held_chunks").execute()
                : h.createUpdate("DELETE FROM held_chunks WHERE owner NOT IN (<keep>)").bindList("keep", keep).execute());
    }

    /** How many chunks and bytes this cell holds for others. */
    public long heldCount() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(DISTINCT chunk_id) FROM held_chunks")
                .mapTo(Long.class).one());
    }

    /**
     * Bytes of this cell's data each peer holds, by the holdings recorded: whole chunk copies at their stored length,
     * shards at {@code ceil(length / k)}; manifests are not counted (small). One aggregate over the holdings.
     */
    public Map<CellId, Long> bytesHeld() {
        Map<CellId, Long> out = new TreeMap<>(Comparator.comparing(CellId::value));
        db.jdbi().useHandle(h -> h.createQuery("""
                        SELECT h.cell_id, SUM(c.stored_length) FROM holdings h JOIN chunks c ON c.id = h.item_id
                        WHERE h.kind = 'c' GROUP BY h.cell_id
                        UNION ALL
                        SELECT h.cell_id, SUM((ss.original_length + ss.k - 1) / ss.k) FROM holdings h
                        JOIN shards s ON s.shard_id = h.item_id JOIN shard_sets ss ON ss.chunk_id = s.chunk_id
                        WHERE h.kind = 's' GROUP BY h.cell_id""")
                .map((rs, ctx) -> Map.entry(new CellId(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> out.merge(e.getKey(), e.getValue(), Long::sum)));
        return out;
    }

    // ---- activity

    /** Records an activity line (bounded history). */
    public void event(String kind, String detail) {
        db.jdbi().useHandle(h -> {
            h.createUpdate("INSERT INTO sync_events (at, kind, detail) VALUES (?, ?, ?)")
                    .bind(0, clock.millis()).bind(1, kind).bind(2, detail.length() > 500 ? detail.substring(0, 500) : detail)
                    .execute();
            h.createUpdate("DELETE FROM sync_events WHERE id <= (SELECT MAX(id) FROM sync_events) - ?")
                    .bind(0, MAX_EVENTS).execute();
        });
    }

    /** The newest {@code limit} activity lines, newest first. */
    public List<Event> events(int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT at, kind, detail FROM sync_events ORDER BY id DESC LIMIT ?")
                .bind(0, limit)
                .map((rs, ctx) -> new Event(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3)))
                .list());
    }

    /**
     * One line of recent activity.
     *
     * @param at     when
     * @param kind   {@code push}, {@code heal}, {@code release}, {@code lost}, {@code round}
     * @param detail for people
     */
    public record Event(Instant at, String kind, String detail) {
    }

    /** The chunks of each current (not deleted) file version under {@code prefix}, one page by path. */
    public List<FileChunks> files(String after, int limit) {
        List<FileChunks> out = new ArrayList<>();
        db.jdbi().useHandle(h -> {
            List<Map.Entry<String, String>> heads = h.createQuery("""
                            SELECT v.path, v.id FROM versions v
                            WHERE v.path > :after AND v.tombstone = 0 AND NOT EXISTS (
                                SELECT 1 FROM versions w WHERE w.path = v.path
                                AND (w.hlc > v.hlc OR (w.hlc = v.hlc AND w.author > v.author)))
                            ORDER BY v.path LIMIT :limit""")
                    .bind("after", after).bind("limit", limit)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list();
            for (Map.Entry<String, String> head : heads) {
                List<String> chunks = h.createQuery(
                                "SELECT DISTINCT chunk_id FROM version_chunks WHERE version_id = ?")
                        .bind(0, head.getValue()).mapTo(String.class).list();
                out.add(new FileChunks(head.getKey(), head.getValue(), chunks));
            }
        });
        return out;
    }

    /**
     * A file's current version and the chunks it needs.
     *
     * @param path    the path
     * @param version the version id (its sealed manifest)
     * @param chunks  distinct chunk ids
     */
    public record FileChunks(String path, String version, List<String> chunks) {
    }
}
