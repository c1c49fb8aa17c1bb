package io.grove.runtime.chunk;

/**
 * Size bounds for content-defined chunking.
 *
 * <p>The defaults (1 / 4 / 16 MiB) keep per-chunk costs (a key and id in every manifest, a file per chunk in
 * the store, a round trip per chunk in sync) small for large media files while still deduplicating edits in
 * the middle of a file. {@code avgSize} is a power of two because FastCDC's cut condition is a bit mask.
 *
 * @param minSize no chunk but the last is shorter; FastCDC does not even hash these bytes
 * @param avgSize the target (normal) size, a power of two
 * @param maxSize no chunk is longer; at most {@link #MAX_CHUNK_SIZE}
 */
public record ChunkingParams(int minSize, int avgSize, int maxSize) {
    /** The largest chunk Grove will make: bounds memory per chunk in flight on every cell. */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

    private static final ChunkingParams DEFAULTS = new ChunkingParams(1 << 20, 4 << 20, 16 << 20);

    public ChunkingParams {
        if (minSize < 1) {
            throw new IllegalArgumentException("minimum chunk size must be at least 1 byte, not " + minSize);
        }
        if (!(minSize < avgSize && avgSize < maxSize)) {
            throw new IllegalArgumentException("chunk sizes must satisfy min < avg < max, got min " + minSize
                    + ", avg " + avgSize + ", max " + maxSize);
        }
        if (Integer.bitCount(avgSize) != 1) {
            throw new IllegalArgumentException("average chunk size must be a power of two, not " + avgSize);
        }
        if (maxSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("maximum chunk size must be at most " + MAX_CHUNK_SIZE
                    + " bytes (16 MiB), not " + maxSize);
        }
    }

    /** Minimum 1 MiB, average 4 MiB, maximum 16 MiB. */
    public static ChunkingParams defaults() {
        return DEFAULTS;
    }
}
