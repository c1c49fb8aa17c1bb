package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.runtime.crypto.Signatures;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The signed protocol headers of a request or response, parsed strictly: every field has one exact form, so that
 * the newline-joined signature base cannot be ambiguous (no field can contain a newline).
 *
 * @param signer    the sender (request) or responder (response)
 * @param timestamp epoch milliseconds
 * @param nonce     22 base64url characters (16 bytes)
 * @param digest    64 lower-case hex characters
 * @param signature 64 bytes
 */
record SignedHeaders(CellId signer, long timestamp, String nonce, String digest, byte[] signature) {
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    SignedHeaders {
        if (signer == null || !validNonce(nonce) || !validDigest(digest) || signature == null
                || signature.length != Signatures.SIGNATURE_BYTES || timestamp < 0) {
            throw new PeerRejection(PeerRejection.Code.MALFORMED, "malformed signed headers");
        }
    }

    /** Parses a request's headers ({@code grove-sender} names the signer). */
    static SignedHeaders ofRequest(Map<String, String> headers) {
        return parse(headers, PeerProtocol.SENDER);
    }

    /** Parses a response's headers ({@code grove-responder} names the signer). */
    static SignedHeaders ofResponse(Map<String, String> headers) {
        return parse(headers, PeerProtocol.RESPONDER);
    }

    private static SignedHeaders parse(Map<String, String> headers, String signerHeader) {
        CellId signer;
        try {
            signer = new CellId(required(headers, signerHeader));
        } catch (IllegalArgumentException e) {
            throw malformed(signerHeader + " is not a canonical cell id");
        }
        String timestampText = required(headers, PeerProtocol.TIMESTAMP);
        if (timestampText.isEmpty() || timestampText.length() > 15 || !timestampText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(PeerProtocol.TIMESTAMP + " must be epoch milliseconds");
        }
        String nonce = required(headers, PeerProtocol.NONCE);
        if (!validNonce(nonce)) {
            throw malformed(PeerProtocol.NONCE + " must be " + PeerProtocol.NONCE_BYTES + " bytes in base64url");
        }
        String digest = required(headers, PeerProtocol.DIGEST);
        if (!validDigest(digest)) {
            throw malformed(PeerProtocol.DIGEST + " must be 64 lower-case hex characters");
        }
        String signatureText = required(headers, PeerProtocol.SIGNATURE);
        byte[] signature = decode(signatureText);
        if (signature.length != Signatures.SIGNATURE_BYTES || !ENCODER.encodeToString(signature).equals(signatureText)) {
            throw malformed(PeerProtocol.SIGNATURE + " must be " + Signatures.SIGNATURE_BYTES + " bytes in base64url");
        }
        return new SignedHeaders(signer, Long.parseLong(timestampText), nonce, digest, signature);
    }

    /** The headers carrying these values, with the signer under {@code signerHeader}. */
    static Map<String, String> headers(String signerHeader, CellId signer, long timestamp, String nonce, String digest,
                                       byte[] signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put(signerHeader, signer.value());
        headers.put(PeerProtocol.TIMESTAMP, Long.toString(timestamp));
        headers.put(PeerProtocol.NONCE, nonce);
        headers.put(PeerProtocol.DIGEST, digest);
        headers.put(PeerProtocol.SIGNATURE, ENCODER.encodeToString(signature));
        return headers;
    }

    /** The request signature base: version, operation, sender, recipient, timestamp, nonce, digest (RFC 9421 style). */
    static byte[] requestBase(String operation, CellId sender, CellId recipient, long timestamp, String nonce,
                              String digest) {
        return String.join("\n", PeerProtocol.VERSION, operation, sender.value(), recipient.value(),
                Long.toString(timestamp), nonce, digest).getBytes(StandardCharsets.US_ASCII);
    }

    /** The response signature base: version, status, responder, the request's nonce, timestamp, digest. */
    static byte[] responseBase(int status, CellId responder, String requestNonce, long timestamp, String digest) {
        return String.join("\n", PeerProtocol.VERSION, Integer.toString(status), responder.value(), requestNonce,
                Long.toString(timestamp), digest).getBytes(StandardCharsets.US_ASCII);
    }

    static String encodeNonce(byte[] nonce) {
        return ENCODER.encodeToString(nonce);
    }

    /** Whether {@code nonce} is exactly the canonical base64url form of {@value PeerProtocol#NONCE_BYTES} bytes. */
    static boolean validNonce(String nonce) {
        if (nonce == null || nonce.length() != 22) {
            return false;
        }
        byte[] bytes = decode(nonce);
        return bytes.length == PeerProtocol.NONCE_BYTES && ENCODER.encodeToString(bytes).equals(nonce);
    }

    static boolean validDigest(String digest) {
        if (digest == null || digest.length() != 64) {
            return false;
        }
        for (int i = 0; i < digest.length(); i++) {
            char c = digest.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decode(String text) {
        if (text.length() > 128) {
            throw malformed("a base64url header is too long");
        }
        try {
            return BASE64URL.decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed("a header is not base64url");
        }
    }

    private static String required(Map<String, String> headers, String name) {
        String value = headers.get(name);
        if (value == null) {
            throw malformed("missing header " + name);
        }
        return value;
    }

    private static PeerRejection malformed(String message) {
        return new PeerRejection(PeerRejection.Code.MALFORMED, message);
    }
}
