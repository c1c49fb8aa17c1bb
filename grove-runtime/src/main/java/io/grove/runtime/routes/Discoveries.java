package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.api.transport.Route;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Routes that transports discovered (LAN announcements, a relay's presence list), in memory only. Members' routes
 * are kept until lost, at most {@link #MAX_PER_MEMBER} per member (the newest); other cells are "nearby": at most
 * {@link #MAX_NEARBY}, forgotten {@link #NEARBY_TTL} after they were last reported. Nothing here is trusted: a
 * discovered route is only a candidate, and a call over it must still be answered with the peer's signature.
 */
final class Discoveries {
    static final int MAX_PER_MEMBER = 16;
    static final int MAX_NEARBY = 256;
    static final Duration NEARBY_TTL = Duration.ofMinutes(10);

    private final Clock clock;
    private final Map<CellId, LinkedHashMap<Route, Instant>> members = new HashMap<>();
    private final LinkedHashMap<Route, Instant> nearby = new LinkedHashMap<>();

    Discoveries(Clock clock) {
        this.clock = clock;
    }

    /** Records a report; {@code member} says which of the two lists it belongs to now. */
    synchronized void add(Route route, boolean member) {
        Instant now = clock.instant();
        LinkedHashMap<Route, Instant> list = member ? members.computeIfAbsent(route.peer(), p -> new LinkedHashMap<>())
                : nearby;
        list.remove(route);
        list.put(route, now);
        int max = member ? MAX_PER_MEMBER : MAX_NEARBY;
        Iterator<Route> oldest = list.keySet().iterator();
        while (list.size() > max && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        if (member) {
            nearby.remove(route);
        }
    }

    /** Forgets a route, wherever it was. */
    synchronized void remove(Route route) {
        LinkedHashMap<Route, Instant> list = members.get(route.peer());
        if (list != null) {
            list.remove(route);
            if (list.isEmpty()) {
                members.remove(route.peer());
            }
        }
        nearby.remove(route);
    }

    /** The discovered routes of a cell, newest first: as a member, then from the nearby list (it may have joined). */
    synchronized List<Route> routes(CellId cell) {
        List<Route> out = new ArrayList<>();
        LinkedHashMap<Route, Instant> list = members.get(cell);
        if (list != null) {
            out.addAll(list.sequencedKeySet().reversed());
        }
        expire();
        nearby.sequencedKeySet().reversed().stream().filter(r -> r.peer().equals(cell)).forEach(out::add);
        return out;
    }

    /** Cells seen nearby that {@code isMember} does not accept, newest first. */
    synchronized List<Nearby> nearby(Predicate<CellId> isMember) {
        expire();
        List<Nearby> out = new ArrayList<>();
        nearby.forEach((route, seen) -> {
            if (!isMember.test(route.peer())) {
                out.add(new Nearby(route.peer(), route, seen));
            }
        });
        out.sort(Comparator.comparing(Nearby::seenAt).reversed());
        return out;
    }

    /** The cells with discovered member routes. */
    synchronized List<CellId> members() {
        return List.copyOf(members.keySet());
    }

    /** Drops the discovered routes of cells that are no longer members. */
    synchronized void retainMembers(Predicate<CellId> isMember) {
        members.keySet().removeIf(cell -> !isMember.test(cell));
    }

    private void expire() {
        Instant cutoff = clock.instant().minus(NEARBY_TTL);
        nearby.values().removeIf(seen -> seen.isBefore(cutoff));
    }
}
