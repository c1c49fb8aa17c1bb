package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.api.transport.Route;

import java.time.Instant;

/**
 * A cell a transport discovered that is not a member of the fleet (yet): shown to the user, never called.
 *
 * @param cell   the cell it claims to be (unverified)
 * @param route  where it was seen
 * @param seenAt when it was last reported
 */
public record Nearby(CellId cell, Route route, Instant seenAt) {
    public Nearby {
        if (cell == null || route == null || seenAt == null || !route.peer().equals(cell)) {
            throw new IllegalArgumentException("a nearby cell needs its id, a route to it and a time");
        }
    }
}
