package io.grove.runtime.peer;

/**
 * Why a peer request (or a peer's response) was refused: a machine {@link Code} and a message for logs. A refusal
 * changes nothing on the receiving cell; it is answered with a signed problem whose type names the code.
 *
 * <p>Unchecked, like every Grove error, and without a stack trace: refusals are expected traffic (a stranger
 * probing the peer port, a fuzzer) and must stay cheap.
 */
public final class PeerRejection extends RuntimeException {
    /** The kinds of refusal, each with the HTTP-like status its answer carries. */
    public enum Code {
        /** The sender is not in the current roster (never was, or was revoked). */
        NOT_MEMBER("not-member", 403),
        /** The signature does not verify under the sender's key. */
        BAD_SIGNATURE("bad-signature", 401),
        /** The timestamp is outside the clock window. */
        STALE("stale", 401),
        /** The nonce was seen within the clock window. */
        REPLAY("replay", 409),
        /** The body does not hash to the signed digest (for chunk.put: to the chunk id). */
        DIGEST_MISMATCH("digest-mismatch", 400),
        /** The body is longer than the operation accepts. */
        TOO_LARGE("too-large", 413),
        /** A header or body does not have the form the protocol requires. */
        MALFORMED("malformed", 400),
        /** The nonce cache is full; the request was refused rather than forgetting a nonce early. Retry later. */
        BUSY("busy", 503),
        /** The operation is not one this cell serves. */
        UNKNOWN_OPERATION("unknown-operation", 404);

        private final String id;
        private final int status;

        Code(String id, int status) {
            this.id = id;
            this.status = status;
        }

        /** The machine name, as in problem types and docs/protocol.md. */
        public String id() {
            return id;
        }

        /** The status a refusal of this kind is answered with. */
        public int status() {
            return status;
        }
    }

    private final Code code;

    public PeerRejection(Code code, String message) {
        super(message, null, false, false);
        if (code == null) {
            throw new IllegalArgumentException("a rejection needs a code");
        }
        this.code = code;
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return code.id() + ": " + getMessage();
    }
}
