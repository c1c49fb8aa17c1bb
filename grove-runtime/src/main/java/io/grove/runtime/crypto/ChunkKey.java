package io.grove.runtime.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The secret that opens one chunk: a ChaCha20-Poly1305 key and nonce, both derived from the chunk's content
 * and the owner's master key (see {@link ChunkSealer}).
 *
 * <p>Arrays are copied in and out so a caller can never change a key another thread is using. {@link
 * #toString()} never shows the bytes, so a key cannot leak into a log line by accident.
 *
 * @param key   32-byte ChaCha20 key
 * @param nonce 12-byte ChaCha20-Poly1305 nonce
 */
public record ChunkKey(byte[] key, byte[] nonce) {
    /** Bytes in {@link #key()}. */
    public static final int KEY_LENGTH = 32;
    /** Bytes in {@link #nonce()}. */
    public static final int NONCE_LENGTH = 12;

    public ChunkKey {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a chunk key has " + KEY_LENGTH + " bytes");
        }
        if (nonce == null || nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("a chunk nonce has " + NONCE_LENGTH + " bytes");
        }
        key = key.clone();
        nonce = nonce.clone();
    }

    /** A copy of the 32 key bytes. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** A copy of the 12 nonce bytes. */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** Key then nonce, 44 bytes, as manifests and grants carry it. */
    public byte[] encoded() {
        byte[] out = Arrays.copyOf(key, KEY_LENGTH + NONCE_LENGTH);
        System.arraycopy(nonce, 0, out, KEY_LENGTH, NONCE_LENGTH);
        return out;
    }

    /** Reads what {@link #encoded()} wrote. */
    public static ChunkKey decode(byte[] encoded) {
        if (encoded.length != KEY_LENGTH + NONCE_LENGTH) {
            throw new IllegalArgumentException("an encoded chunk key has " + (KEY_LENGTH + NONCE_LENGTH) + " bytes");
        }
        return new ChunkKey(Arrays.copyOf(encoded, KEY_LENGTH), Arrays.copyOfRange(encoded, KEY_LENGTH, encoded.length));
    }

    /** Package-private view without a copy, for the cipher set-up on the hot path. */
    byte[] keyBytes() {
        return key;
    }

    /** Package-private view without a copy, for the cipher set-up on the hot path. */
    byte[] nonceBytes() {
        return nonce;
    }

    /** Equal when key and nonce bytes are equal; compared in constant time because they are secrets. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ChunkKey that)) {
            return false;
        }
        boolean sameKey = MessageDigest.isEqual(key, that.key);
        boolean sameNonce = MessageDigest.isEqual(nonce, that.nonce);
        return sameKey && sameNonce;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(nonce);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "ChunkKey[redacted]";
    }
}
