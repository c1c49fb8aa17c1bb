package io.grove.runtime.crypto;

import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

import javax.crypto.AEADBadTagException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Seals a small secret to one recipient's X25519 public key (the construction {@code fleet/WrappedSecret} uses,
 * for grants): a one-time X25519 key pair, {@code HKDF-SHA256(shared, salt = ephemeral ‖ recipient, info = context)},
 * ChaCha20-Poly1305 binding {@code context}. Output: {@code ephemeral public key (32) ‖ nonce ‖ ciphertext ‖ tag}.
 * Only the holder of the recipient's X25519 private key opens it; the context (a grant's id, creator and
 * recipient) stops a box being moved into another message.
 */
public final class RecipientBox {
    /** Bytes added to a plaintext. */
    public static final int OVERHEAD = 32 + Aead.OVERHEAD;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecipientBox() {
    }

    /** Seals {@code plaintext} to {@code recipientKey} (raw 32-byte X25519 public key). */
    public static byte[] seal(byte[] recipientKey, byte[] plaintext, byte[] context) {
        if (recipientKey.length != 32) {
            throw new IllegalArgumentException("an X25519 public key has 32 bytes");
        }
        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(RANDOM);
        byte[] ephemeralPublic = ephemeral.generatePublicKey().getEncoded();
        byte[] shared = new byte[32];
        ephemeral.generateSecret(new org.bouncycastle.crypto.params.X25519PublicKeyParameters(recipientKey, 0), shared, 0);
        byte[] key = key(shared, ephemeralPublic, recipientKey, context);
        byte[] sealed = Aead.seal(key, plaintext, context);
        Arrays.fill(key, (byte) 0);
        Arrays.fill(shared, (byte) 0);
        return ByteBuffer.allocate(32 + sealed.length).put(ephemeralPublic).put(sealed).array();
    }

    /**
     * Opens a box sealed to this cell.
     *
     * @param ownPublicKey this cell's X25519 public key
     * @param agree        X25519 with this cell's private key ({@code CellKeys::agree})
     * @throws AEADBadTagException when the box was sealed to another key, for another context, or altered
     */
    public static byte[] open(byte[] ownPublicKey, UnaryOperator<byte[]> agree, byte[] box, byte[] context)
            throws AEADBadTagException {
        if (box.length < OVERHEAD) {
            throw new AEADBadTagException("a sealed box is at least " + OVERHEAD + " bytes");
        }
        byte[] ephemeralPublic = Arrays.copyOf(box, 32);
        byte[] shared = agree.apply(ephemeralPublic);
        if (isZero(shared)) {
            throw new AEADBadTagException("the box's ephemeral key is a low-order point");
        }
        byte[] key = key(shared, ephemeralPublic, ownPublicKey, context);
        try {
            return Aead.open(key, Arrays.copyOfRange(box, 32, box.length), context);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(shared, (byte) 0);
        }
    }

    private static byte[] key(byte[] shared, byte[] ephemeralPublic, byte[] recipientKey, byte[] context) {
        byte[] salt = ByteBuffer.allocate(64).put(ephemeralPublic).put(recipientKey).array();
        return Hkdf.derive(shared, salt, context, 32);
    }

    private static boolean isZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }
}
