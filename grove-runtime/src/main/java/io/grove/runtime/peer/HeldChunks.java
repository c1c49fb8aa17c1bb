package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.api.ChunkId;

/** Where a cell records the chunks it stores for other cells ({@code chunk.put}), so that it keeps them. */
@FunctionalInterface
public interface HeldChunks {
    /** Nothing is recorded (cells without replication, tests). */
    HeldChunks NONE = (chunk, owner) -> { };

    /** Records, durably, that {@code chunk} is held for {@code owner}; called after the chunk is stored. */
    void held(ChunkId chunk, CellId owner);
}
