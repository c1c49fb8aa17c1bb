package io.grove.runtime.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.api.CellId;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.fleet.FleetFormatException;
import io.grove.runtime.fleet.StrictJson;
import io.grove.runtime.json.Json;

import java.util.Arrays;
import java.util.Set;

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
        return new SignedGrant(grant, creator.sign(Grant.SIGNATURE_LABEL, StrictJson.canonical(body(grant))));
    }

    /** Whether the signature verifies with {@code signingKey} (the creator's Ed25519 public key). */
    public boolean verifies(byte[] signingKey) {
        return CellId.ofPublicKey(signingKey).equals(grant.creator())
                && Signatures.verify(signingKey, Grant.SIGNATURE_LABEL, StrictJson.canonical(body(grant)), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The wire form. */
    public byte[] encode() {
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("grant", body(grant));
        root.put("signature", StrictJson.b64(signature));
        return StrictJson.canonical(root);
    }

    /** @throws GrantException when {@code bytes} is not a well-formed signed grant (the signature is not checked) */
    public static SignedGrant decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new GrantException("a grant is at most " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode root = StrictJson.object(StrictJson.parse(bytes), "the signed grant", Set.of("grant", "signature"));
            JsonNode g = StrictJson.object(root.get("grant"), "grant", FIELDS);
            if (StrictJson.integer(g, "v") != 1 || !Grant.SCOPE.equals(StrictJson.text(g, "scope"))) {
                throw new GrantException("grant version 1 with scope \"read\" is the only kind");
            }
            Grant grant = new Grant(StrictJson.text(g, "id"), CellId.parse(StrictJson.text(g, "creator")),
                    CellId.parse(StrictJson.text(g, "recipient")), StrictJson.text(g, "path"),
                    StrictJson.text(g, "version"), StrictJson.bool(g, "latest"), StrictJson.integer(g, "createdAt"),
                    StrictJson.integer(g, "expiresAt"), StrictJson.bytes(g, "key", Grant.WRAPPED_BYTES));
            SignedGrant decoded = new SignedGrant(grant, StrictJson.bytes(root, "signature", Signatures.SIGNATURE_BYTES));
            // One spelling only (a lower-case cell id, reordered fields): the bytes must be exactly what we would send.
            if (!Arrays.equals(decoded.encode(), bytes)) {
                throw new GrantException("the grant is not in its canonical form");
            }
            return decoded;
        } catch (FleetFormatException | IllegalArgumentException e) {
            throw new GrantException("invalid grant: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedGrant s && Arrays.equals(encode(), s.encode());
    }

    @Override
    public int hashCode() {
        return grant.hashCode();
    }

    @Override
    public String toString() {
        return "SignedGrant[" + grant + "]";
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
        n.put("key", StrictJson.b64(g.wrappedKey()));
        return n;
    }

}
