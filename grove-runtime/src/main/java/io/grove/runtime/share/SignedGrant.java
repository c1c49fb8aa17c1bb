package io.grove.runtime.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.json.Json;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grant signed by its creator: {@code {"grant": {…}, "signature": "…"}} where the signature is Ed25519 under
 * {@value Grant#SIGNATURE_LABEL} over the RFC 8785 canonical bytes of the grant object. Decoding is strict (every
 * field, none unknown, each of its one type), so two cells can never read different grants in the same bytes.
 *
 * @param grant     the grant
 * @param signature the creator's signature (64 bytes)
 */
public record SignedGrant(Grant grant, byte[] signature) {
    /** The largest encoded grant read. */
    public static final int MAX_BYTES = 8 * 1024;
    private static final Set<String> FIELDS = Set.of("v", "id", "creator", "recipient", "path", "version", "latest",
            "scope", "createdAt", "expiresAt", "key");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public SignedGrant {
        if (grant == null || signature == null || signature.length != Signatures.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("a signed grant needs a grant and a 64-byte signature");
        }
        signature = signature.clone();
    }

    /** Signs {@code grant} with the creator's keys. */
    static SignedGrant sign(Grant grant, CellKeys creator) {
        if (!grant.creator().equals(creator.cellId())) {
            throw new IllegalArgumentException("only the creator signs its grant");
        }
        return new SignedGrant(grant, creator.sign(Grant.SIGNATURE_LABEL, canonical(body(grant))));
    }

    /** Whether the signature verifies with {@code signingKey} (the creator's Ed25519 public key). */
    public boolean verifies(byte[] signingKey) {
        return CellId.ofPublicKey(signingKey).equals(grant.creator())
                && Signatures.verify(signingKey, Grant.SIGNATURE_LABEL, canonical(body(grant)), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The wire form. */
    public byte[] encode() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("grant", body(grant));
        root.put("signature", B64.encodeToString(signature));
        return canonical(root);
    }

    /** @throws GrantException when {@code bytes} is not a well-formed signed grant (the signature is not checked) */
    public static SignedGrant decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new GrantException("a grant is at most " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new GrantException("a grant is JSON");
        }
        object(root, "the signed grant", Set.of("grant", "signature"));
        JsonNode g = object(root.get("grant"), "grant", FIELDS);
        if (integer(g, "v") != 1 || !Grant.SCOPE.equals(text(g, "scope"))) {
            throw new GrantException("grant version 1 with scope \"read\" is the only kind");
        }
        try {
            Grant grant = new Grant(text(g, "id"), CellId.parse(text(g, "creator")), CellId.parse(text(g, "recipient")),
                    text(g, "path"), text(g, "version"), bool(g, "latest"), integer(g, "createdAt"),
                    integer(g, "expiresAt"), b64(g, "key", Grant.WRAPPED_BYTES));
            return new SignedGrant(grant, b64(root, "signature", Signatures.SIGNATURE_BYTES));
        } catch (IllegalArgumentException e) {
            throw new GrantException("invalid grant: " + e.getMessage());
        }
    }

    private static ObjectNode body(Grant g) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("v", 1);
        n.put("id", g.id());
        n.put("creator", g.creator().value());
        n.put("recipient", g.recipient().value());
        n.put("path", g.path());
        n.put("version", g.versionId());
        n.put("latest", g.latest());
        n.put("scope", Grant.SCOPE);
        n.put("createdAt", g.createdAt());
        n.put("expiresAt", g.expiresAt());
        n.put("key", B64.encodeToString(g.wrappedKey()));
        return n;
    }

    private static byte[] canonical(JsonNode node) {
        try {
            return new JsonCanonicalizer(Json.mapper().writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always canonicalises", e);
        }
    }

    private static ObjectNode object(JsonNode node, String what, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw new GrantException(what + " must be a JSON object");
        }
        Set<String> present = new TreeSet<>();
        node.fieldNames().forEachRemaining(present::add);
        if (!present.equals(fields)) {
            throw new GrantException(what + " must have exactly the fields " + new TreeSet<>(fields));
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isTextual()) {
            throw new GrantException(field + " must be a string");
        }
        return n.textValue();
    }

    private static long integer(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new GrantException(field + " must be an integer");
        }
        return n.longValue();
    }

    private static boolean bool(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isBoolean()) {
            throw new GrantException(field + " must be true or false");
        }
        return n.booleanValue();
    }

    private static byte[] b64(JsonNode parent, String field, int length) {
        String text = text(parent, field);
        byte[] value;
        try {
            value = B64D.decode(text);
        } catch (IllegalArgumentException e) {
            throw new GrantException(field + " is not base64url");
        }
        if (value.length != length || !B64.encodeToString(value).equals(text)) {
            throw new GrantException(field + " must be " + length + " bytes in unpadded base64url");
        }
        return value;
    }
}
