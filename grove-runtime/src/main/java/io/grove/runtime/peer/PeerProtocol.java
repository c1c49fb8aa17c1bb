package io.grove.runtime.peer;

import java.time.Duration;

/** The constants of the peer protocol, {@value #VERSION}; {@code docs/protocol.md} is the specification. */
public final class PeerProtocol {
    /** The protocol version, the first line of every signature base. */
    public static final String VERSION = "grove-peer/1";
    /** The domain-separation label of request signatures (see {@link io.grove.runtime.crypto.Signatures}). */
    public static final String REQUEST_LABEL = "grove peer request v1";
    /** The domain-separation label of response signatures. */
    public static final String RESPONSE_LABEL = "grove peer response v1";

    /** The requesting cell's id. */
    public static final String SENDER = "grove-sender";
    /** The answering cell's id. */
    public static final String RESPONDER = "grove-responder";
    /** Milliseconds since the epoch when the message was signed. */
    public static final String TIMESTAMP = "grove-timestamp";
    /** 128 random bits, base64url without padding; a response repeats its request's nonce. */
    public static final String NONCE = "grove-nonce";
    /** Lower-case hex SHA-256 of the body. */
    public static final String DIGEST = "grove-digest";
    /** The Ed25519 signature of the signature base, base64url without padding. */
    public static final String SIGNATURE = "grove-signature";

    /** How far a timestamp may be from the receiver's clock, either way. */
    public static final Duration CLOCK_WINDOW = Duration.ofMinutes(5);
    /** Bytes of a nonce. */
    public static final int NONCE_BYTES = 16;

    private PeerProtocol() {
    }
}
