package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.ChunkId;

import java.time.Instant;

/**
 * A copy of one of this cell's chunks on another cell, as the audit book tracks it.
 *
 * @param chunk          the chunk
 * @param holder         the cell holding the copy
 * @param bytes          the chunk's size
 * @param lost           whether an audit found it failed or missing
 * @param placedAt       when it was placed (or placed again after being lost)
 * @param provenAt       its last passed audit, or its placement
 * @param dueAt          when it is next challenged
 * @param challengesLeft unused challenges; at 0 the owner must add some (while it can read the chunk)
 */
public record AuditedCopy(ChunkId chunk, CellId holder, long bytes, boolean lost, Instant placedAt, Instant provenAt,
                          Instant dueAt, int challengesLeft) {
}
