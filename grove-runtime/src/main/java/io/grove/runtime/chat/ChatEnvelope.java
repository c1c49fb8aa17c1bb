package io.grove.runtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Aead;
import io.grove.runtime.crypto.Hkdf;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.fleet.FleetFormatException;
import io.grove.runtime.fleet.StrictJson;
import io.grove.runtime.json.Json;

import javax.crypto.AEADBadTagException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * One chat message on the wire: {@code {"message": {v, from, to, seq, sentAt, box}, "signature": …}}. The box is
 * ChaCha20-Poly1305 (fresh random nonce) under a key both ends derive from their X25519 agreement
 * ({@link #conversationKey}), binding sender, recipient, seq and time as associated data; the sender signs the
 * canonical message under {@value #SIGNATURE_LABEL}. A carrier or relay sees who talks to whom and when, never what.
 *
 * @param from      the sender
 * @param to        the recipient
 * @param seq       the sender's sequence number towards {@code to}, from 1 without gaps
 * @param sentAt    epoch milliseconds on the sender's clock
 * @param box       nonce ‖ ciphertext ‖ tag
 * @param signature the sender's Ed25519 signature
 */
public record ChatEnvelope(CellId from, CellId to, long seq, long sentAt, byte[] box, byte[] signature) {
    /** Signature domain label. */
    public static final String SIGNATURE_LABEL = "grove chat v1";
    /** The longest message text, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 16 * 1024;
    /** The longest encoded envelope. */
    public static final int MAX_BYTES = 2 * MAX_TEXT_BYTES + 1024;
    private static final String KEY_LABEL = "grove chat key v1";
    private static final Set<String> FIELDS = Set.of("v", "from", "to", "seq", "sentAt", "box");

    public ChatEnvelope {
        if (from == null || to == null || box == null || signature == null || from.equals(to)) {
            throw new IllegalArgumentException("a chat message needs two different cells, a box and a signature");
        }
        if (seq < 1 || sentAt < 0 || box.length < Aead.OVERHEAD || box.length > MAX_TEXT_BYTES + Aead.OVERHEAD
                || signature.length != Signatures.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a chat message has seq >= 1, a bounded box and a 64-byte signature");
        }
        box = box.clone();
        signature = signature.clone();
    }

    /** Seals and signs {@code text} from this cell to {@code to} (whose X25519 key is {@code toAgreementKey}). */
    static ChatEnvelope seal(CellKeys self, CellId to, byte[] toAgreementKey, long seq, long sentAt, String text) {
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("a chat message is at most " + MAX_TEXT_BYTES + " bytes of UTF-8");
        }
        byte[] key = conversationKey(self, self.cellId(), to, toAgreementKey);
        byte[] box = Aead.seal(key, plain, aad(self.cellId(), to, seq, sentAt));
        Arrays.fill(key, (byte) 0);
        byte[] signature = self.sign(SIGNATURE_LABEL, StrictJson.canonical(body(self.cellId(), to, seq, sentAt, box)));
        return new ChatEnvelope(self.cellId(), to, seq, sentAt, box, signature);
    }

    /** Whether the signature verifies under the sender's Ed25519 key. */
    boolean verifies(byte[] senderSigningKey) {
        return CellId.ofPublicKey(senderSigningKey).equals(from)
                && Signatures.verify(senderSigningKey, SIGNATURE_LABEL, StrictJson.canonical(body(from, to, seq, sentAt, box)), signature);
    }

    /**
     * Opens a message addressed to this cell.
     *
     * @throws AEADBadTagException when the box was altered or sealed for another conversation
     */
    String open(CellKeys self, byte[] fromAgreementKey) throws AEADBadTagException {
        byte[] key = conversationKey(self, from, to, fromAgreementKey);
        try {
            byte[] plain = Aead.open(key, box, aad(from, to, seq, sentAt));
            return new String(plain, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** HKDF(X25519 shared secret, salt = the two cell ids in order, info = label): the same on both ends. */
    private static byte[] conversationKey(CellKeys self, CellId a, CellId b, byte[] otherAgreementKey) {
        byte[] shared = self.agree(otherAgreementKey);
        String first = a.compareTo(b) < 0 ? a.value() : b.value();
        String second = a.compareTo(b) < 0 ? b.value() : a.value();
        try {
            return Hkdf.derive(shared, (first + second).getBytes(StandardCharsets.US_ASCII), KEY_LABEL, 32);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private static byte[] aad(CellId from, CellId to, long seq, long sentAt) {
        byte[] label = SIGNATURE_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] ids = (from.value() + to.value()).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(label.length + 1 + ids.length + 16).put(label).put((byte) 0).put(ids)
                .putLong(seq).putLong(sentAt).array();
    }

    /** The wire form. */
    public byte[] encode() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("message", body(from, to, seq, sentAt, box));
        root.put("signature", StrictJson.b64(signature));
        return StrictJson.canonical(root);
    }

    /** @throws IllegalArgumentException when {@code bytes} is not a well-formed envelope (the signature is not checked) */
    public static ChatEnvelope decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("a chat message is at most " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode root = StrictJson.object(StrictJson.parse(bytes), "a chat message", Set.of("message", "signature"));
            JsonNode m = StrictJson.object(root.get("message"), "message", FIELDS);
            if (StrictJson.integer(m, "v") != 1) {
                throw new IllegalArgumentException("chat message version 1 is the only one");
            }
            ChatEnvelope decoded = new ChatEnvelope(CellId.parse(StrictJson.text(m, "from")),
                    CellId.parse(StrictJson.text(m, "to")), StrictJson.integer(m, "seq"), StrictJson.integer(m, "sentAt"),
                    box(m), StrictJson.bytes(root, "signature", Signatures.SIGNATURE_BYTES));
            // One spelling only, so that a replay in another spelling is recognised as the same message.
            if (!Arrays.equals(decoded.encode(), bytes)) {
                throw new IllegalArgumentException("the message is not in its canonical form");
            }
            return decoded;
        } catch (FleetFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The box: unpadded base64url in its one spelling, of any length the constructor accepts. */
    private static byte[] box(JsonNode message) {
        String text = StrictJson.text(message, "box");
        byte[] value = Base64.getUrlDecoder().decode(text);
        if (!StrictJson.b64(value).equals(text)) {
            throw new IllegalArgumentException("box must be unpadded base64url");
        }
        return value;
    }

    private static ObjectNode body(CellId from, CellId to, long seq, long sentAt, byte[] box) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("v", 1);
        n.put("from", from.value());
        n.put("to", to.value());
        n.put("seq", seq);
        n.put("sentAt", sentAt);
        n.put("box", StrictJson.b64(box));
        return n;
    }

    @Override
    public byte[] box() {
        return box.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatEnvelope e && Arrays.equals(encode(), e.encode());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + from.hashCode();
    }

    @Override
    public String toString() {
        return "ChatEnvelope[" + from.shortForm() + " -> " + to.shortForm() + " #" + seq + "]";
    }
}
