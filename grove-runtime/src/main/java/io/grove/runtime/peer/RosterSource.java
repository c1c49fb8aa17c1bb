package io.grove.runtime.peer;

import java.util.Optional;

/**
 * Where {@code roster.get} finds the current signed roster. The fleet layer implements it; the protocol only
 * carries the bytes, which the requester verifies against its pinned leader key.
 */
public interface RosterSource {
    /** The most bytes a signed roster may have on the wire. */
    int MAX_ROSTER_BYTES = 1024 * 1024;

    /** The current signed roster, exactly as signed; empty before the cell belongs to a fleet. */
    Optional<byte[]> current();

    /** A source for a cell without a roster. */
    static RosterSource none() {
        return Optional::empty;
    }
}
