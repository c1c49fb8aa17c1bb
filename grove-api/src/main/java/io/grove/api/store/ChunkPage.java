package io.grove.api.store;

import io.grove.api.ChunkId;

import java.util.List;
import java.util.Optional;

/**
 * One page of a chunk listing.
 *
 * @param ids  ascending ids
 * @param next where the next page starts; empty when this is the last page
 */
public record ChunkPage(List<ChunkId> ids, Optional<ChunkCursor> next) {
    /** The largest page a caller may ask for. */
    public static final int MAX_LIMIT = 10_000;

    public ChunkPage {
        ids = List.copyOf(ids);
        if (next == null) {
            throw new IllegalArgumentException("next must not be null");
        }
    }

    /** Checks a requested page size. */
    public static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("page limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        return limit;
    }
}
