package io.grove.runtime.peers;

import io.grove.api.CellId;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.fleet.FleetFormatException;
import io.grove.runtime.fleet.FleetSecretException;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.fleet.WrappedSecret;
import io.grove.runtime.json.Json;
import io.grove.runtime.peer.PeerMessages;
import io.grove.runtime.peer.PeerProtocol;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peer.RosterSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Spreads the roster on contact. Every round (and right after the roster changes) this cell says {@code hello} to
 * every other member; whoever hears of a higher roster seq — in a hello it receives or in an answer — pulls the
 * signed roster from that cell and applies it under the usual rules ({@link RosterBook#apply}: pinned leader,
 * higher seq). A member that applied a new roster asks the leader for its fleet-secret wraps, which is how it
 * receives a new epoch after a revocation. The leader also records the routes members advertise in their hellos.
 * Thread-safe; work runs on its own threads, bounded per round.
 */
public final class RosterGossip implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RosterGossip.class.getName());
    /** At most this many peers are contacted at once. */
    private static final int CONCURRENCY = 8;

    private final RosterBook roster;
    private final Peers peers;
    private final Clock clock;
    private final Duration interval;
    private final EventBus events;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore permits = new Semaphore(CONCURRENCY);
    private final Set<CellId> pulling = ConcurrentHashMap.newKeySet();
    private final Map<CellId, Contact> contacts = new ConcurrentHashMap<>();
    private volatile long probedSeq = -1;

    /**
     * @param roster   this cell's roster
     * @param peers    how to reach the other members
     * @param clock    the one clock
     * @param interval time between rounds
     * @param events   where applied rosters are announced ({@code fleet.roster})
     */
    public RosterGossip(RosterBook roster, Peers peers, Clock clock, Duration interval, EventBus events) {
        this.roster = roster;
        this.peers = peers;
        this.clock = clock;
        this.interval = interval;
        this.events = events;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grove-roster-gossip");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The last contact with a member: when it last answered (or said hello), and the last failure since.
     *
     * @param lastSeen  when it last answered or said hello
     * @param lastError the last failure to reach it, empty after a success
     */
    public record Contact(Optional<Instant> lastSeen, String lastError) {
    }

    /** Starts the rounds. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::roundQuietly, 1000, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a round soon; called after every change of the roster made here (a join admitted, a revocation, a
     * favourite, routes recorded), so it also tells live views ({@code fleet.roster}).
     */
    public void spreadNow() {
        roster.current().ifPresent(current -> events.publish("fleet.roster", Map.of("seq", current.roster().seq(),
                "members", current.roster().members().size())));
        scheduler.execute(this::roundQuietly);
    }

    /** What this cell knows of its last contact with {@code peer}. */
    public Contact contact(CellId peer) {
        return contacts.getOrDefault(peer, new Contact(Optional.empty(), ""));
    }

    /** Hears a member's hello (from the peer socket): schedules a pull or a route update; answers our routes. */
    public List<String> heard(Member sender, PeerMessages.Hello hello) {
        contacts.put(sender.id(), new Contact(Optional.of(clock.instant()), ""));
        if (hello.rosterSeq() > roster.stamp().seq()) {
            pullSoon(sender.id());
        }
        if (isLeader() && !hello.routes().isEmpty() && !sender.routes().equals(hello.routes())) {
            workers.execute(() -> {
                try {
                    roster.setRoutes(sender.id(), hello.routes()).ifPresent(r -> {
                        LOG.log(System.Logger.Level.INFO, "{0} advertises new routes {1}; roster seq {2}",
                                sender.id().shortForm(), hello.routes(), r.roster().seq());
                        spreadNow();
                    });
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not record the routes of " + sender.id().shortForm(), e);
                }
            });
        }
        return peers.ownRoutes();
    }

    /** One round: hello to every other member, in parallel (bounded), each bounded by the client's timeout. */
    public void round() throws InterruptedException {
        Optional<SignedRoster> current = roster.current();
        if (current.isEmpty()) {
            return;
        }
        CellId self = peers.self();
        List<Member> others = current.get().roster().members().stream().filter(m -> !m.id().equals(self)).toList();
        List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (Member member : others) {
            permits.acquire();
            running.add(workers.submit(() -> {
                try {
                    helloTo(member.id());
                } finally {
                    permits.release();
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : running) {
            try {
                f.get(5, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, "a hello did not finish: {0}", e.toString());
            }
        }
    }

    /** Says hello to {@code peer}; pulls its roster if it is newer. */
    void helloTo(CellId peer) {
        var stamp = roster.stamp();
        PeerMessages.Hello mine = new PeerMessages.Hello(List.of(PeerProtocol.VERSION), stamp.seq(), stamp.hash(),
                peers.ownRoutes());
        try {
            PeerMessages.Hello theirs = peers.call(peer, route -> peers.client().hello(route, mine));
            contacts.put(peer, new Contact(Optional.of(clock.instant()), ""));
            if (theirs.rosterSeq() > roster.stamp().seq()) {
                pull(peer);
            }
        } catch (IOException | PeerRejection e) {
            Contact before = contact(peer);
            contacts.put(peer, new Contact(before.lastSeen(), e.getMessage() == null ? e.toString() : e.getMessage()));
            LOG.log(System.Logger.Level.DEBUG, "hello to {0} failed: {1}", peer.shortForm(), e.toString());
        }
    }

    private void pullSoon(CellId peer) {
        if (pulling.add(peer)) {
            workers.execute(() -> {
                try {
                    pull(peer);
                } finally {
                    pulling.remove(peer);
                }
            });
        }
    }

    /** Fetches and applies {@code peer}'s roster; after a new one, fetches this cell's fleet secrets. */
    void pull(CellId peer) {
        try {
            byte[] bytes = peers.call(peer, route -> peers.client().roster(route));
            if (bytes.length > RosterSource.MAX_ROSTER_BYTES) {
                return;
            }
            SignedRoster received = SignedRoster.decode(bytes);
            RosterBook.Outcome outcome = roster.apply(received);
            switch (outcome.status()) {
                case APPLIED -> {
                    LOG.log(System.Logger.Level.INFO, "applied roster seq {0} from {1}", received.roster().seq(),
                            peer.shortForm());
                    events.publish("fleet.roster", Map.of("seq", received.roster().seq(),
                            "members", received.roster().members().size()));
                    if (received.roster().member(peers.self()).isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, "this cell is no longer in the fleet's roster (revoked)");
                    } else {
                        fetchSecrets();
                    }
                }
                case FORK -> LOG.log(System.Logger.Level.ERROR, "roster fork reported by {0}: {1}", peer.shortForm(),
                        outcome.reason());
                case REJECTED -> LOG.log(System.Logger.Level.WARNING, "refused the roster of {0}: {1}", peer.shortForm(),
                        outcome.reason());
                case STALE -> {
                }
            }
        } catch (IOException | PeerRejection | FleetFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "could not pull the roster of {0}: {1}", peer.shortForm(), e.toString());
        }
    }

    /** A member (not a friend, not the leader) asks the leader for every secret wrapped to it. */
    void fetchSecrets() {
        Optional<SignedRoster> current = roster.current();
        if (current.isEmpty()) {
            return;
        }
        CellId leader = current.get().roster().leader();
        Optional<Member> me = current.get().roster().member(peers.self());
        if (leader.equals(peers.self()) || me.isEmpty() || me.get().role() != Role.MEMBER) {
            return;
        }
        try {
            byte[] body = peers.call(leader, route -> peers.client().call(route, FleetOperations.SECRETS, new byte[0],
                    FleetOperations.MAX_SECRETS_REPLY));
            FleetMessages.Secrets secrets = Json.mapper().readValue(body, FleetMessages.Secrets.class);
            for (WrappedSecret wrapped : secrets.wrappedSecrets()) {
                roster.secrets().accept(wrapped);
            }
        } catch (IOException | PeerRejection | FleetFormatException | FleetSecretException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "could not fetch fleet secrets from the leader: {0}", e.toString());
        }
    }

    private boolean isLeader() {
        return roster.current().map(r -> r.roster().leader().equals(peers.self())).orElse(false);
    }

    private void roundQuietly() {
        try {
            round();
            long seq = roster.stamp().seq();
            if (seq != probedSeq) {
                // The members changed: measure the routes now rather than at the next probe round.
                probedSeq = seq;
                peers.routes().probeAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "roster gossip round failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
