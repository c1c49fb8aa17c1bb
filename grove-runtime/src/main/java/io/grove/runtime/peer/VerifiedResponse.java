package io.grove.runtime.peer;

import io.grove.api.CellId;

import java.io.IOException;
import java.io.InputStream;

/**
 * A response whose signature verified; its body is checked against the signed digest as it is read, and a
 * mismatch surfaces as a {@link PeerRejection} ({@code digest-mismatch}) before its last bytes. Close it.
 *
 * @param status     the status the responder signed
 * @param responder  the member that answered
 * @param digest     the signed hex SHA-256 of the body
 * @param bodyLength the body length
 * @param body       the checked body
 */
public record VerifiedResponse(int status, CellId responder, String digest, long bodyLength, InputStream body)
        implements AutoCloseable {
    public VerifiedResponse {
        if (responder == null || digest == null || body == null || bodyLength < 0) {
            throw new IllegalArgumentException("a verified response needs a responder, digest and body");
        }
    }

    /** Reads the whole (bounded) body, checking its digest. */
    public byte[] bytes() throws IOException {
        return body.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
