package io.grove.api.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A signed response to a {@link PeerRequest}, as a transport carries it back. The receiver closes it.
 *
 * @param status     an HTTP-like status: 200 success, 4xx refused, 5xx failed
 * @param headers    protocol headers, names lower-case
 * @param bodyLength the exact body length in bytes
 * @param body       the body, read once
 */
public record PeerResponse(int status, Map<String, String> headers, long bodyLength, InputStream body)
        implements AutoCloseable {

    public PeerResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("peer response status out of range: " + status);
        }
        if (bodyLength < 0 || bodyLength > PeerRequest.MAX_BODY_BYTES) {
            throw new IllegalArgumentException("peer response body length out of range: " + bodyLength);
        }
        headers = Map.copyOf(headers);
        if (body == null) {
            throw new IllegalArgumentException("peer response needs a body stream (use an empty one)");
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
