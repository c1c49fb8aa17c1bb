package io.grove.runtime.fleet;

import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Signatures;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;

/**
 * A cell's request to join with an invite. It proves knowledge of the invite secret without containing it, so it may
 * cross an unauthenticated channel: {@code proof = HMAC-SHA256(verifier, message)} with {@code verifier =
 * SHA-256("grove invite v1" ‖ 0x00 ‖ secret)} and {@code message = "grove join v1" ‖ 0x00 ‖ fleet ‖ signing key ‖
 * agreement key ‖ timestamp ‖ label}. The joiner also signs {@code message ‖ proof} with the key it asks to be
 * admitted with, proving it holds that key. docs/fleet.md explains why the verifier, not the secret, keys the MAC.
 *
 * @param fleetId      the fleet it asks to join
 * @param signingKey   its raw Ed25519 public key
 * @param agreementKey its raw X25519 public key
 * @param label        its name in the roster
 * @param timestamp    when it made the request, epoch milliseconds
 * @param proof        the HMAC (32 bytes)
 * @param signature    its Ed25519 signature under {@value #LABEL} (64 bytes)
 */
public record JoinRequest(FleetId fleetId, byte[] signingKey, byte[] agreementKey, String label, long timestamp,
                          byte[] proof, byte[] signature) {
    /** Domain label of the proof message and the signature. */
    public static final String LABEL = "grove join v1";
    /** Domain label of the verifier hash. */
    static final String VERIFIER_LABEL = "grove invite v1";

    public JoinRequest {
        if (fleetId == null || signingKey == null || agreementKey == null || label == null || proof == null
                || signature == null) {
            throw new IllegalArgumentException("a join request needs every field");
        }
        if (signingKey.length != 32 || agreementKey.length != 32 || proof.length != 32
                || signature.length != Signatures.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a join request has 32-byte keys and proof and a 64-byte signature");
        }
        Roster.requireLabel(label);
        signingKey = signingKey.clone();
        agreementKey = agreementKey.clone();
        proof = proof.clone();
        signature = signature.clone();
    }

    /** The request {@code joiner} makes to join with {@code invite}, named {@code label}. */
    public static JoinRequest create(Invite invite, CellKeys joiner, String label, Clock clock) {
        long now = clock.millis();
        byte[] message = message(invite.fleetId(), joiner.signingPublicKey(), joiner.agreementPublicKey(), now, label);
        byte[] proof = hmac(verifier(invite.secret()), message);
        return new JoinRequest(invite.fleetId(), joiner.signingPublicKey(), joiner.agreementPublicKey(), label, now,
                proof, joiner.sign(LABEL, concat(message, proof)));
    }

    /** Whether the joiner's signature is valid. */
    boolean signatureValid() {
        return Signatures.verify(signingKey, LABEL, concat(message(), proof), signature);
    }

    /** Whether the proof was made with the secret whose verifier is {@code verifier}; constant time. */
    boolean provesKnowledgeOf(byte[] verifier) {
        return MessageDigest.isEqual(hmac(verifier, message()), proof);
    }

    /** SHA-256("grove invite v1" ‖ 0x00 ‖ secret): what the leader keeps instead of the secret. */
    static byte[] verifier(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Signatures.message(VERIFIER_LABEL, secret));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private byte[] message() {
        return message(fleetId, signingKey, agreementKey, timestamp, label);
    }

    private static byte[] message(FleetId fleet, byte[] signingKey, byte[] agreementKey, long timestamp, String label) {
        byte[] prefix = Signatures.message(LABEL, new byte[0]);
        byte[] name = label.getBytes(StandardCharsets.UTF_8);
        // The label is last, so its variable length cannot shift the fixed-size fields before it.
        return ByteBuffer.allocate(prefix.length + FleetId.BYTES + 32 + 32 + 8 + name.length)
                .put(prefix).put(fleet.bytes()).put(signingKey).put(agreementKey).putLong(timestamp).put(name).array();
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required of every JDK", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public byte[] signingKey() {
        return signingKey.clone();
    }

    @Override
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    @Override
    public byte[] proof() {
        return proof.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
