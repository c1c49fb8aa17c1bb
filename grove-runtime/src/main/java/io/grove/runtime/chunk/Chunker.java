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

    /**
     * Starts chunking {@code in}, which is expected to hold {@code expectedBytes} (a file's size as listed; negative
     * when unknown). The hint only sizes the first buffers, so that a small file is read into one array of its own
     * size; the chunks are those {@link #open(InputStream)} gives, whatever the stream turns out to hold.
     */
    default ChunkReader open(InputStream in, long expectedBytes) {
        return open(in);
    }
}
