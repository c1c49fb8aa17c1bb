package io.grove.runtime.peer;

import java.io.IOException;

/** One operation of the peer protocol, called with requests that have already been verified. */
public interface PeerOperation {

    /** The operation name ({@code chunk.get}). */
    String name();

    /** The longest body this operation accepts; longer requests are refused ({@code too-large}) unread. */
    long maxBodyBytes();

    /**
     * Answers a verified request. The operation must read the body to its end before it changes anything, so that
     * a digest mismatch ({@link PeerRejection}, thrown by the body) stops it first.
     *
     * @throws PeerRejection for a request this operation refuses; nothing has been changed
     */
    PeerReply handle(VerifiedRequest request) throws IOException;
}
