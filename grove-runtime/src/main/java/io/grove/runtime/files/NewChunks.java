package io.grove.runtime.files;

import io.grove.api.ChunkId;

/**
 * Hears each chunk an ingest has just staged and the store did not hold before, with its sealed bytes, before the
 * version that references it commits (replication pushes it to its holders at once, from memory). Called on an
 * ingest worker: it must return quickly and must not keep {@code sealed} beyond a bounded queue.
 */
@FunctionalInterface
public interface NewChunks {
    /** Nobody listens. */
    NewChunks NONE = (path, id, sealed) -> { };

    /**
     * @param path   the file being put (replication keeps a chunk by its folder's settings)
     * @param id     the chunk's id (SHA-256 of {@code sealed})
     * @param sealed its stored bytes; the caller does not change them afterwards
     */
    void staged(String path, ChunkId id, byte[] sealed);
}
