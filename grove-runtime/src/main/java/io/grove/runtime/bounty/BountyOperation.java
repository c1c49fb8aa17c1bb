package io.grove.runtime.bounty;

import io.grove.runtime.peer.PeerOperation;
import io.grove.runtime.peer.PeerReply;
import io.grove.runtime.peer.VerifiedRequest;

import java.io.IOException;
import java.time.Clock;

/**
 * Peer operation {@value #NAME}: a payer pushes a signed receipt (the envelope of {@link SignedReceipt}) to its
 * payee, which verifies and stores it. Answers {@code {"stored": true}} when stored now, {@code false} when already
 * held; 400 {@code invalid-receipt}, 409 {@code receipt-conflict} or {@code stale-receipt} when refused.
 */
public final class BountyOperation implements PeerOperation {
    /** The operation name. */
    public static final String NAME = "bounty.receipt";

    private final Ledger ledger;
    private final Clock clock;

    public BountyOperation(Ledger ledger, Clock clock) {
        if (ledger == null || clock == null) {
            throw new IllegalArgumentException("the bounty operation needs the ledger and a clock");
        }
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * The answer.
     *
     * @param stored whether the receipt was stored now ({@code false}: it was already)
     */
    public record Stored(boolean stored) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long maxBodyBytes() {
        return SignedReceipt.MAX_BYTES;
    }

    @Override
    public PeerReply handle(VerifiedRequest request) throws IOException {
        byte[] body = request.bytes();
        try {
            SignedReceipt receipt = SignedReceipt.decode(body);
            return PeerReply.json(new Stored(ledger.receive(receipt, request.sender(), clock.instant())));
        } catch (ReceiptException e) {
            return switch (e.kind()) {
                case INVALID -> PeerReply.problem(400, "invalid-receipt", e.getMessage());
                case CONFLICT -> PeerReply.problem(409, "receipt-conflict", e.getMessage());
                case STALE -> PeerReply.problem(409, "stale-receipt", e.getMessage());
            };
        }
    }
}
