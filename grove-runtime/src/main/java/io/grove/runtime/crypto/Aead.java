package io.grove.runtime.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439) for small messages: wrapped keys, manifests, grants, chat. Output is
 * {@code nonce (12) ‖ ciphertext ‖ tag (16)} with a fresh random nonce. Chunks use {@link ChunkSealer} instead,
 * whose nonces are derived from content.
 */
public final class Aead {
    /** Bytes of nonce. */
    public static final int NONCE_BYTES = 12;
    /** Bytes of authentication tag. */
    public static final int TAG_BYTES = 16;
    /** Bytes added to a plaintext. */
    public static final int OVERHEAD = NONCE_BYTES + TAG_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();
    // Cipher.getInstance looks the provider up each time (tens of microseconds, per manifest and per key wrap);
    // an instance per thread is re-initialised instead. Not shared: a Cipher is not thread-safe.
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is required of the JDK", e);
        }
    });

    private Aead() {
    }

    /** Encrypts {@code plaintext} under a 32-byte key, binding {@code aad}. */
    public static byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            cipher.updateAAD(aad);
            byte[] out = new byte[NONCE_BYTES + plaintext.length + TAG_BYTES];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is required of the JDK", e);
        }
    }

    /**
     * Decrypts what {@link #seal} produced.
     *
     * @throws AEADBadTagException when the key, the AAD or any byte is wrong
     */
    public static byte[] open(byte[] key, byte[] sealed, byte[] aad) throws AEADBadTagException {
        if (sealed.length < OVERHEAD) {
            throw new AEADBadTagException("sealed message is shorter than its nonce and tag");
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
                    new IvParameterSpec(Arrays.copyOf(sealed, NONCE_BYTES)));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 is required of the JDK", e);
        }
    }
}
