package io.grove.runtime.files;

import io.grove.api.ChunkId;
import io.grove.runtime.db.Database;
import io.grove.runtime.db.DatabaseException;
import io.grove.runtime.ingest.Packer;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.runtime.manifest.Manifest;
import io.grove.runtime.manifest.SealedManifest;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The SQL of the storage index (files, versions, chunk references, sealed manifests), one place for all of it. */
public final class FileIndex {
    private final Jdbi jdbi;

    public FileIndex(Database database) {
        this.jdbi = database.jdbi();
    }


    /** The versions of a path that no other version names as parent, newest first: more than one is a conflict. */
    public List<VersionInfo> heads(String path) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM versions v WHERE v.path = ?
                          AND NOT EXISTS (SELECT 1 FROM versions c WHERE c.parent = v.id)
                        ORDER BY v.hlc DESC, v.author DESC""")
                .bind(0, path).map((rs, ctx) -> version(rs)).list());
    }

    /** The current version of a path: the highest by clock, then by author id. */
    public Optional<VersionInfo> current(String path) {
        return jdbi.withHandle(h -> current(h, path));
    }

    /** One version by id. */
    public Optional<VersionInfo> version(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM versions WHERE id = ?")
                .bind(0, id).map((rs, ctx) -> version(rs)).findOne());
    }

    /** Every version of a path, newest first. */
    public List<VersionInfo> history(String path) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM versions WHERE path = ? ORDER BY hlc DESC, author DESC")
                .bind(0, path).map((rs, ctx) -> version(rs)).list());
    }

    /**
     * The current versions of the paths starting with {@code prefix}, in path order, after {@code after} (exclusive),
     * at most {@code limit}; tombstoned files are included only when asked.
     */
    public List<VersionInfo> list(String prefix, String after, int limit, boolean includeDeleted) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT v.* FROM files f
                        JOIN versions v ON v.id = (SELECT id FROM versions WHERE path = f.path
                                                   ORDER BY hlc DESC, author DESC LIMIT 1)
                        WHERE f.path >= :prefix AND substr(f.path, 1, :plen) = :prefix AND f.path > :after
                          AND (:deleted OR v.tombstone = 0)
                        ORDER BY f.path LIMIT :limit""")
                .bind("prefix", prefix).bind("plen", prefix.length()).bind("after", after)
                .bind("deleted", includeDeleted).bind("limit", limit)
                .map((rs, ctx) -> version(rs)).list());
    }

    /** A sealed manifest by version id. */
    public Optional<SealedManifest> manifest(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT blob FROM manifests WHERE id = ?")
                .bind(0, id).mapTo(byte[].class).findOne().map(SealedManifest::new));
    }

    /** Every version id with its manifest, in id order, for verification: page through with {@code after}. */
    public List<String> versionIds(String after, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM versions WHERE id > ? ORDER BY id LIMIT ?")
                .bind(0, after).bind(1, limit).mapTo(String.class).list());
    }

    /**
     * Whether this cell deleted its local copy of {@code chunk} after placing it in full on other cells (offload,
     * docs/replication.md): its absence from the store is expected, and reads fetch it from the fleet.
     */
    public boolean isOffloaded(ChunkId chunk) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM offloaded WHERE chunk_id = ?")
                .bind(0, chunk.hex()).mapTo(Integer.class).findOne().isPresent());
    }

    /** Versions referencing a chunk (for reporting what a corrupt chunk damages). */
    public List<VersionInfo> versionsUsing(ChunkId chunk) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT v.* FROM version_chunks vc JOIN versions v ON v.id = vc.version_id
                        WHERE vc.chunk_id = ? ORDER BY v.path, v.hlc DESC""")
                .bind(0, chunk.hex()).map((rs, ctx) -> version(rs)).list());
    }


    /** Runs {@code work} in one transaction. */
    public <T, X extends Exception> T inTransaction(org.jdbi.v3.core.HandleCallback<T, X> work) throws X {
        return jdbi.withHandle(h -> {
            try {
                return h.inTransaction(work);
            } finally {
                // Connections are pooled: a page cache enlarged for a large group (insertAll) goes back with it.
                h.execute("PRAGMA cache_size = " + DEFAULT_CACHE_SIZE);
            }
        });
    }

    /** SQLite's default page cache, as a PRAGMA cache_size value (negative: KiB). */
    private static final int DEFAULT_CACHE_SIZE = -2000;

    /** The current version of a path inside a transaction. */
    public Optional<VersionInfo> current(Handle h, String path) {
        return h.createQuery("SELECT * FROM versions WHERE path = ? ORDER BY hlc DESC, author DESC LIMIT 1")
                .bind(0, path).map((rs, ctx) -> version(rs)).findOne();
    }



    /**
     * What a commit needs to know of a path that exists: its current version and wrapped file key.
     *
     * @param current    the current version id, if any version exists
     * @param wrappedKey the file key wrapped by the master key
     */
    public record Head(Optional<String> current, byte[] wrappedKey) {
    }

    /** The heads of the given paths that were ever stored, in few queries. */
    public Map<String, Head> heads(List<String> paths) {
        Map<String, Head> heads = new HashMap<>();
        jdbi.useHandle(h -> {
            for (int from = 0; from < paths.size(); from += 500) {
                h.createQuery("""
                                SELECT f.path, f.file_key,
                                       (SELECT id FROM versions v WHERE v.path = f.path
                                        ORDER BY v.hlc DESC, v.author DESC LIMIT 1) AS head
                                FROM files f WHERE f.path IN (<paths>)""")
                        .bindList("paths", paths.subList(from, Math.min(paths.size(), from + 500)))
                        .map((rs, ctx) -> Map.entry(rs.getString("path"),
                                new Head(Optional.ofNullable(rs.getString("head")), rs.getBytes("file_key"))))
                        .forEach(e -> heads.put(e.getKey(), e.getValue()));
            }
        });
        return heads;
    }

    /** Which of {@code paths} must get a fresh file key on their next version (a grant of them was revoked). */
    public Set<String> rekeyMarked(List<String> paths) {
        Set<String> marked = new HashSet<>();
        jdbi.useHandle(h -> {
            for (int from = 0; from < paths.size(); from += 500) {
                h.createQuery("SELECT path FROM rekey_paths WHERE path IN (<paths>)")
                        .bindList("paths", paths.subList(from, Math.min(paths.size(), from + 500)))
                        .mapTo(String.class).forEach(marked::add);
            }
        });
        return marked;
    }

    /** Clears the re-key marks of paths whose new key is being committed in {@code h}. */
    public void clearRekey(Handle h, Set<String> paths) {
        for (String path : paths) {
            h.execute("DELETE FROM rekey_paths WHERE path = ?", path);
        }
    }

    /**
     * A new version to insert: its sealed manifest, its id (SHA-256 of the sealed bytes, computed once, where the
     * manifest was sealed), the manifest, and the file's wrapped key.
     */
    public record NewRow(SealedManifest sealed, String id, Manifest manifest, byte[] wrappedKey) {
        public NewRow {
            if (sealed == null || id == null || id.length() != 64 || manifest == null || wrappedKey == null) {
                throw new IllegalArgumentException("a new version needs its sealed manifest, id, manifest and key");
            }
        }

        /** Computes the id from the sealed bytes. */
        public NewRow(SealedManifest sealed, Manifest manifest, byte[] wrappedKey) {
            this(sealed, sealed.id().hex(), manifest, wrappedKey);
        }
    }

    /**
     * Inserts new versions as batches: files, manifests, versions, chunk references, chunks. Plain JDBC batches
     * rather than jdbi's: binding through jdbi cost ~0.1 ms per row, more than SQLite's insert itself.
     */
    public void insertAll(Handle h, List<NewRow> rows, long now) {
        Connection c = h.getConnection();
        if (rows.size() > 100) {
            // A group of thousands of versions dirties more pages than SQLite's default 2 MiB cache holds, and the
            // overflow is spilled to the WAL mid-transaction (written twice). The handle's connection is this
            // transaction's alone, and inTransaction sets the cache back before the pool takes the connection back,
            // so the larger cache lasts as long as the group. 16 MiB held the dirty pages of a
            // 2,000-file group in a 20,000-file index; it is native memory, counted in the cell's RSS (64 MiB
            // before, docs/benchmarks.md "Peak RSS").
            h.execute("PRAGMA cache_size = -16384");
        }
        try (PreparedStatement files = c.prepareStatement(
                     """
                     INSERT INTO files (path, file_key, created_at) VALUES (?, ?, ?)
                     ON CONFLICT (path) DO UPDATE SET file_key = excluded.file_key""");
             PreparedStatement manifests = c.prepareStatement(
                     "INSERT INTO manifests (id, blob, author, stored_at) VALUES (?, ?, ?, ?)");
             PreparedStatement versions = c.prepareStatement("""
                     INSERT INTO versions (id, path, hlc, author, parent, size, mtime, media_type, tombstone, chunk_count,
                                           created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement refs = c.prepareStatement(
                     "INSERT INTO version_chunks (version_id, seq, chunk_id) VALUES (?, ?, ?)");
             PreparedStatement chunks = c.prepareStatement(
                     "INSERT OR IGNORE INTO chunks (id, stored_length, plain_length, first_seen) VALUES (?, ?, ?, ?)")) {
            // A path keeps its key unless a commit re-keyed it (after a revoked grant): then the new key replaces it.
            boolean anyChunk = false;
            for (NewRow row : rows) {
                Manifest m = row.manifest();
                String id = row.id();
                files.setString(1, m.path());
                files.setBytes(2, row.wrappedKey());
                files.setLong(3, now);
                files.addBatch();
                manifests.setString(1, id);
                manifests.setBytes(2, row.sealed().bytes());
                manifests.setString(3, m.author().value());
                manifests.setLong(4, now);
                manifests.addBatch();
                versions.setString(1, id);
                versions.setString(2, m.path());
                versions.setLong(3, m.hlc());
                versions.setString(4, m.author().value());
                versions.setString(5, m.parent().orElse(null));
                versions.setLong(6, m.size());
                versions.setLong(7, m.mtime());
                versions.setString(8, m.mediaType());
                versions.setBoolean(9, m.tombstone());
                versions.setInt(10, m.chunks().size());
                versions.setLong(11, now);
                versions.addBatch();
                int seq = 0;
                for (ChunkEntry e : m.chunks()) {
                    refs.setString(1, id);
                    refs.setInt(2, seq++);
                    refs.setString(3, e.id().hex());
                    refs.addBatch();
                    // A pack's row normally comes from insertPacks with its true sizes (and is then kept: OR IGNORE);
                    // rebuilt from manifests alone, the end of the slice is the best lower bound of the pack's size.
                    long stored = e.slice().map(sl -> sl.offset() + (long) e.storedLength()).orElse((long) e.storedLength());
                    chunks.setString(1, e.id().hex());
                    chunks.setLong(2, stored);
                    chunks.setLong(3, e.plainLength());
                    chunks.setLong(4, now);
                    chunks.addBatch();
                    anyChunk = true;
                }
            }
            files.executeBatch();
            manifests.executeBatch();
            versions.executeBatch();
            if (anyChunk) {
                refs.executeBatch();
                chunks.executeBatch();
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot record " + rows.size() + " new versions: " + e.getMessage(), e);
        }
    }

    /** The index entry a committed manifest becomes. */
    public static VersionInfo info(String id, Manifest m, long createdAt) {
        return new VersionInfo(id, m.path(), m.hlc(), m.author().value(), m.parent(), m.size(), m.mtime(),
                m.mediaType(), m.tombstone(), m.chunks().size(), createdAt);
    }

    /**
     * Records packs an archive wrote, in the transaction that commits the versions referencing them: their
     * {@code chunks} rows (so the collector keeps them) and where each blob lies (so later archives reuse it).
     */
    public void insertPacks(Handle h, List<Packer.WrittenPack> packs, long now) {
        if (packs.isEmpty()) {
            return;
        }
        Connection c = h.getConnection();
        try (PreparedStatement chunks = c.prepareStatement(
                     "INSERT OR IGNORE INTO chunks (id, stored_length, plain_length, first_seen) VALUES (?, ?, ?, ?)");
             PreparedStatement blobs = c.prepareStatement(
                     "INSERT OR IGNORE INTO packed_blobs (blob_id, pack_id, pack_offset, length) VALUES (?, ?, ?, ?)")) {
            for (Packer.WrittenPack pack : packs) {
                chunks.setString(1, pack.id().hex());
                chunks.setLong(2, pack.length());
                chunks.setLong(3, pack.plainLength());
                chunks.setLong(4, now);
                chunks.addBatch();
                for (Packer.PackedBlob b : pack.blobs()) {
                    blobs.setString(1, b.blob().hex());
                    blobs.setString(2, b.pack().hex());
                    blobs.setInt(3, b.offset());
                    blobs.setInt(4, b.length());
                    blobs.addBatch();
                }
            }
            chunks.executeBatch();
            blobs.executeBatch();
        } catch (SQLException e) {
            throw new DatabaseException("cannot record " + packs.size() + " packs: " + e.getMessage(), e);
        }
    }

    /** Of {@code blobs}, those held in a pack the index lists ({@link Packer.Lookup}). */
    public Map<ChunkId, Packer.PackedBlob> packedBlobs(List<ChunkId> blobs) {
        Map<ChunkId, Packer.PackedBlob> found = new HashMap<>();
        if (blobs.isEmpty()) {
            return found;
        }
        jdbi.useHandle(h -> {
            for (int from = 0; from < blobs.size(); from += 500) {
                h.createQuery("""
                                SELECT p.blob_id, p.pack_id, p.pack_offset, p.length FROM packed_blobs p
                                WHERE p.blob_id IN (<ids>) AND EXISTS (SELECT 1 FROM chunks c WHERE c.id = p.pack_id)""")
                        .bindList("ids", blobs.subList(from, Math.min(blobs.size(), from + 500)).stream()
                                .map(ChunkId::hex).toList())
                        .map((rs, ctx) -> new Packer.PackedBlob(ChunkId.of(rs.getString(1)), ChunkId.of(rs.getString(2)),
                                rs.getInt(3), rs.getInt(4)))
                        .forEach(b -> found.put(b.blob(), b));
            }
        });
        return found;
    }

    /** Forgets the blobs of packs the collector deleted. */
    public void forgetPacks(Handle h, List<ChunkId> packs) {
        if (packs.isEmpty()) {
            return;
        }
        PreparedBatch forget = h.prepareBatch("DELETE FROM packed_blobs WHERE pack_id = ?");
        packs.forEach(p -> forget.bind(0, p.hex()).add());
        forget.execute();
    }


    /** Counts for {@code GET /api/v1/stats}. */
    public Stats stats() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT
                          (SELECT COUNT(*) FROM files f WHERE (SELECT tombstone FROM versions WHERE path = f.path
                                 ORDER BY hlc DESC, author DESC LIMIT 1) = 0) AS files,
                          (SELECT COUNT(*) FROM versions) AS versions,
                          (SELECT COUNT(*) FROM chunks) AS chunks,
                          (SELECT COALESCE(SUM(size), 0) FROM versions) AS logical,
                          (SELECT COALESCE(SUM(stored_length), 0) FROM chunks) AS stored,
                          (SELECT COALESCE(SUM(LENGTH(blob)), 0) FROM manifests) AS manifest_bytes""")
                .map((rs, ctx) -> new Stats(rs.getLong("files"), rs.getLong("versions"), rs.getLong("chunks"),
                        rs.getLong("logical"), rs.getLong("stored"), rs.getLong("manifest_bytes")))
                .one());
    }


    /** Number of versions (to tell an empty index from an unreadable one). */
    public long versionCount(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM versions").mapTo(Long.class).one();
    }


    /**
     * Which of {@code ids} a version references, the {@code chunks} table lists, or this cell holds for another
     * cell ({@code held_chunks}): what the garbage collector keeps.
     * At most a few thousand ids at once (each is a bound parameter).
     */
    public Set<ChunkId> keptAmong(Handle h, List<ChunkId> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<String> hex = ids.stream().map(ChunkId::hex).toList();
        return h.createQuery("""
                        SELECT id FROM chunks WHERE id IN (<ids>)
                        UNION SELECT chunk_id FROM version_chunks WHERE chunk_id IN (<ids>)
                        UNION SELECT chunk_id FROM held_chunks WHERE chunk_id IN (<ids>)""")
                .bindList("ids", hex).mapTo(String.class).list().stream().map(ChunkId::of).collect(Collectors.toSet());
    }

    /**
     * Whether any version references a chunk or this cell holds any chunk for another cell, or ever did (the
     * collector refuses to run on an index that never recorded a reference: see migration V16).
     */
    public boolean anyChunkReferenced(Handle h) {
        return h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM version_chunks) OR EXISTS (SELECT 1 FROM held_chunks)
                            OR EXISTS (SELECT 1 FROM index_marks WHERE name = 'referenced')""")
                .mapTo(Boolean.class).one();
    }

    /** Whether any path was ever stored (files without versions mean a damaged index). */
    public boolean anyFile(Handle h) {
        return h.createQuery("SELECT EXISTS (SELECT 1 FROM files)").mapTo(Boolean.class).one();
    }

    /** The largest clock value issued so far, to restart the hybrid clock after it. */
    public long maxHlc() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(hlc), 0) FROM versions").mapTo(Long.class).one());
    }

    /**
     * Storage counts.
     *
     * @param files         paths whose current version is not deleted
     * @param versions      versions of all files
     * @param chunks        distinct chunks referenced
     * @param logicalBytes  sum of the sizes of all versions (what storing every version in full would take)
     * @param storedBytes   bytes of distinct chunks (what is stored)
     * @param manifestBytes bytes of sealed manifests
     */
    public record Stats(long files, long versions, long chunks, long logicalBytes, long storedBytes, long manifestBytes) {
    }

    private static VersionInfo version(ResultSet rs) throws SQLException {
        return new VersionInfo(rs.getString("id"), rs.getString("path"), rs.getLong("hlc"), rs.getString("author"),
                Optional.ofNullable(rs.getString("parent")), rs.getLong("size"), rs.getLong("mtime"),
                rs.getString("media_type"), rs.getInt("tombstone") != 0, rs.getInt("chunk_count"),
                rs.getLong("created_at"));
    }

}
