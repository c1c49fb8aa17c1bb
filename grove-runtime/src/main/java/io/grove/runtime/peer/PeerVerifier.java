package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.api.transport.PeerRequest;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Membership;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * Checks every incoming peer request before anything acts on it, cheapest check first: headers well-formed, body
 * within the operation's limit, sender a current member, timestamp within ±5 minutes, signature valid under the
 * sender's key, nonce unseen. Only then is the nonce remembered, so strangers cannot fill the nonce cache. The body
 * digest is checked while the operation reads the body. Thread-safe.
 */
public final class PeerVerifier {
    private final CellId self;
    private final Membership membership;
    private final Clock clock;
    private final NonceCache nonces;

    /**
     * @param self       this cell: requests must be addressed to it (the recipient is signed)
     * @param membership who may send requests
     * @param clock      the one clock
     * @param nonces     where accepted nonces are remembered
     */
    public PeerVerifier(CellId self, Membership membership, Clock clock, NonceCache nonces) {
        if (self == null || membership == null || clock == null || nonces == null) {
            throw new IllegalArgumentException("a peer verifier needs its cell id, a membership, a clock and a nonce cache");
        }
        this.self = self;
        this.membership = membership;
        this.clock = clock;
        this.nonces = nonces;
    }

    /**
     * Verifies {@code request}.
     *
     * @param maxBodyBytes the operation's body limit, at most {@link PeerRequest#MAX_BODY_BYTES}
     * @return the request with its sender and a digest-checking body
     * @throws PeerRejection when any check fails; nothing is remembered then
     */
    public VerifiedRequest verify(PeerRequest request, long maxBodyBytes) {
        SignedHeaders signed = SignedHeaders.ofRequest(request.headers());
        long limit = Math.min(maxBodyBytes, PeerRequest.MAX_BODY_BYTES);
        if (request.bodyLength() > limit) {
            throw new PeerRejection(PeerRejection.Code.TOO_LARGE, request.operation() + " accepts at most " + limit
                    + " body bytes, not " + request.bodyLength());
        }
        Member sender = membership.member(signed.signer()).orElseThrow(() -> new PeerRejection(
                PeerRejection.Code.NOT_MEMBER, signed.signer().shortForm() + " is not in the current roster"));
        PeerSigner.checkWindow(clock, signed.timestamp());
        byte[] base = SignedHeaders.requestBase(request.operation(), signed.signer(), self, signed.timestamp(),
                signed.nonce(), signed.digest());
        if (!Signatures.verify(sender.signingKey(), PeerProtocol.REQUEST_LABEL, base, signed.signature())) {
            throw new PeerRejection(PeerRejection.Code.BAD_SIGNATURE, "signature of " + sender.id().shortForm()
                    + " does not verify (wrong key, altered header, or addressed to another cell)");
        }
        nonces.remember(sender.id(), signed.nonce(), Instant.ofEpochMilli(signed.timestamp()), clock.instant());
        return new VerifiedRequest(sender, request.operation(), signed.nonce(), signed.digest(), request.bodyLength(),
                new DigestCheckingInputStream(request.body(), request.bodyLength(), signed.digest()));
    }

    /**
     * Verifies a request to an operation that cells outside the roster may call ({@link StrangerOperation}, such as
     * {@code fleet.join}). The sender's keys come from the body, so the (small) body is read and checked against
     * the signed digest first; then the claimed identity must be the signing cell, the timestamp in the window, the
     * signature valid under the claimed key and the nonce unseen — the same checks as for members, in the order the
     * body allows. A current member is verified by {@link #verify} as usual.
     *
     * @param maxBodyBytes at most {@link PeerOperations#SMALL_BODY_BYTES} × 4: the body is held in memory
     * @param claimant     reads the claimed identity from the body; throws {@link PeerRejection} (malformed)
     * @throws PeerRejection when any check fails; nothing is remembered then
     */
    public VerifiedRequest verifyStranger(PeerRequest request, long maxBodyBytes, Function<byte[], Member> claimant)
            throws IOException {
        SignedHeaders signed = SignedHeaders.ofRequest(request.headers());
        if (membership.member(signed.signer()).isPresent()) {
            return verify(request, maxBodyBytes);
        }
        long limit = Math.min(maxBodyBytes, 4L * PeerOperations.SMALL_BODY_BYTES);
        if (request.bodyLength() > limit) {
            throw new PeerRejection(PeerRejection.Code.TOO_LARGE, request.operation() + " accepts at most " + limit
                    + " body bytes, not " + request.bodyLength());
        }
        PeerSigner.checkWindow(clock, signed.timestamp());
        byte[] body = new DigestCheckingInputStream(request.body(), request.bodyLength(), signed.digest()).readAllBytes();
        Member claimed = claimant.apply(body);
        if (!claimed.id().equals(signed.signer())) {
            throw new PeerRejection(PeerRejection.Code.BAD_SIGNATURE, "the request is signed as "
                    + signed.signer().shortForm() + " but its body speaks for " + claimed.id().shortForm());
        }
        byte[] base = SignedHeaders.requestBase(request.operation(), signed.signer(), self, signed.timestamp(),
                signed.nonce(), signed.digest());
        if (!Signatures.verify(claimed.signingKey(), PeerProtocol.REQUEST_LABEL, base, signed.signature())) {
            throw new PeerRejection(PeerRejection.Code.BAD_SIGNATURE, "signature of " + claimed.id().shortForm()
                    + " does not verify (wrong key, altered header, or addressed to another cell)");
        }
        nonces.remember(claimed.id(), signed.nonce(), Instant.ofEpochMilli(signed.timestamp()), clock.instant());
        return new VerifiedRequest(claimed, request.operation(), signed.nonce(), signed.digest(), body.length,
                new ByteArrayInputStream(body));
    }
}
