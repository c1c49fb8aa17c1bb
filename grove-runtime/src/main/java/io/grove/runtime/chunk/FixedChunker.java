package io.grove.runtime.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Cuts a stream every {@code size} bytes: no deduplication across insertions, but no hashing either. For data
 * that is only ever appended to or rewritten whole, and as a baseline for FastCDC.
 */
public final class FixedChunker implements Chunker {
    /** 4 MiB, FastCDC's default average. */
    public static final int DEFAULT_SIZE = 4 * 1024 * 1024;

    private final int size;

    /** Chunks of {@link #DEFAULT_SIZE}. */
    public FixedChunker() {
        this(DEFAULT_SIZE);
    }

    /**
     * Chunks of {@code size} bytes.
     *
     * @param size bytes per chunk, 1 to {@link ChunkingParams#MAX_CHUNK_SIZE}
     */
    public FixedChunker(int size) {
        if (size < 1 || size > ChunkingParams.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("fixed chunk size must be 1.." + ChunkingParams.MAX_CHUNK_SIZE
                    + " bytes, not " + size);
        }
        this.size = size;
    }

    /** Bytes per chunk. */
    public int size() {
        return size;
    }

    @Override
    public ChunkReader open(InputStream in) {
        if (in == null) {
            throw new IllegalArgumentException("input stream is required");
        }
        return new Reader(in, size);
    }

    /** Reads straight into each chunk's own array: no window buffer and no copy, except for a short tail. */
    private static final class Reader implements ChunkReader {
        /** First read of a stream; a file that ends within it never costs a full-size chunk allocation. */
        private static final int PROBE = 64 * 1024;

        private final InputStream in;
        private final int size;
        private long offset;
        private boolean eof;

        Reader(InputStream in, int size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public Optional<PlainChunk> next() throws IOException {
            if (eof) {
                return Optional.empty();
            }
            int first = offset == 0 ? Math.min(PROBE, size) : size;
            int room = PlainChunk.SEAL_ROOM; // to seal in place
            byte[] data = new byte[first + room];
            int got = in.readNBytes(data, 0, first);
            if (got == first && first < size) {
                data = Arrays.copyOf(data, size + room);
                got += in.readNBytes(data, first, size - first);
            }
            if (got + room < data.length) {
                eof = true;
                if (got == 0) {
                    return Optional.empty();
                }
                data = Arrays.copyOf(data, got + room);
            }
            PlainChunk chunk = new PlainChunk(offset, data, got);
            offset += got;
            return Optional.of(chunk);
        }
    }
}
