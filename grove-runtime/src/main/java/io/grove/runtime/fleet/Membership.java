package io.grove.runtime.fleet;

import io.grove.api.CellId;

import java.util.Optional;

/**
 * Who belongs to the fleet right now, as the peer protocol asks it for every request: a cell that is not in the
 * current roster (never was, or was revoked) is refused.
 */
public interface Membership {

    /** The cell, if the current roster lists it. */
    Optional<Member> member(CellId cell);

    /** The current roster's sequence number and SHA-256 (hex) of its signed bytes, for hello exchanges. */
    RosterStamp stamp();

    /**
     * A roster's identity in hello messages.
     *
     * @param seq  its sequence number (0 before any roster exists)
     * @param hash hex SHA-256 of its signed bytes (empty before any roster exists)
     */
    record RosterStamp(long seq, String hash) {
    }
}
