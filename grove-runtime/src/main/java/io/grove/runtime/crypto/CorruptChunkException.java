package io.grove.runtime.crypto;

import io.grove.api.ChunkId;
import java.io.IOException;

/**
 * A stored chunk failed verification: its bytes do not hash to its id, or its authentication tag does not
 * verify under the key the manifest gives. Either way the copy is unusable and must be fetched again.
 */
public final class CorruptChunkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ChunkId chunkId;
    private final String reason;

    /**
     * Reports {@code chunkId} as corrupt, with a message that says what to do about it.
     *
     * @param chunkId the chunk that failed
     * @param reason  what did not match
     */
    public CorruptChunkException(ChunkId chunkId, String reason) {
        this(chunkId, reason, null);
    }

    /**
     * Reports {@code chunkId} as corrupt because of {@code cause}.
     *
     * @param chunkId the chunk that failed
     * @param reason  what did not match
     * @param cause   the underlying failure
     */
    public CorruptChunkException(ChunkId chunkId, String reason, Throwable cause) {
        super("chunk " + chunkId + " is corrupt (" + reason + "); discard this copy and fetch the chunk from a peer",
                cause);
        this.chunkId = chunkId;
        this.reason = reason;
    }

    /** What did not match, without the advice of the message. */
    public String reason() {
        return reason;
    }

    /** The chunk that failed. */
    public ChunkId chunkId() {
        return chunkId;
    }
}
