package io.grove.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK crypto objects one thread uses on the hot path: a ChaCha20-Poly1305 {@link Cipher} and two SHA-256
 * {@link MessageDigest}s (plaintext and ciphertext).
 *
 * <p>Why JDK and not Bouncy Castle, why cached, why sliced: the JDK versions run on CPU intrinsics and are
 * 8–14× faster; {@code getInstance} is a provider lookup that would cost more than a small chunk's crypto;
 * neither class is thread-safe, hence one set per thread. Grove's ingest runs these stages on a fixed pool of
 * platform threads, where the cache pays off; a short-lived virtual thread simply builds its own set.
 */
final class ThreadCrypto {
    /**
     * Size of each {@code update()} slice. Large enough that call overhead vanishes, small enough that the
     * bytes a slice produces are still in L2 when the next stage reads them, and many calls per chunk let C2
     * compile the intrinsic call sites early (one 4 MiB call per chunk kept ChaCha20 at ~540 MB/s for a GiB).
     */
    static final int SLICE = 64 * 1024;

    private static final ThreadLocal<ThreadCrypto> CURRENT = ThreadLocal.withInitial(ThreadCrypto::new);

    final MessageDigest plainDigest = sha256();
    final MessageDigest cipherDigest = sha256();
    private Cipher cipher = chaCha20Poly1305();
    /** The key the cipher was last initialised with, in either direction; see {@link #encrypting}. */
    private ChunkKey lastKey;

    private ThreadCrypto() {
    }

    /** This thread's instances. */
    static ThreadCrypto current() {
        return CURRENT.get();
    }

    /**
     * The cipher, initialised to encrypt under {@code key}.
     *
     * <p>The JDK refuses to encrypt twice in a row with the same key and nonce on one {@code Cipher} object
     * (a guard against nonce reuse). Grove reuses them on purpose — same content, same key, same ciphertext
     * is what makes deduplication work, and it leaks nothing beyond that equality — so when the key repeats
     * the instance is replaced instead.
     */
    Cipher encrypting(ChunkKey key) throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (key.equals(lastKey)) {
            cipher = chaCha20Poly1305();
        }
        return init(Cipher.ENCRYPT_MODE, key);
    }

    /** The cipher, initialised to decrypt under {@code key}. */
    Cipher decrypting(ChunkKey key) throws InvalidKeyException, InvalidAlgorithmParameterException {
        return init(Cipher.DECRYPT_MODE, key);
    }

    private Cipher init(int mode, ChunkKey key) throws InvalidKeyException, InvalidAlgorithmParameterException {
        // Recorded before init so that a failed init can never leave a stale "last key" behind.
        lastKey = key;
        cipher.init(mode, new SecretKeySpec(key.keyBytes(), "ChaCha20"), new IvParameterSpec(key.nonceBytes()));
        return cipher;
    }

    /** Feeds {@code data[off, off+len)} to {@code digest} in {@link #SLICE}-sized updates. */
    static void updateSliced(MessageDigest digest, byte[] data, int off, int len) {
        for (int done = 0; done < len; done += SLICE) {
            digest.update(data, off + done, Math.min(SLICE, len - done));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-256, which every Java SE runtime must provide", e);
        }
    }

    private static Cipher chaCha20Poly1305() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw new IllegalStateException("this JDK lacks ChaCha20-Poly1305 (needs Java 11 or newer)", e);
        }
    }

    /** Wraps a crypto failure that only a broken JDK could cause. */
    static IllegalStateException unexpected(GeneralSecurityException e) {
        return new IllegalStateException("JDK ChaCha20-Poly1305 failed unexpectedly: " + e.getMessage(), e);
    }
}
