package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.ChunkId;

import java.time.Instant;

/**
 * The outcome of one audit of one copy.
 *
 * @param chunk       the chunk
 * @param holder      the audited cell
 * @param bytes       the chunk's size
 * @param outcome     what the audit established
 * @param provenSince for {@link Outcome#PASSED}: the start of the span this pass proves (the copy's placement or its
 *                    previous pass), which the bounty ledger pays for; otherwise the last proof
 * @param at          when the reply was recorded
 */
public record AuditResult(ChunkId chunk, CellId holder, long bytes, Outcome outcome, Instant provenSince, Instant at) {
    /** What an audit established. */
    public enum Outcome {
        /** The holder answered the expected digest. */
        PASSED,
        /** The holder answered another digest: its copy is corrupt or absent. The copy is lost. */
        FAILED,
        /** The holder said it does not hold the chunk, or stayed silent too many times in a row. The copy is lost. */
        MISSING,
        /** No answer this time; the copy is challenged again after the retry delay. */
        UNANSWERED
    }

    public AuditResult {
        if (chunk == null || holder == null || outcome == null || provenSince == null || at == null || bytes < 0) {
            throw new IllegalArgumentException("an audit result needs all its parts");
        }
    }

    /** Whether the copy is lost (and must be healed elsewhere). */
    public boolean lost() {
        return outcome == Outcome.FAILED || outcome == Outcome.MISSING;
    }
}
