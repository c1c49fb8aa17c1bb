package io.grove.runtime.audit;

import io.grove.api.CellId;

/**
 * How far the audits of one peer say it can be trusted as a holder.
 *
 * @param peer    the peer
 * @param score   in [0, 1]: {@code (1 + P) / (1 + P + F)}, with P and F the decayed weights of passes and failures
 *                (docs/replication.md); 1 for a peer never audited
 * @param passed  audits passed, ever
 * @param failed  audits answered with a wrong digest, ever
 * @param missing audits answered "not held" or silently too often, ever
 */
public record Reputation(CellId peer, double score, long passed, long failed, long missing) {
    /** The score below which a peer receives no new copies and its copies do not count towards the factor. */
    public static final double TRUST_THRESHOLD = 0.5;

    public Reputation {
        if (peer == null || !(score >= 0 && score <= 1) || passed < 0 || failed < 0 || missing < 0) {
            throw new IllegalArgumentException("a reputation needs a peer, a score in [0, 1] and counts");
        }
    }

    /** Whether placement may trust this peer as a holder. */
    public boolean trusted() {
        return score >= TRUST_THRESHOLD;
    }
}
