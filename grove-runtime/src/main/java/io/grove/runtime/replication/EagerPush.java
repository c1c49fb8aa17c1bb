package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.api.transport.HeapBody;
import io.grove.runtime.audit.AuditBook;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.files.NewChunks;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.Roster;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.peers.Peers;
import io.grove.runtime.routes.PeerHealth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes each chunk an ingest stages to its holders at once, from memory, while the ingest goes on: replication
 * overlaps the ingest instead of starting after the commit, and the bytes are not read back from the store. Targets
 * come from the same {@link PlacementPolicy} and the same counting and trust rules as a sync round, chosen and
 * claimed through {@link PushClaims} so that eager pushes racing a round never exceed the factor; a push that
 * succeeds is recorded as a holding exactly as a round's push, so the next round sees it confirmed.
 *
 * <p>Memory is bounded: at most {@link Settings#chunks()} chunks are held (queued or being pushed), and at most
 * {@link Settings#concurrency()} pushed at once. When all are taken, the ingest waits at most
 * {@link Settings#maxWait()} for one to free up, then leaves the chunk to the sync round after the commit (which reads
 * it from the store), and leaves the following chunks without waiting until a push succeeds again: eager pushing
 * slows an ingest by at most that bound per successful push (back-pressure while the peer keeps up), never more
 * when it stalls. A push that fails
 * (peer unreachable, refused) is left to the round too. docs/replication.md "Eager push".
 */
public final class EagerPush implements NewChunks, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EagerPush.class.getName());
    /** How long a computed view of the fleet (who counts, who is reachable) serves before it is read again. */
    private static final Duration VIEW_TTL = Duration.ofSeconds(1);

    /**
     * The settings of eager pushing ({@code replication.eager.*}).
     *
     * @param enabled     whether chunks are pushed while an ingest runs
     * @param chunks      chunks held at most (queued or being pushed); bounds memory to this many chunks
     * @param concurrency pushes at once
     * @param maxWait     how long an ingest waits for room before it leaves a chunk to the sync round
     */
    public record Settings(boolean enabled, int chunks, int concurrency, Duration maxWait) {
        public Settings {
            if (chunks < 1 || concurrency < 1 || concurrency > chunks || maxWait == null || maxWait.isNegative()) {
                throw new IllegalArgumentException("eager push needs 1 <= concurrency <= chunks and a wait >= 0");
            }
        }

        /** Reads {@code replication.eager.{enabled, chunks, concurrency, wait}} from the configuration root. */
        public static Settings from(ConfigNode root) {
            ConfigNode node = root.node("replication").node("eager");
            boolean enabled = node.bool("enabled").orElse(true);
            int concurrency = node.integer("concurrency", 4, 1, 32);
            int chunks = node.integer("chunks", concurrency + 2, concurrency, 64);
            Duration wait = node.duration("wait").orElse(Duration.ofSeconds(2));
            if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new ConfigException("configuration key 'replication.eager.wait' must be between 0s and 1m");
            }
            return new Settings(enabled, chunks, concurrency, wait);
        }
    }

    /**
     * What eager pushing did since the cell started.
     *
     * @param pushed  copies pushed and recorded
     * @param dropped chunks left to the sync round because no room freed up in time
     * @param failed  pushes that failed (left to the sync round)
     */
    public record Counts(long pushed, long dropped, long failed) {
    }

    /** Who may receive a copy now, as a round sees it. */
    private record View(Instant at, int factor, Set<CellId> counting, List<PlacementPolicy.Candidate> candidates) {
    }

    private final Replicator replicator;
    private final PushClaims claims;
    private final Placement placement;
    private final RosterBook roster;
    private final Peers peers;
    private final AuditBook audits;
    private final ReplicationSettings replication;
    private final Settings settings;
    private final Clock clock;
    private final Semaphore held;
    private final Semaphore lanes;
    private final ExecutorService pushers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile View view;
    private volatile boolean closed;
    /** Set when an ingest waited in vain; while set, chunks without room go to the round at once (no more waiting). */
    private volatile boolean congested;

    EagerPush(Replicator replicator, PushClaims claims, Placement placement, RosterBook roster, Peers peers,
              AuditBook audits, ReplicationSettings replication, Settings settings, Clock clock) {
        this.replicator = replicator;
        this.claims = claims;
        this.placement = placement;
        this.roster = roster;
        this.peers = peers;
        this.audits = audits;
        this.replication = replication;
        this.settings = settings;
        this.clock = clock;
        this.held = new Semaphore(settings.chunks());
        this.lanes = new Semaphore(settings.concurrency());
    }

    /** The settings in effect. */
    public Settings settings() {
        return settings;
    }

    /** What eager pushing did so far. */
    public Counts counts() {
        return new Counts(pushed.get(), dropped.get(), failed.get());
    }

    /** Hands {@code sealed} to a pusher, waiting at most {@link Settings#maxWait()} for room; else leaves it to the round. */
    @Override
    public void staged(String path, ChunkId id, byte[] sealed) {
        if (!settings.enabled() || closed || current().isEmpty()) {
            return;
        }
        boolean room;
        try {
            room = held.tryAcquire() || (!congested && held.tryAcquire(settings.maxWait().toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the ingest sees it at its next blocking step
            return;
        }
        if (!room) {
            congested = true;
            dropped.incrementAndGet();
            return;
        }
        try {
            pushers.execute(() -> {
                try {
                    lanes.acquire();
                    try {
                        push(path, id, sealed);
                    } finally {
                        lanes.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // closing
                } finally {
                    held.release();
                }
            });
        } catch (RejectedExecutionException e) {
            held.release(); // closed meanwhile
        }
    }

    private void push(String path, ChunkId id, byte[] sealed) {
        Optional<View> now = current();
        if (now.isEmpty()) {
            return;
        }
        View v = now.get();
        // The folder's settings: shards of an erasure-coded folder are the round's work (encoded from the stored chunk).
        ChunkPolicy policy = replication.folders().chunkPolicy(path, v.factor());
        if (policy.erasure().isPresent()) {
            return;
        }
        int needed = policy.copiesOnPeers();
        Item item = new Item(id.hex(), Item.Kind.CHUNK);
        List<CellId> targets = claims.claim(item.id(), () -> replicator.fresh(item, v.counting()),
                taken -> PlacementPolicy.targets(needed, taken, v.candidates()));
        for (CellId target : targets) {
            try {
                peers.call(target, route -> peers.client().put(route, id, sealed.length, new HeapBody(sealed)));
                placement.confirm(item, target, "push");
                // Tracked for audits now; its challenges are made when it is first due (Replicator), off this path.
                audits.place(id, target, sealed.length, List.of(), clock.instant());
                pushed.incrementAndGet();
                congested = false;
            } catch (IOException | RuntimeException e) { // a PeerRejection (signed refusal) among them
                failed.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "eager push of {0} to {1} failed, left to the sync round: {2}",
                        id.hex(), target.shortForm(), e.toString());
                replicator.syncSoon(); // after the commit the round finds it short; before it, the commit asks anyway
            } finally {
                claims.release(item.id(), target);
            }
        }
    }

    /** The fleet as a round sees it (refreshed at most once per {@link #VIEW_TTL}); empty outside a fleet. */
    private Optional<View> current() {
        View v = view;
        Instant now = clock.instant();
        if (v != null && now.isBefore(v.at().plus(VIEW_TTL)) && !now.isBefore(v.at())) {
            return Optional.of(v);
        }
        Optional<SignedRoster> signed = roster.current();
        if (signed.isEmpty() || signed.get().roster().member(peers.self()).isEmpty()) {
            return Optional.empty();
        }
        Roster r = signed.get().roster();
        Instant horizon = now.minus(replication.grace(r.parameters()));
        Set<CellId> counting = new HashSet<>();
        List<PlacementPolicy.Candidate> candidates = new ArrayList<>();
        for (Member m : r.members()) {
            if (m.id().equals(peers.self()) || m.role() != Role.MEMBER) {
                continue;
            }
            PeerHealth health = peers.routes().health(m.id());
            boolean trusted = audits.reputation(m.id(), now).trusted();
            boolean counts = trusted && health.lastSeen().isPresent() && !health.lastSeen().get().isBefore(horizon);
            if (counts) {
                counting.add(m.id());
            }
            if ((health.up() || counts) && trusted) {
                candidates.add(Replicator.candidate(m, health));
            }
        }
        // The last round's ranking where it has one for every candidate: then a file's chunks (pushed here) and its
        // manifest (pushed by the round the commit asks for) go to the same cells unless a route probe reordered them.
        Map<CellId, PlacementPolicy.Candidate> ranked = new HashMap<>();
        replicator.lastCandidates().forEach(c -> ranked.put(c.id(), c));
        List<PlacementPolicy.Candidate> chosen = candidates.stream().allMatch(c -> ranked.containsKey(c.id()))
                ? candidates.stream().map(c -> ranked.get(c.id())).toList() : candidates;
        View fresh = new View(now, replication.factor(r.parameters()), Set.copyOf(counting), List.copyOf(chosen));
        view = fresh;
        return Optional.of(fresh);
    }

    /** Stops taking chunks and ends the pushes under way (bounded). */
    @Override
    public void close() {
        closed = true;
        pushers.shutdownNow();
        try {
            pushers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
