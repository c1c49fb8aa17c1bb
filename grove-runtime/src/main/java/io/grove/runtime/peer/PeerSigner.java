package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.api.transport.HeapBody;
import io.grove.api.transport.PeerRequest;
import io.grove.api.transport.PeerResponse;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Membership;

import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * This cell's side of the protocol's signatures: signs outgoing requests and the responses it gives, and verifies
 * the responses it receives (through {@link Signatures}, the one place that verifies). Signing itself happens only
 * in {@link CellKeys#sign}. Thread-safe.
 */
public final class PeerSigner {
    private final CellKeys keys;
    private final Membership membership;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param keys       this cell's keys
     * @param membership who may answer this cell's requests
     * @param clock      the one clock: signing timestamps and the response window
     */
    public PeerSigner(CellKeys keys, Membership membership, Clock clock) {
        if (keys == null || membership == null || clock == null) {
            throw new IllegalArgumentException("a peer signer needs keys, a membership and a clock");
        }
        this.keys = keys;
        this.membership = membership;
        this.clock = clock;
    }

    /** This cell's id. */
    public CellId self() {
        return keys.cellId();
    }

    /** A signed request with an in-memory body. */
    public PeerRequest request(CellId recipient, String operation, byte[] body) {
        return request(recipient, operation, body.length, DigestCheckingInputStream.hex(body), new HeapBody(body));
    }

    /**
     * A signed request whose body streams; the caller knows its digest already (a chunk's digest is its id).
     *
     * @param digest lower-case hex SHA-256 of the {@code length} bytes {@code body} will yield
     */
    public PeerRequest request(CellId recipient, String operation, long length, String digest, InputStream body) {
        if (!SignedHeaders.validDigest(digest)) {
            throw new IllegalArgumentException("digest must be 64 lower-case hex characters");
        }
        byte[] nonceBytes = new byte[PeerProtocol.NONCE_BYTES];
        random.nextBytes(nonceBytes);
        String nonce = SignedHeaders.encodeNonce(nonceBytes);
        long timestamp = clock.millis();
        byte[] signature = keys.sign(PeerProtocol.REQUEST_LABEL,
                SignedHeaders.requestBase(operation, self(), recipient, timestamp, nonce, digest));
        return new PeerRequest(operation,
                SignedHeaders.headers(PeerProtocol.SENDER, self(), timestamp, nonce, digest, signature), length, body);
    }

    /** A signed response with an in-memory body to the request that carried {@code requestNonce}. */
    public PeerResponse response(int status, String requestNonce, byte[] body) {
        return response(status, requestNonce, body.length, DigestCheckingInputStream.hex(body),
                new HeapBody(body));
    }

    /**
     * A signed response whose body streams.
     *
     * @param requestNonce the request's nonce, or an empty string when the request had none that parsed
     */
    public PeerResponse response(int status, String requestNonce, long length, String digest, InputStream body) {
        if (!requestNonce.isEmpty() && !SignedHeaders.validNonce(requestNonce)) {
            requestNonce = ""; // never echo malformed input into what we sign
        }
        long timestamp = clock.millis();
        byte[] signature = keys.sign(PeerProtocol.RESPONSE_LABEL,
                SignedHeaders.responseBase(status, self(), requestNonce, timestamp, digest));
        return new PeerResponse(status,
                SignedHeaders.headers(PeerProtocol.RESPONDER, self(), timestamp, requestNonce, digest, signature),
                length, body);
    }

    /**
     * Verifies that {@code response} was signed by {@code expectedResponder} (a current member) for {@code request}
     * and recently; its body is checked against the signed digest while it is read.
     *
     * @throws PeerRejection when any of that fails; the response is then closed
     */
    public VerifiedResponse verify(CellId expectedResponder, PeerRequest request, PeerResponse response) {
        Optional<Member> responder = membership.member(expectedResponder);
        if (responder.isEmpty()) {
            closeQuietly(response);
            throw new PeerRejection(PeerRejection.Code.NOT_MEMBER, expectedResponder.shortForm() + " is not in the roster");
        }
        return verify(expectedResponder, responder.get().signingKey(), request, response);
    }

    /**
     * Verifies that {@code response} was signed with {@code responderKey} by {@code expectedResponder} for
     * {@code request} and recently — for answers from a cell this one knows outside any roster (the leader named by
     * an invite code, while joining).
     *
     * @throws PeerRejection when any of that fails; the response is then closed
     */
    public VerifiedResponse verify(CellId expectedResponder, byte[] responderKey, PeerRequest request,
                                   PeerResponse response) {
        try {
            SignedHeaders signed = SignedHeaders.ofResponse(response.headers());
            if (!signed.signer().equals(expectedResponder) || !CellId.ofPublicKey(responderKey).equals(expectedResponder)) {
                throw new PeerRejection(PeerRejection.Code.BAD_SIGNATURE, "answered by "
                        + signed.signer().shortForm() + ", not " + expectedResponder.shortForm());
            }
            if (!signed.nonce().equals(request.headers().get(PeerProtocol.NONCE))) {
                throw new PeerRejection(PeerRejection.Code.REPLAY, "the response answers another request");
            }
            checkWindow(clock, signed.timestamp());
            byte[] base = SignedHeaders.responseBase(response.status(), signed.signer(), signed.nonce(),
                    signed.timestamp(), signed.digest());
            if (!Signatures.verify(responderKey, PeerProtocol.RESPONSE_LABEL, base, signed.signature())) {
                throw new PeerRejection(PeerRejection.Code.BAD_SIGNATURE, "response signature does not verify");
            }
            return new VerifiedResponse(response.status(), expectedResponder, signed.digest(), response.bodyLength(),
                    new DigestCheckingInputStream(response.body(), response.bodyLength(), signed.digest()));
        } catch (PeerRejection e) {
            closeQuietly(response);
            throw e;
        }
    }

    /** Refuses a timestamp further than the clock window from {@code clock}. */
    static void checkWindow(Clock clock, long timestamp) {
        long skew = Math.abs(clock.millis() - timestamp);
        if (skew > PeerProtocol.CLOCK_WINDOW.toMillis()) {
            throw new PeerRejection(PeerRejection.Code.STALE, "timestamp " + Instant.ofEpochMilli(timestamp)
                    + " is " + Duration.ofMillis(skew).toSeconds() + " s from this cell's clock (window "
                    + PeerProtocol.CLOCK_WINDOW.toMinutes() + " min); check both clocks");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the rejection is what matters
        }
    }
}
