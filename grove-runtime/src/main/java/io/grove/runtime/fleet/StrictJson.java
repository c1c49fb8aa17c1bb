package io.grove.runtime.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grove.runtime.json.Json;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, exact reading of the JSON this package signs: every field present, none unknown, each of its one type.
 * Lenient reading would let two peers see different rosters in the same signed bytes. Also used for grants
 * ({@code share}) and chat envelopes ({@code chat}); its failures are {@link FleetFormatException}s.
 */
public final class StrictJson {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private StrictJson() {
    }

    public static JsonNode parse(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new FleetFormatException("not JSON: " + e.getMessage(), e);
        }
    }

    /** RFC 8785 bytes of a tree this package built. */
    public static byte[] canonical(JsonNode node) {
        try {
            return new JsonCanonicalizer(Json.mapper().writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always canonicalises", e);
        }
    }

    /** {@code node} as an object with exactly {@code fields}. */
    public static ObjectNode object(JsonNode node, String what, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw new FleetFormatException(what + " must be a JSON object");
        }
        Set<String> present = new TreeSet<>();
        node.fieldNames().forEachRemaining(present::add);
        if (!present.equals(fields)) {
            Set<String> unknown = new TreeSet<>(present);
            unknown.removeAll(fields);
            Set<String> missing = new TreeSet<>(fields);
            missing.removeAll(present);
            throw new FleetFormatException(what + (unknown.isEmpty() ? "" : " has unknown fields " + unknown)
                    + (missing.isEmpty() ? "" : " lacks fields " + missing));
        }
        return (ObjectNode) node;
    }

    public static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isTextual()) {
            throw new FleetFormatException(field + " must be a string");
        }
        return n.textValue();
    }

    public static long integer(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new FleetFormatException(field + " must be an integer");
        }
        return n.longValue();
    }

    public static boolean bool(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isBoolean()) {
            throw new FleetFormatException(field + " must be true or false");
        }
        return n.booleanValue();
    }

    public static JsonNode array(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (!n.isArray()) {
            throw new FleetFormatException(field + " must be an array");
        }
        return n;
    }

    /** Unpadded base64url of exactly {@code length} bytes. */
    public static byte[] bytes(JsonNode parent, String field, int length) {
        String text = text(parent, field);
        byte[] value;
        try {
            value = B64D.decode(text);
        } catch (IllegalArgumentException e) {
            throw new FleetFormatException(field + " is not base64url");
        }
        // The decoder ignores the unused low bits of the last character; re-encoding rejects that second spelling.
        if (value.length != length || !B64.encodeToString(value).equals(text)) {
            throw new FleetFormatException(field + " must be " + length + " bytes in unpadded base64url");
        }
        return value;
    }

    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }
}
