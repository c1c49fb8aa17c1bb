package io.grove.api.store;

import io.grove.api.ChunkId;

import java.util.Optional;

/**
 * A position in the ascending list of chunk ids: before everything, or just after one id.
 *
 * @param after the id the next page starts after; empty for the start
 */
public record ChunkCursor(Optional<ChunkId> after) {
    /** Before the first id. */
    public static final ChunkCursor START = new ChunkCursor(Optional.empty());

    public ChunkCursor {
        if (after == null) {
            throw new IllegalArgumentException("use ChunkCursor.START for the beginning");
        }
    }

    /** The position just after {@code id}. */
    public static ChunkCursor after(ChunkId id) {
        return new ChunkCursor(Optional.of(id));
    }

    /** Whether {@code id} lies after this cursor. */
    public boolean precedes(ChunkId id) {
        return after.map(a -> a.compareTo(id) < 0).orElse(true);
    }
}
