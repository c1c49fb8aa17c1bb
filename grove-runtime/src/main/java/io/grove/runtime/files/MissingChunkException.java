package io.grove.runtime.files;

import io.grove.api.ChunkId;

import java.io.IOException;

/** A chunk a version needs is not in the store. */
public final class MissingChunkException extends IOException {
    private final transient ChunkId chunkId;

    public MissingChunkException(ChunkId chunkId) {
        super("chunk " + chunkId.hex() + " is missing from the store");
        this.chunkId = chunkId;
    }

    public ChunkId chunkId() {
        return chunkId;
    }
}
