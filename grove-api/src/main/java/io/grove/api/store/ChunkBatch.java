package io.grove.api.store;

import io.grove.api.ChunkId;

import java.io.IOException;
import java.io.InputStream;

/**
 * Puts that become durable together, so that ingesting many small files costs a few grouped flushes instead of
 * one per chunk. Staged chunks are invisible to {@link ChunkStore#get}, {@link ChunkStore#has} and
 * {@link ChunkStore#list} until {@link #commit()}; closing an uncommitted batch discards them.
 * {@link #put} may be called from several threads at once; {@link #commit()} and {@link #close()} are called once
 * the puts have returned.
 */
public interface ChunkBatch extends AutoCloseable {

    /**
     * Stages a chunk, with the same argument rules as {@link ChunkStore#put}.
     *
     * @return {@code false} if the store already holds it (nothing is staged)
     */
    boolean put(ChunkId id, InputStream data, long length) throws IOException;

    /** Makes every staged chunk durable and visible; when it returns, a crash loses none of them. */
    void commit() throws IOException;

    /** Discards what was staged and not committed. */
    @Override
    void close() throws IOException;
}
