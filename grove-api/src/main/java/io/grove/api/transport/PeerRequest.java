package io.grove.api.transport;

import java.io.InputStream;
import java.util.Map;

/**
 * A signed request from one cell to another, as a transport carries it.
 *
 * @param operation  the message type, lower-case with dots ({@code hello}, {@code chunk.get}); see
 *                   {@code docs/protocol.md}
 * @param headers    protocol headers (sender, timestamp, nonce, digest, signature …), names lower-case
 * @param bodyLength the exact body length in bytes
 * @param body       the body, read once by whoever delivers it
 */
public record PeerRequest(String operation, Map<String, String> headers, long bodyLength, InputStream body) {
    /** The largest body a transport must carry: one chunk plus framing. */
    public static final long MAX_BODY_BYTES = 17L * 1024 * 1024;

    public PeerRequest {
        if (operation == null || !operation.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*") || operation.length() > 64) {
            throw new IllegalArgumentException("malformed peer operation: " + operation);
        }
        if (bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("peer request body length out of range: " + bodyLength);
        }
        headers = Map.copyOf(headers);
        if (body == null) {
            throw new IllegalArgumentException("peer request needs a body stream (use an empty one)");
        }
    }
}
