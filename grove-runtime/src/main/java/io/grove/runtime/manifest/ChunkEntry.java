package io.grove.runtime.manifest;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.crypto.ChunkKey;

import java.util.Optional;

/**
 * One chunk of a file version, in file order: either a whole stored object, or a slice of a pack (docs/storage.md,
 * "Packs").
 *
 * @param id           the stored object holding the chunk: the chunk itself, or the pack it is a slice of
 * @param plainLength  bytes of file data it holds
 * @param storedLength bytes of its sealed form (ciphertext and tag): the whole object, or the slice
 * @param key          its key and nonce
 * @param slice        where in a pack it lies, when it is packed
 */
public record ChunkEntry(ChunkId id, int plainLength, int storedLength, ChunkKey key, Optional<Slice> slice) {
    public ChunkEntry {
        if (id == null || key == null || slice == null) {
            throw new IllegalArgumentException("a chunk entry needs an id, a key and a slice or none");
        }
        if (plainLength < 0 || storedLength < plainLength || storedLength > ChunkStore.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk entry lengths are inconsistent");
        }
        if (slice.isPresent() && slice.get().offset() + (long) storedLength > ChunkStore.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("a packed chunk ends beyond the largest pack");
        }
    }

    /** A chunk stored as an object of its own. */
    public ChunkEntry(ChunkId id, int plainLength, int storedLength, ChunkKey key) {
        this(id, plainLength, storedLength, key, Optional.empty());
    }

    /**
     * Where a packed chunk lies in its pack.
     *
     * @param blob   SHA-256 of the chunk's own sealed bytes, so a slice is checked without reading the whole pack
     * @param offset the slice's first byte in the pack
     */
    public record Slice(ChunkId blob, int offset) {
        public Slice {
            if (blob == null || offset < 0) {
                throw new IllegalArgumentException("a slice needs a blob id and a non-negative offset");
            }
        }
    }

    /** The id the sealed bytes themselves hash to: the blob's for a slice, the object's otherwise. */
    public ChunkId sealedId() {
        return slice.map(Slice::blob).orElse(id);
    }

    /** Whether this chunk is a slice of a pack. */
    public boolean packed() {
        return slice.isPresent();
    }
}
