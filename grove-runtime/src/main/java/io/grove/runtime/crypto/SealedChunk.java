package io.grove.runtime.crypto;

import io.grove.api.ChunkId;
import java.util.Arrays;

/**
 * One chunk after {@link ChunkSealer#seal}: what the store keeps ({@code id}, {@code ciphertext}) and what the
 * manifest keeps ({@code id}, {@code key}, {@code plainLength}).
 *
 * <p>The ciphertext array is handed over, not copied: it is up to 16 MiB and the pipeline passes it straight
 * to the store. Treat it as read-only.
 *
 * @param id          SHA-256 of {@code ciphertext}
 * @param key         the key and nonce that open it
 * @param ciphertext  ChaCha20-Poly1305 output: encrypted bytes followed by the 16-byte tag
 * @param plainLength bytes of plaintext, always {@code ciphertext.length - 16}
 */
public record SealedChunk(ChunkId id, ChunkKey key, byte[] ciphertext, int plainLength) {
    /** Bytes the Poly1305 tag adds to every chunk. */
    public static final int TAG_LENGTH = 16;

    public SealedChunk {
        if (id == null || key == null || ciphertext == null) {
            throw new IllegalArgumentException("a sealed chunk needs an id, a key and a ciphertext");
        }
        if (plainLength < 0 || ciphertext.length != plainLength + TAG_LENGTH) {
            throw new IllegalArgumentException("ciphertext of " + ciphertext.length
                    + " bytes does not match a plaintext of " + plainLength + " bytes plus the tag");
        }
    }

    /** Equal when all parts are equal, the ciphertext by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SealedChunk that
                && id.equals(that.id)
                && key.equals(that.key)
                && plainLength == that.plainLength
                && Arrays.equals(ciphertext, that.ciphertext);
    }

    /** Hashes the id only: it already is a digest of the ciphertext. */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Names the chunk and its size; never the key or the bytes. */
    @Override
    public String toString() {
        return "SealedChunk[id=" + id + ", plainLength=" + plainLength + "]";
    }
}
