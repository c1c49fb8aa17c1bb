package io.grove.runtime.peer;

import io.grove.api.CellId;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Membership;

import java.util.Optional;

/**
 * The membership of a cell that belongs to no fleet yet: nobody, so every peer request is refused
 * ({@code not-member}). The fleet layer replaces it with the roster.
 */
public final class NoMembership implements Membership {
    private static final RosterStamp NONE = new RosterStamp(0, "");

    @Override
    public Optional<Member> member(CellId cell) {
        return Optional.empty();
    }

    @Override
    public RosterStamp stamp() {
        return NONE;
    }
}
