package io.grove.runtime.chunk;

import java.io.IOException;
import java.util.Optional;

/**
 * The chunks of one stream, in order. Not thread-safe: one thread reads, then hands the chunks on.
 */
public interface ChunkReader {
    /**
     * The next chunk, or empty once the stream is exhausted (and on every call after that).
     *
     * @throws IOException if reading the underlying stream fails
     */
    Optional<PlainChunk> next() throws IOException;
}
