package io.grove.runtime.manifest;

import io.grove.api.ChunkId;
import io.grove.runtime.crypto.ChunkKey;

/**
 * One chunk of a file version, in file order.
 *
 * @param id           the chunk's content address
 * @param plainLength  bytes of file data it holds
 * @param storedLength bytes the store holds for it (ciphertext and tag)
 * @param key          its key and nonce
 */
public record ChunkEntry(ChunkId id, int plainLength, int storedLength, ChunkKey key) {
    public ChunkEntry {
        if (id == null || key == null) {
            throw new IllegalArgumentException("a chunk entry needs an id and a key");
        }
        if (plainLength < 0 || storedLength < plainLength) {
            throw new IllegalArgumentException("chunk entry lengths are inconsistent");
        }
    }
}
