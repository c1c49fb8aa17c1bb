package io.grove.runtime.chunk;

import java.io.InputStream;

/**
 * Splits a byte stream into chunks, the unit Grove encrypts, deduplicates, stores and replicates.
 *
 * <p>Implementations are stateless and thread-safe; each {@link #open} returns an independent reader.
 */
public interface Chunker {
    /**
     * Starts chunking {@code in}. The reader pulls from the stream as chunks are requested and never holds
     * more than a bounded window of it, whatever the stream's length. The caller keeps ownership of the stream
     * and closes it.
     */
    ChunkReader open(InputStream in);
}
