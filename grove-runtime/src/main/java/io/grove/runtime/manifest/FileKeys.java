package io.grove.runtime.manifest;

import io.grove.runtime.crypto.Aead;
import io.grove.runtime.crypto.Hkdf;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Per-file keys: 32 random bytes per file, which seal its manifests; wrapped by a key derived from the master key
 * ({@code HKDF-SHA256(master, "grove file-key wrap v1")}) for storage, and by a recipient's X25519 key for sharing.
 */
public final class FileKeys {
    /** Bytes of a file key. */
    public static final int KEY_BYTES = 32;
    /** Bytes of a wrapped file key. */
    public static final int WRAPPED_BYTES = KEY_BYTES + Aead.OVERHEAD;
    private static final byte[] AAD = "grove file key v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] wrappingKey;

    public FileKeys(byte[] masterKey) {
        this.wrappingKey = Hkdf.derive(masterKey, new byte[0], "grove file-key wrap v1", KEY_BYTES);
    }

    /** A fresh random file key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Wraps a file key for storage beside the data. */
    public byte[] wrap(byte[] fileKey) {
        return Aead.seal(wrappingKey, fileKey, AAD);
    }

    /**
     * Unwraps a file key this cell wrapped.
     *
     * @throws AEADBadTagException when it was wrapped by another master key or altered
     */
    public byte[] unwrap(byte[] wrapped) throws AEADBadTagException {
        if (wrapped.length != WRAPPED_BYTES) {
            throw new AEADBadTagException("a wrapped file key has " + WRAPPED_BYTES + " bytes");
        }
        return Aead.open(wrappingKey, wrapped, AAD);
    }
}
