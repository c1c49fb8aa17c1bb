package io.grove.api.store;

import io.grove.api.ChunkId;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A content-addressed store of chunk ciphertexts.
 *
 * <p>Contract (checked by {@code AbstractChunkStoreTest} in {@code grove-testing}, which every store extends):
 * <ul>
 *     <li>{@link #put} is durable when it returns: after a crash or power loss the chunk is either wholly there
 *     or absent, never partial, and no temporary file is left visible to {@link #list}.</li>
 *     <li>Chunks are immutable: putting an id that exists is a no-op that returns {@code false}.</li>
 *     <li>The store does not check that the bytes hash to the id: the runtime computes ids, and verifies every
 *     chunk it reads (hash and authentication tag) before using it.</li>
 *     <li>Listing is by cursor in ascending id order, so a peer can page through millions of ids.</li>
 *     <li>All methods are safe to call from many threads at once.</li>
 * </ul>
 * Ids are {@link ChunkId}s, so a store never sees a malformed name.
 */
public interface ChunkStore extends AutoCloseable {

    /** The largest chunk a store must accept (16 MiB of data plus encryption overhead). */
    long MAX_CHUNK_BYTES = 16L * 1024 * 1024 + 1024;

    /**
     * Stores a chunk, reading exactly {@code length} bytes from {@code data} (which the caller closes).
     *
     * @return {@code true} if the chunk was stored now, {@code false} if it was already present
     * @throws IOException              if the chunk could not be stored durably; nothing partial remains
     * @throws IllegalArgumentException if {@code length} is negative or above {@link #MAX_CHUNK_BYTES}, or the
     *                                  stream ends before {@code length} bytes
     */
    boolean put(ChunkId id, InputStream data, long length) throws IOException;

    /**
     * Starts a batch of puts that become durable together ({@link ChunkBatch#commit()}). The default puts each
     * chunk durably at once; stores that can group their flushes override it.
     */
    default ChunkBatch batch() {
        ChunkStore store = this;
        return new ChunkBatch() {
            @Override
            public boolean put(ChunkId id, InputStream data, long length) throws IOException {
                return store.put(id, data, length);
            }

            @Override
            public void commit() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Opens a stored chunk for reading; the caller closes the stream. Empty when the chunk is absent. */
    Optional<InputStream> get(ChunkId id) throws IOException;

    /** Whether the chunk is present. */
    boolean has(ChunkId id) throws IOException;

    /** The stored size of a chunk; empty when it is absent. */
    OptionalLong size(ChunkId id) throws IOException;

    /**
     * Removes a chunk. Only the runtime's garbage collector calls this, after proving nothing references it.
     *
     * @return {@code true} if it was present
     */
    boolean delete(ChunkId id) throws IOException;

    /**
     * Lists ids in ascending order, starting after {@code cursor}.
     *
     * @param cursor where to start: {@link ChunkCursor#START} or {@link ChunkPage#next()} of the previous page
     * @param limit  the most ids to return, 1 to {@link ChunkPage#MAX_LIMIT}
     */
    ChunkPage list(ChunkCursor cursor, int limit) throws IOException;

    /** Counts and space, cheap enough to call every sync round. */
    StoreStats stats() throws IOException;

    /** Releases resources; the store is not used afterwards. */
    @Override
    void close() throws IOException;
}
