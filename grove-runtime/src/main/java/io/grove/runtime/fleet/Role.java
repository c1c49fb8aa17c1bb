package io.grove.runtime.fleet;

/** What a cell is to the fleet: one of the owner's own cells, or a friend's cell that may receive shares. */
public enum Role {
    MEMBER, FRIEND
}
