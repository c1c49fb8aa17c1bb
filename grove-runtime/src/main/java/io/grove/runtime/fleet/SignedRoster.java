package io.grove.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.runtime.crypto.Signatures;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * A roster with its leader's signature, in the one byte form that travels and is stored: the canonical JSON
 * envelope {@code {"roster":{…},"signature":"<base64url>"}}.
 *
 * <p>A class rather than a record because it keeps the parsed roster beside the bytes it came from. Holding one
 * says the bytes are well formed, not that the signature is valid: {@link RosterCodec#verify} checks that against
 * the pinned leader key.
 */
public final class SignedRoster {
    /** The largest encoded roster accepted; 1024 members take about a quarter of it. */
    public static final int MAX_BYTES = 1 << 20;
    private static final Set<String> ENVELOPE_FIELDS = Set.of("roster", "signature");

    private final Roster roster;
    private final byte[] payload;
    private final byte[] signature;
    private final byte[] encoded;

    SignedRoster(Roster roster, byte[] payload, byte[] signature) {
        if (signature.length != Signatures.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("an Ed25519 signature has " + Signatures.SIGNATURE_BYTES + " bytes");
        }
        this.roster = roster;
        this.payload = payload.clone();
        this.signature = signature.clone();
        // Both keys of the envelope are in RFC 8785 order already and the payload is canonical, so the canonical
        // envelope is this concatenation.
        byte[] head = "{\"roster\":".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (",\"signature\":\"" + StrictJson.b64(signature) + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + payload.length + tail.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        System.arraycopy(tail, 0, out, head.length + payload.length, tail.length);
        this.encoded = out;
    }

    /**
     * Parses the envelope strictly: at most {@link #MAX_BYTES}, canonical JSON exactly as {@link #encode()} writes
     * it, every field known and valid. Cheap: no signature is checked here.
     *
     * @throws FleetFormatException for anything else, and never another exception
     */
    public static SignedRoster decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new FleetFormatException("a signed roster has at most " + MAX_BYTES + " bytes, not " + bytes.length);
        }
        // Cheap first gate: everything valid starts this way, so random bytes never reach the JSON parser.
        if (bytes.length < 12 || bytes[0] != '{' || bytes[1] != '"' || bytes[2] != 'r') {
            throw new FleetFormatException("not a signed roster (it must start with {\"roster\":)");
        }
        try {
            ObjectNode envelope = StrictJson.object(StrictJson.parse(bytes), "signed roster", ENVELOPE_FIELDS);
            JsonNode rosterJson = envelope.get("roster");
            Roster roster = RosterCodec.fromJson(rosterJson);
            byte[] signature = StrictJson.bytes(envelope, "signature", Signatures.SIGNATURE_BYTES);
            SignedRoster signed = new SignedRoster(roster, RosterCodec.payload(roster), signature);
            // The one spelling rule: what we would write. Catches non-canonical numbers, key order, whitespace,
            // escapes, duplicate keys and trailing bytes without a canonicaliser running over untrusted input.
            if (!Arrays.equals(signed.encoded, bytes)) {
                throw new FleetFormatException("the signed roster is not in canonical form (RFC 8785)");
            }
            return signed;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new FleetFormatException("invalid signed roster: " + e.getMessage(), e);
        }
    }

    /** The encoded envelope. */
    public byte[] encode() {
        return encoded.clone();
    }

    /** The roster (parsed from {@link #payload()}). */
    public Roster roster() {
        return roster;
    }

    /** The canonical JSON the signature covers. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The leader's Ed25519 signature over {@code "grove roster v1" ‖ 0x00 ‖ payload}. */
    public byte[] signature() {
        return signature.clone();
    }

    /** Lower-case hex SHA-256 of {@link #encode()}: this version's identity in history and hello exchanges. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRoster s && Arrays.equals(encoded, s.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "SignedRoster[fleet=" + roster.fleetId() + ", seq=" + roster.seq() + ", members=" + roster.members().size() + "]";
    }
}
