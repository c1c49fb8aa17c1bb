package io.grove.runtime.manifest;

import io.grove.api.ChunkId;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A manifest as stored and replicated: opaque bytes whose SHA-256 is the version id. See docs/storage.md for the
 * layout: {@code "GRVM" ‖ 0x01 ‖ wrapped file key (60) ‖ nonce (12) ‖ ChaCha20-Poly1305(file key, envelope)}.
 *
 * @param bytes the sealed bytes (not copied: treat as immutable)
 */
public record SealedManifest(byte[] bytes) {
    /** The largest sealed manifest accepted from anywhere. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    public SealedManifest {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a sealed manifest has at most " + MAX_BYTES + " bytes");
        }
    }

    /** The version id: lowercase hex SHA-256 of the sealed bytes. */
    public ChunkId id() {
        try {
            return ChunkId.ofDigest(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of the JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedManifest other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SealedManifest[" + bytes.length + " bytes]";
    }
}
