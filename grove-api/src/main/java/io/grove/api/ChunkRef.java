package io.grove.api;

/**
 * A reference to a stored chunk with the sizes needed to plan reads and transfers without opening it.
 *
 * @param id           the chunk's content address
 * @param storedLength number of bytes the store holds for it (ciphertext plus tag)
 */
public record ChunkRef(ChunkId id, long storedLength) {
    public ChunkRef {
        if (id == null) {
            throw new IllegalArgumentException("chunk ref needs an id");
        }
        if (storedLength < 0) {
            throw new IllegalArgumentException("stored length must not be negative: " + storedLength);
        }
    }
}
