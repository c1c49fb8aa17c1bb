package io.grove.runtime.crypto;

import io.grove.api.ChunkId;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * Verifies and decrypts a chunk sealed by {@link ChunkSealer}. Needs only the chunk's own key (from the
 * manifest), never the master key, which is why it is separate from the sealer: a grantee can open what it
 * was given without being able to seal.
 */
public final class ChunkOpener {
    private ChunkOpener() {
    }

    /**
     * Checks that {@code ciphertext} hashes to {@code id}, then decrypts and authenticates it.
     *
     * <p>The id check comes first and needs no key, so a damaged copy is reported as such (and can be
     * replaced from a peer) rather than as a wrong key. The decryption is one {@code doFinal}: the JDK
     * buffers every {@code update()} of an AEAD decryption until the tag is checked, so slicing would only add
     * copies.
     *
     * @return the plaintext, a new array of {@code ciphertext.length - 16} bytes
     * @throws CorruptChunkException if the hash does not match {@code id} or the tag does not verify
     */
    public static byte[] open(ChunkId id, ChunkKey key, byte[] ciphertext) throws CorruptChunkException {
        if (id == null || key == null || ciphertext == null) {
            throw new IllegalArgumentException("opening a chunk needs its id, key and ciphertext");
        }
        ThreadCrypto crypto = ThreadCrypto.current();
        MessageDigest digest = crypto.cipherDigest;
        ThreadCrypto.updateSliced(digest, ciphertext, 0, ciphertext.length);
        if (!MessageDigest.isEqual(digest.digest(), id.digest())) {
            throw new CorruptChunkException(id, "its bytes do not hash to its id");
        }
        if (ciphertext.length < SealedChunk.TAG_LENGTH) {
            throw new CorruptChunkException(id, "shorter than an authentication tag");
        }
        byte[] plain = new byte[ciphertext.length - SealedChunk.TAG_LENGTH];
        try {
            Cipher cipher = crypto.decrypting(key);
            cipher.doFinal(ciphertext, 0, ciphertext.length, plain, 0);
        } catch (AEADBadTagException e) {
            throw new CorruptChunkException(id, "authentication tag does not verify: wrong key or altered bytes", e);
        } catch (GeneralSecurityException e) {
            throw ThreadCrypto.unexpected(e);
        }
        return plain;
    }
}
