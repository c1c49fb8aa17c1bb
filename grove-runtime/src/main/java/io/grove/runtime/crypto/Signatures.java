package io.grove.runtime.crypto;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.nio.charset.StandardCharsets;

/**
 * Ed25519 signatures with domain separation: what is signed is always {@code label ‖ 0x00 ‖ payload}, so a
 * signature made for one purpose (a manifest) can never be replayed as another (a roster, a grant).
 * {@link io.grove.runtime.cell.CellKeys#sign(String, byte[])} is the one place that signs; this is the one that verifies.
 */
public final class Signatures {
    /** Bytes of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    private Signatures() {
    }

    /** The exact bytes signed for {@code payload} under {@code label}. */
    public static byte[] message(String label, byte[] payload) {
        byte[] prefix = label.getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[prefix.length + 1 + payload.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(payload, 0, message, prefix.length + 1, payload.length);
        return message;
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code payload} under {@code label}. */
    public static boolean verify(byte[] publicKey, String label, byte[] payload, byte[] signature) {
        if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        byte[] message = message(label, payload);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
