package io.grove.runtime.peer;

import io.grove.runtime.fleet.Member;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request whose sender, signature, timestamp and nonce verified. Its body is checked against the signed digest
 * while it is read: an operation must read it to the end (or call {@link #bytes()}) before acting on it, and a
 * mismatch surfaces as a {@link PeerRejection} before the last bytes are handed out.
 *
 * @param sender     the member that sent it
 * @param operation  the operation
 * @param nonce      its nonce (echoed in the signed response)
 * @param digest     the signed hex SHA-256 of the body
 * @param bodyLength the body length, within the operation's limit
 * @param body       the checked body
 */
public record VerifiedRequest(Member sender, String operation, String nonce, String digest, long bodyLength,
                              InputStream body) {
    public VerifiedRequest {
        if (sender == null || operation == null || nonce == null || digest == null || body == null || bodyLength < 0) {
            throw new IllegalArgumentException("a verified request needs all its parts");
        }
    }

    /** Reads the whole body (bounded by the operation's limit), checking its digest. */
    public byte[] bytes() throws IOException {
        return body.readAllBytes();
    }

    /** Reads whatever is left of the body, checking its digest. */
    public void finish() throws IOException {
        body.transferTo(java.io.OutputStream.nullOutputStream());
    }
}
