package io.grove.runtime.bounty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.json.Json;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * A receipt with its payer's Ed25519 signature over its canonical JSON (RFC 8785) under {@value #SIGNATURE_LABEL}.
 * On the wire and at rest it is the envelope {@code {"receipt": {…}, "signature": base64url}}; reading is strict
 * (every field present, none unknown, each of its one type), and the signature is checked against the canonical
 * form of what was read, so two readers never see different receipts in the same signed bytes.
 *
 * @param receipt   the receipt
 * @param signature 64 bytes
 */
public record SignedReceipt(Receipt receipt, byte[] signature) {
    /** The signature domain of receipts. */
    public static final String SIGNATURE_LABEL = "grove bounty receipt v1";
    /** The receipt format version, its {@code v} field. */
    public static final int VERSION = 1;
    /** The longest envelope accepted. */
    public static final int MAX_BYTES = 2048;
    private static final Set<String> ENVELOPE_FIELDS = Set.of("receipt", "signature");
    private static final Set<String> RECEIPT_FIELDS = Set.of("v", "payer", "payee", "seq", "periodStart", "periodEnd",
            "bytes", "byteSeconds", "amount");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public SignedReceipt {
        if (receipt == null || signature == null || signature.length != Signatures.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a signed receipt needs a receipt and a 64-byte signature");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs {@code receipt} with the payer's keys. */
    public static SignedReceipt sign(Receipt receipt, CellKeys payer) {
        if (!receipt.payer().equals(payer.cellId())) {
            throw new IllegalArgumentException("a receipt is signed by its payer");
        }
        return new SignedReceipt(receipt, payer.sign(SIGNATURE_LABEL, payload(receipt)));
    }

    /** Whether the signature is the payer's, given the payer's raw Ed25519 public key. */
    public boolean verify(byte[] payerKey) {
        return CellId.ofPublicKey(payerKey).equals(receipt.payer())
                && Signatures.verify(payerKey, SIGNATURE_LABEL, payload(receipt), signature);
    }

    /** The canonical JSON bytes the signature covers. */
    public static byte[] payload(Receipt receipt) {
        return canonical(receiptJson(receipt));
    }

    /** The envelope's bytes. */
    public byte[] encode() {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.set("receipt", receiptJson(receipt));
        envelope.put("signature", B64.encodeToString(signature));
        return canonical(envelope);
    }

    /** The envelope as a JSON tree (for the REST summary). */
    public ObjectNode toJson() {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.set("receipt", receiptJson(receipt));
        envelope.put("signature", B64.encodeToString(signature));
        return envelope;
    }

    /**
     * Reads an envelope strictly; the signature is not checked here ({@link #verify}).
     *
     * @throws ReceiptException ({@link ReceiptException.Kind#INVALID}) for anything else than a valid envelope
     */
    public static SignedReceipt decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw invalid("a receipt is at most " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode envelope = object(Json.mapper().readTree(bytes), "receipt envelope", ENVELOPE_FIELDS);
            JsonNode r = object(envelope.get("receipt"), "receipt", RECEIPT_FIELDS);
            if (integer(r, "v") != VERSION) {
                throw invalid("unsupported receipt version " + r.get("v"));
            }
            Receipt receipt = new Receipt(new CellId(text(r, "payer")), new CellId(text(r, "payee")), integer(r, "seq"),
                    integer(r, "periodStart"), integer(r, "periodEnd"), integer(r, "bytes"),
                    decimal(r, "byteSeconds"), integer(r, "amount"));
            String signature = text(envelope, "signature");
            byte[] raw = B64D.decode(signature);
            if (raw.length != Signatures.SIGNATURE_BYTES || !B64.encodeToString(raw).equals(signature)) {
                throw invalid("signature must be 64 bytes in unpadded base64url");
            }
            return new SignedReceipt(receipt, raw);
        } catch (ReceiptException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw invalid("invalid receipt: " + e.getMessage());
        }
    }

    private static ObjectNode receiptJson(Receipt r) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("v", VERSION);
        node.put("payer", r.payer().value());
        node.put("payee", r.payee().value());
        node.put("seq", r.seq());
        node.put("periodStart", r.periodStart());
        node.put("periodEnd", r.periodEnd());
        node.put("bytes", r.bytes());
        // A decimal string: byte-seconds exceed 2^53 (1 TiB for a day does), beyond exact JSON numbers.
        node.put("byteSeconds", Long.toString(r.byteSeconds()));
        node.put("amount", r.amount());
        return node;
    }

    private static byte[] canonical(JsonNode node) {
        try {
            return new JsonCanonicalizer(Json.mapper().writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode object(JsonNode node, String what, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw invalid(what + " must be a JSON object");
        }
        Set<String> present = new TreeSet<>();
        node.fieldNames().forEachRemaining(present::add);
        if (!present.equals(fields)) {
            throw invalid(what + " must have exactly the fields " + new TreeSet<>(fields));
        }
        return node;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return n.textValue();
    }

    private static long integer(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong() || Math.abs(n.longValue()) > Receipt.MAX_EXACT) {
            throw invalid(field + " must be an integer of at most 2^53 - 1");
        }
        return n.longValue();
    }

    private static long decimal(JsonNode parent, String field) {
        String text = text(parent, field);
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || text.length() > 1 && text.charAt(0) == '0') {
            throw invalid(field + " must be a decimal string without leading zeros");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(field + " is out of range");
        }
    }

    private static ReceiptException invalid(String message) {
        return new ReceiptException(ReceiptException.Kind.INVALID, message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedReceipt other && receipt.equals(other.receipt)
                && java.util.Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * receipt.hashCode() + java.util.Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedReceipt" + receipt;
    }
}
