package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.ChunkId;

/**
 * A challenge handed out for one copy: send {@code nonce} to {@code holder} for {@code chunk}, then give the reply
 * to {@link AuditBook#record}. The challenge is already consumed: it is never handed out again.
 *
 * @param chunk    the chunk
 * @param holder   the cell that should hold a copy
 * @param nonce    the nonce to send, hex
 * @param expected the right answer, hex (stays on this cell)
 */
public record DueAudit(ChunkId chunk, CellId holder, String nonce, String expected) {
    public DueAudit {
        if (chunk == null || holder == null) {
            throw new IllegalArgumentException("a due audit needs a chunk and a holder");
        }
        new Challenge(nonce, expected); // validates both
    }
}
