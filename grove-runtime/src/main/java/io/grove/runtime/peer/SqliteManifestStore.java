package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.runtime.db.Database;

import java.time.Clock;
import java.util.Optional;

/**
 * Replicated sealed manifests in the cell database's {@code manifests} table, beside the cell's own. A pushed
 * manifest gets no {@code versions} row: this cell may not be able to open it, and indexing what it can open is
 * the sync layer's job.
 */
public final class SqliteManifestStore implements ManifestStore {
    private final Database database;
    private final Clock clock;

    public SqliteManifestStore(Database database, Clock clock) {
        if (database == null || clock == null) {
            throw new IllegalArgumentException("a manifest store needs a database and a clock");
        }
        this.database = database;
        this.clock = clock;
    }

    /**
     * {@inheritDoc} The {@code author} column records {@code from}, the cell that pushed it; the true author is
     * inside the sealed, signed blob.
     */
    @Override
    public boolean put(String versionId, byte[] blob, CellId from) {
        if (!SignedHeaders.validDigest(versionId) || blob.length > MAX_MANIFEST_BYTES
                || !DigestCheckingInputStream.hex(blob).equals(versionId)) {
            throw new IllegalArgumentException("a manifest's version id is the SHA-256 of its blob");
        }
        return database.jdbi().withHandle(h -> h.createUpdate(
                        "INSERT OR IGNORE INTO manifests (id, blob, author, stored_at) VALUES (?, ?, ?, ?)")
                .bind(0, versionId).bind(1, blob).bind(2, from.value()).bind(3, clock.millis()).execute()) == 1;
    }

    @Override
    public Optional<byte[]> get(String versionId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT blob FROM manifests WHERE id = ?")
                .bind(0, versionId).mapTo(byte[].class).findOne());
    }
}
