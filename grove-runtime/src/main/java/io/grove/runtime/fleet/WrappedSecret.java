package io.grove.runtime.fleet;

import io.grove.api.CellId;
import io.grove.runtime.crypto.Aead;
import io.grove.runtime.crypto.Signatures;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One epoch's fleet secret wrapped to one member's X25519 key by the leader, and signed by the leader so a member
 * cannot be fed a secret an outsider chose. Made and opened by {@link FleetSecrets}; docs/fleet.md has the format.
 *
 * @param fleetId      the fleet
 * @param epoch        the epoch, 1 and up
 * @param recipient    the member it is wrapped to
 * @param ephemeralKey the leader's one-time X25519 public key (32 bytes)
 * @param sealed       ChaCha20-Poly1305 of the 32-byte secret ({@value #SEALED_BYTES} bytes with nonce and tag)
 * @param signature    the leader's Ed25519 signature under {@value #SIGNATURE_LABEL}
 */
public record WrappedSecret(FleetId fleetId, long epoch, CellId recipient, byte[] ephemeralKey, byte[] sealed,
                            byte[] signature) {
    /** The signature domain (also the prefix of the HKDF info and AEAD data). */
    public static final String SIGNATURE_LABEL = "grove fleet secret v1";
    /** Bytes of a sealed secret. */
    public static final int SEALED_BYTES = 32 + Aead.OVERHEAD;
    private static final byte[] MAGIC = {'G', 'R', 'V', 'W', 1};
    /** Bytes of the encoded form. */
    public static final int ENCODED_BYTES = MAGIC.length + FleetId.BYTES + 8 + CellId.LENGTH + 32 + SEALED_BYTES
            + Signatures.SIGNATURE_BYTES;

    public WrappedSecret {
        if (fleetId == null || recipient == null || ephemeralKey == null || sealed == null || signature == null) {
            throw new IllegalArgumentException("a wrapped secret needs every field");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs start at 1");
        }
        if (ephemeralKey.length != 32 || sealed.length != SEALED_BYTES || signature.length != Signatures.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a wrapped secret has a 32-byte key, " + SEALED_BYTES
                    + " sealed bytes and a 64-byte signature");
        }
        ephemeralKey = ephemeralKey.clone();
        sealed = sealed.clone();
        signature = signature.clone();
    }

    /** The context bound into key derivation, encryption and signature: label ‖ 0x00 ‖ fleet ‖ epoch ‖ recipient. */
    static byte[] context(FleetId fleetId, long epoch, CellId recipient) {
        byte[] label = SIGNATURE_LABEL.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(label.length + 1 + FleetId.BYTES + 8 + CellId.LENGTH)
                .put(label).put((byte) 0).put(fleetId.bytes()).putLong(epoch)
                .put(recipient.value().getBytes(StandardCharsets.US_ASCII)).array();
    }

    /** What the leader signs: context ‖ ephemeral key ‖ sealed. */
    byte[] signedPart() {
        return ByteBuffer.allocate(context(fleetId, epoch, recipient).length + 32 + SEALED_BYTES)
                .put(context(fleetId, epoch, recipient)).put(ephemeralKey).put(sealed).array();
    }

    /** The one binary form: magic "GRVW" 0x01 ‖ fleet ‖ epoch ‖ recipient (ASCII) ‖ ephemeral key ‖ sealed ‖ signature. */
    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_BYTES).put(MAGIC).put(fleetId.bytes()).putLong(epoch)
                .put(recipient.value().getBytes(StandardCharsets.US_ASCII)).put(ephemeralKey).put(sealed).put(signature)
                .array();
    }

    /** @throws FleetFormatException when {@code bytes} is not an encoded wrapped secret */
    public static WrappedSecret decode(byte[] bytes) {
        if (bytes.length != ENCODED_BYTES || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new FleetFormatException("not a wrapped fleet secret (bad magic or length)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        try {
            FleetId fleet = FleetId.of(take(in, FleetId.BYTES));
            long epoch = in.getLong();
            CellId recipient = new CellId(new String(take(in, CellId.LENGTH), StandardCharsets.US_ASCII));
            return new WrappedSecret(fleet, epoch, recipient, take(in, 32), take(in, SEALED_BYTES),
                    take(in, Signatures.SIGNATURE_BYTES));
        } catch (IllegalArgumentException e) {
            throw new FleetFormatException("invalid wrapped fleet secret: " + e.getMessage(), e);
        }
    }

    private static byte[] take(ByteBuffer in, int n) {
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    @Override
    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedSecret w && Arrays.equals(encode(), w.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sealed);
    }

    @Override
    public String toString() {
        return "WrappedSecret[fleet=" + fleetId + ", epoch=" + epoch + ", recipient=" + recipient.shortForm() + "]";
    }
}
