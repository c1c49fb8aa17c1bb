package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.RosterBook;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Publishes {@code peer.up} and {@code peer.down} when a member's reachability changes, so the dashboard's Fleet view
 * follows a cell that stops or comes back without a reload. It reads what the {@link RouteBook} already measured (no
 * network traffic of its own) every {@code interval}, and reports a change only when two looks in a row agree, so a
 * single failed probe between two good ones does not flap the page. The first look at a member only notes its state.
 */
public final class PeerPresence implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PeerPresence.class.getName());
    /** Members looked at per round at most (a roster is bounded far below this). */
    private static final int MAX_MEMBERS = 1024;

    private final RosterBook roster;
    private final Predicate<CellId> reachable;
    private final EventBus events;
    private final Duration interval;
    private final Map<CellId, Boolean> reported = new HashMap<>();
    private final Map<CellId, Boolean> candidate = new HashMap<>();
    private ScheduledExecutorService scheduler;

    /**
     * @param interval time between two looks, 200 ms to 1 min
     */
    public PeerPresence(RosterBook roster, RouteBook routes, EventBus events, Duration interval) {
        this(roster, peer -> routes.health(peer).up(), events, interval);
    }

    /**
     * @param reachable whether a member is up now, from what was measured (no network traffic)
     * @param interval  time between two looks, 200 ms to 1 min
     */
    public PeerPresence(RosterBook roster, Predicate<CellId> reachable, EventBus events, Duration interval) {
        if (interval.compareTo(Duration.ofMillis(200)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the presence interval must be 200ms..1m, not " + interval);
        }
        this.roster = roster;
        this.reachable = reachable;
        this.events = events;
        this.interval = interval;
    }

    /** Looks at every member now and then every interval, in the background. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("grove-presence").factory());
        scheduler.scheduleWithFixedDelay(this::lookQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void lookQuietly() {
        try {
            look();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "peer presence check failed: " + e);
        }
    }

    /** One look: compares each member's state with the last one reported and publishes confirmed changes. */
    public synchronized void look() {
        Map<CellId, Member> members = new LinkedHashMap<>();
        roster.current().ifPresent(r -> r.roster().members().stream()
                .filter(m -> !m.id().equals(roster.self()))
                .limit(MAX_MEMBERS)
                .forEach(m -> members.put(m.id(), m)));
        Set<CellId> gone = new HashSet<>(reported.keySet());
        gone.removeAll(members.keySet());
        gone.forEach(id -> {
            reported.remove(id);
            candidate.remove(id);
        });
        for (Member member : members.values()) {
            boolean up = reachable.test(member.id());
            Boolean last = reported.get(member.id());
            if (last == null) {
                reported.put(member.id(), up);
            } else if (last == up) {
                candidate.remove(member.id());
            } else if (Boolean.valueOf(up).equals(candidate.get(member.id()))) {
                candidate.remove(member.id());
                reported.put(member.id(), up);
                events.publish(up ? "peer.up" : "peer.down", Map.of("cell", member.id().value(), "label", member.label()));
                LOG.log(System.Logger.Level.INFO, "peer {0} ({1}) is {2}", member.id().shortForm(), member.label(),
                        up ? "up" : "down");
            } else {
                candidate.put(member.id(), up);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
