package io.grove.runtime.bounty;

/** A receipt received from a peer is refused; nothing was stored. */
public final class ReceiptException extends RuntimeException {
    /** Why. */
    public enum Kind {
        /** Malformed, wrongly signed, not from its payer or not for this cell. */
        INVALID,
        /** Another receipt with the same payer, payee and seq was stored before: the payer signed two. */
        CONFLICT,
        /** Its seq is below the newest accepted from that payer and it is not stored (pruned or never seen). */
        STALE
    }

    private final Kind kind;

    public ReceiptException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
