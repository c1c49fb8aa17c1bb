package io.grove.runtime.replication;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.audit.AuditBook;
import io.grove.runtime.audit.AuditClient;
import io.grove.runtime.audit.AuditReply;
import io.grove.runtime.audit.AuditResult;
import io.grove.runtime.audit.AuditedCopy;
import io.grove.runtime.audit.Auditor;
import io.grove.runtime.audit.Challenge;
import io.grove.runtime.audit.Reputation;
import io.grove.runtime.bounty.BountyClient;
import io.grove.runtime.bounty.Ledger;
import io.grove.runtime.bounty.SignedReceipt;
import io.grove.runtime.db.Database;
import io.grove.runtime.erasure.ShardSet;
import io.grove.runtime.events.EventBus;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Role;
import io.grove.runtime.fleet.Roster;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.fleet.SignedRoster;
import io.grove.runtime.peer.PeerRejection;
import io.grove.runtime.peers.Peers;
import io.grove.runtime.routes.PeerHealth;
import io.grove.runtime.routes.RankedRoute;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The opp sync loop of the owning cell. Every round (the sync interval, and soon after {@link #syncSoon()}):
 * forget holdings of cells that left; read a few pages of each reachable member's inventory to confirm (or, at the
 * end of a pass, disprove) what it holds; then walk this cell's chunks and manifests and, for each, push copies to
 * the best reachable members until the factor is met (favourites first, then route score), or release copies that
 * stayed above the factor for longer than {@code healing.release-after}. A member unseen for longer than the grace
 * period stops counting, so its items are copied elsewhere — bounded in concurrency and bytes per round, so one lost
 * cell cannot start a storm. Repair never decrypts anything: it moves sealed bytes named by their hash.
 */
public final class Replicator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Replicator.class.getName());
    private static final int ITEM_PAGE = 1000;
    /**
     * Offloaded copies read back from their holders per round for new audit challenges (a chunk or shard each, at
     * most 16 MiB): bounds the bandwidth audits of offloaded data take.
     */
    private static final int RETRIEVALS_PER_ROUND = 4;
    /** Offloaded chunks stored here again per round at most, once their folder no longer offloads. */
    private static final int RETURNS_PER_ROUND = 64;
    /** Orphaned copies are looked for at most this often (and at most once per {@code gc.grace-period}). */
    private static final Duration ORPHAN_SCAN_EVERY = Duration.ofMinutes(10);
    private static final int INVENTORY_PAGE = 10_000;
    private static final Duration NOT_IN_FLEET_POLL = Duration.ofSeconds(5);
    /** Challenges sent per round at most. */
    private static final int AUDITS_PER_ROUND = 200;
    /** Receipts cover at least this much time. */
    private static final Duration RECEIPT_PERIOD = Duration.ofDays(1);
    /**
     * Challenges made per copy at a time, each a SHA-256 pass over the chunk. A push makes none (on this kind of CPU a
     * pass costs as much as sealing's own hashes, on the path to the factor): the copy's challenges are made when it
     * is first due for an audit, or before the local chunk is offloaded, whichever comes first.
     */
    private static final int CHALLENGES_PER_COPY = 3;
    /** Chunks of offloading folders checked for offload per round at most (the rest in later rounds). */
    private static final int MAX_OFFLOAD_CHECKS = 100_000;

    private final Placement placement;
    private final AuditBook audits;
    private final Ledger ledger;
    private final Auditor auditor;
    private final RosterBook roster;
    private final Peers peers;
    private final ChunkStore store;
    private final Database db;
    private final ReplicationSettings settings;
    private final EventBus events;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService transfers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<Status> status = new AtomicReference<>(Status.NEVER);
    private volatile boolean closed;
    /** When rounds next look for orphaned copies (epoch millis); rounds run one at a time. */
    private long nextOrphanScan;
    private final java.util.concurrent.atomic.AtomicBoolean soon = new java.util.concurrent.atomic.AtomicBoolean();
    /** How soon a round asked for by {@link #syncSoon()} starts, at the earliest. */
    private static final Duration SOON = Duration.ofMillis(20);
    /** The least time between the end of one such round and the start of the next. */
    private static final Duration SOON_SPACING = Duration.ofMillis(500);
    /** When the last round asked for by {@link #syncSoon()} ended ({@link System#nanoTime()}). */
    private volatile long lastSoonEnded = System.nanoTime() - SOON_SPACING.toNanos();
    /** Pushes in flight, shared with {@link #eager}: together they never exceed the factor. */
    private final PushClaims claims = new PushClaims();
    private volatile Optional<EagerPush> eager = Optional.empty();
    /** The candidates of the last round, best first as it ranked them: eager pushes rank alike (same route scores). */
    private volatile List<PlacementPolicy.Candidate> lastCandidates = List.of();
    private final RemoteChunks remote;
    private final CopyReleases releases;
    /** When the last {@code sync.progress} event went out (nanoTime), so a round sends at most one a second. */
    private final AtomicLong progressAt = new AtomicLong(System.nanoTime());
    private final ErasurePlacer erasure;

    public Replicator(Placement placement, RosterBook roster, Peers peers, ChunkStore store, Database db,
                      ReplicationSettings settings, AuditBook audits, Ledger ledger, EventBus events, Clock clock) {
        this.placement = placement;
        this.audits = audits;
        this.ledger = ledger;
        this.auditor = new Auditor(audits, (holder, chunk, nonce) -> {
            try {
                return peers.call(holder, route -> AuditClient.ask(peers.client(), route, chunk, nonce));
            } catch (IOException | PeerRejection e) {
                return AuditReply.unreachable(); // includes a signed refusal such as busy
            }
        }, ledger::accrue, clock);
        this.roster = roster;
        this.peers = peers;
        this.store = store;
        this.db = db;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.remote = new RemoteChunks(placement, roster, peers, store);
        this.releases = new CopyReleases(placement, peers, audits);
        this.erasure = new ErasurePlacer(placement, peers, store, audits, remote, releases, clock);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "grove-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What the last round did.
     *
     * @param lastRound  when it ended, empty before the first
     * @param duration   how long it took
     * @param items      items considered
     * @param pushed     copies pushed
     * @param released   surplus copies released
     * @param atRisk     items below the factor after the round
     * @param confirmed  holdings confirmed by inventories
     * @param lost       holdings disproved by inventories
     * @param audited    storage challenges sent
     * @param factor     the factor in effect
     * @param error      why the round stopped early, empty when it did not
     */
    public record Status(Optional<Instant> lastRound, Duration duration, long items, long pushed, long released,
                         long atRisk, long confirmed, long lost, long audited, int factor, String error) {
        static final Status NEVER = new Status(Optional.empty(), Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, "");
    }

    public Status status() {
        return status.get();
    }

    public Placement placement() {
        return placement;
    }

    /**
     * Who counts now: the factor in effect and the members whose copies count (seen within the grace period).
     *
     * @param factor   copies wanted, this cell's included
     * @param counting members whose copies count
     */
    public record Counting(int factor, Set<CellId> counting) {
    }

    /** The factor in effect and the members whose copies count right now. */
    public Counting counting() {
        Optional<SignedRoster> current = roster.current();
        if (current.isEmpty()) {
            return new Counting(1, Set.of());
        }
        Roster r = current.get().roster();
        Instant horizon = clock.instant().minus(settings.grace(r.parameters()));
        Set<CellId> counting = new HashSet<>();
        for (Member m : r.members()) {
            if (!m.id().equals(peers.self()) && m.role() == Role.MEMBER) {
                Optional<Instant> seen = peers.routes().health(m.id()).lastSeen();
                if (seen.isPresent() && !seen.get().isBefore(horizon)) {
                    counting.add(m.id());
                }
            }
        }
        return new Counting(settings.factor(r.parameters()), Set.copyOf(counting));
    }

    /**
     * Turns on pushing chunks while they are ingested ({@link EagerPush}); the returned listener goes to
     * {@code FileService.onNewChunk}. Call once, before ingests start.
     */
    public synchronized EagerPush eagerPush(EagerPush.Settings eagerSettings) {
        EagerPush push = new EagerPush(this, claims, placement, roster, peers, audits, settings, eagerSettings, clock);
        eager.ifPresent(EagerPush::close);
        eager = Optional.of(push);
        return push;
    }

    /** The eager pushing of this cell, once turned on. */
    public Optional<EagerPush> eager() {
        return eager;
    }

    /** Starts the rounds: the first soon, then one per sync interval (read each round, the roster may change it). */
    public void start() {
        scheduler.schedule(this::roundAndReschedule, 2, TimeUnit.SECONDS);
    }

    /**
     * Runs a round soon (after an ingest): {@link #SOON} from now, or {@link #SOON_SPACING} after the last round asked
     * for this way ended, whichever is later.
     */
    public void syncSoon() {
        // Coalesced: a burst of commits (an archive's groups, a watched folder's batches) asks for one round, not one
        // each, and rounds asked for back to back are spaced. A lone put's round starts at once: the file's manifest
        // goes to its holders right after the commit (its chunks went while it was ingested, EagerPush).
        if (!closed && soon.compareAndSet(false, true)) {
            scheduler.schedule(this::soonRound, SOON.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The round {@link #syncSoon()} asked for, once {@link #SOON_SPACING} has passed since the last such round ended.
     * Checked when it is due, not when it was asked for: the scheduler's one thread runs every round, so a round asked
     * for while another ran waits here for its spacing instead of following it at once.
     */
    private void soonRound() {
        Duration left = spacingLeft(System.nanoTime() - lastSoonEnded);
        if (!left.isZero() && !closed) {
            scheduler.schedule(this::soonRound, left.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        soon.set(false);
        try {
            roundQuietly();
        } finally {
            lastSoonEnded = System.nanoTime();
        }
    }

    /** How much of {@link #SOON_SPACING} is left, {@code sinceLastNanos} after the last such round ended. */
    static Duration spacingLeft(long sinceLastNanos) {
        return Duration.ofNanos(Math.max(0, SOON_SPACING.toNanos() - sinceLastNanos));
    }

    private void roundAndReschedule() {
        roundQuietly();
        if (!closed) {
            // Outside a fleet there is nothing to do but notice, soon, that this cell founded or joined one.
            Duration interval = roster.current().map(r -> settings.interval(r.roster().parameters()))
                    .orElse(NOT_IN_FLEET_POLL);
            scheduler.schedule(this::roundAndReschedule, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void roundQuietly() {
        try {
            round();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.WARNING, "sync round failed", e);
            Status before = status.get();
            status.set(new Status(Optional.of(clock.instant()), Duration.ZERO, before.items(), 0, 0, before.atRisk(), 0, 0,
                    0, before.factor(), String.valueOf(e.getMessage())));
        }
    }

    /** One round; returns what it did (also kept as {@link #status()}). */
    public synchronized Status round() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Optional<SignedRoster> current = roster.current();
        if (current.isEmpty() || current.get().roster().member(peers.self()).isEmpty()) {
            return status.get();
        }
        Roster r = current.get().roster();
        int factor = settings.factor(r.parameters());
        Duration grace = settings.grace(r.parameters());
        Instant now = clock.instant();
        // Friends receive shares, not fleet data: only members hold copies.
        Map<CellId, Member> members = new HashMap<>();
        for (Member m : r.members()) {
            if (!m.id().equals(peers.self()) && m.role() == Role.MEMBER) {
                members.put(m.id(), m);
            }
        }
        Set<CellId> everyone = new HashSet<>(r.members().stream().map(Member::id).toList());
        placement.forgetAllBut(members.keySet());
        placement.releaseAllBut(everyone);
        for (Reputation reputation : audits.reputations(now)) {
            if (!members.containsKey(reputation.peer())) {
                audits.forgetHolder(reputation.peer());
            }
        }
        Map<CellId, PeerHealth> health = new HashMap<>();
        Set<CellId> up = new HashSet<>();
        for (CellId peer : members.keySet()) {
            PeerHealth h = peers.routes().health(peer);
            health.put(peer, h);
            if (h.up()) {
                up.add(peer);
            }
        }
        // Only cells that are up are challenged: an absent cell's silence is the grace period's business.
        long audited = audit(now, up);

        Set<CellId> counting = new HashSet<>();
        for (CellId peer : members.keySet()) {
            PeerHealth h = health.get(peer);
            // A peer that fails its storage audits is never trusted as a holder (docs/replication.md).
            if (h.lastSeen().isPresent() && !h.lastSeen().get().isBefore(now.minus(grace))
                    && audits.reputation(peer, now).trusted()) {
                counting.add(peer);
            }
        }
        Set<CellId> reachable = new HashSet<>();
        for (CellId peer : members.keySet()) {
            if ((health.get(peer).up() || counting.contains(peer)) && audits.reputation(peer, now).trusted()) {
                reachable.add(peer);
            }
        }
        long confirmed = 0;
        long lost = 0;
        for (CellId peer : reachable) {
            long[] result = inventory(peer);
            confirmed += result[0];
            lost += result[1];
        }
        List<PlacementPolicy.Candidate> candidates = new ArrayList<>();
        for (CellId peer : reachable) {
            candidates.add(candidate(members.get(peer), health.get(peer)));
        }
        lastCandidates = List.copyOf(candidates);
        Map<CellId, PlacementPolicy.Candidate> byId = new HashMap<>();
        for (CellId peer : members.keySet()) {
            byId.put(peer, candidate(members.get(peer), health.get(peer)));
        }

        AtomicLong budget = new AtomicLong(settings.maxBytesPerRound());
        AtomicLong pushed = new AtomicLong();
        long released = 0;
        long atRisk = 0;
        long roundStart = now.toEpochMilli(); // inventories of this round confirm holdings from here on
        List<Map.Entry<Item, ChunkPolicy>> offloadable = new ArrayList<>();
        List<ChunkId> returning = new ArrayList<>();
        long items = 0;
        Semaphore permits = new Semaphore(settings.maxConcurrent());
        List<Future<?>> running = new ArrayList<>();
        String after = "";
        Duration releaseAfter = settings.releaseAfter(r.parameters());
        while (!closed) {
            List<Item> page = placement.items(after, ITEM_PAGE);
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1).id();
            items += page.size();
            Map<String, Set<CellId>> holders = placement.holders(page);
            // Chunks with shards: in an erasure-coded folder, or left from when their folder was one.
            List<String> pageChunks = page.stream().filter(i -> i.kind() == Item.Kind.CHUNK).map(Item::id).toList();
            Set<String> withShards = placement.shards().withSets(pageChunks);
            Set<String> offloadedHere = placement.shards().offloadedAmong(pageChunks);
            // Per-folder settings (factor, erasure coding, offload); without any, every item follows the fleet factor.
            Map<String, ChunkPolicy> policies = settings.folders().isEmpty() ? Map.of()
                    : settings.folders().policies(page, placement.paths(page), factor);
            for (Item item : page) {
                ChunkPolicy policy = policies.getOrDefault(item.id(), ChunkPolicy.copies(factor));
                if (item.kind() == Item.Kind.CHUNK && policy.offload() && offloadable.size() < MAX_OFFLOAD_CHECKS
                        && store.has(ChunkId.of(item.id()))) {
                    offloadable.add(Map.entry(item, policy));
                }
                if (!policy.offload() && offloadedHere.contains(item.id()) && returning.size() < RETURNS_PER_ROUND) {
                    returning.add(ChunkId.of(item.id())); // its folder no longer offloads: keep a copy here again
                }
                if (item.kind() == Item.Kind.CHUNK && policy.erasure().isPresent()) {
                    ErasurePlacer.Plan plan = erasure.plan(ChunkId.of(item.id()), policy.erasure().get(), counting,
                            candidates, byId);
                    if (plan.atRisk() || (!plan.pushes().isEmpty() && budget.get() <= 0)) {
                        atRisk++; // too few cells, or this round's byte budget is spent
                    }
                    if (!plan.pushes().isEmpty() && budget.get() > 0) {
                        permits.acquire();
                        running.add(transfers.submit(() -> {
                            try {
                                pushed.addAndGet(erasure.push(plan, budget));
                                progress(pushed, budget);
                            } finally {
                                permits.release();
                            }
                        }));
                    } else if (plan.pushes().isEmpty()) {
                        for (Map.Entry<String, CellId> extra : plan.surplus()) {
                            if (erasure.releaseIfDue(extra.getKey(), extra.getValue(), releaseAfter, now)) {
                                released++;
                            }
                        }
                        if (!plan.atRisk()) {
                            // Whole copies from before the folder was erasure-coded: the shards now stand for them.
                            for (CellId extra : holders.get(item.id())) {
                                if (releaseIfDue(item, extra, releaseAfter, now)) {
                                    released++;
                                }
                            }
                        }
                    }
                    continue;
                }
                int needed = item.kind() == Item.Kind.CHUNK ? policy.copiesOnPeers() : policy.factor() - 1;
                Set<CellId> holding = holders.get(item.id());
                Set<CellId> countingHolders = new HashSet<>(holding);
                countingHolders.retainAll(counting);
                List<CellId> targets = PlacementPolicy.targets(needed, countingHolders, candidates);
                if (!targets.isEmpty()) {
                    // A manifest goes where its file's chunks are (or are being pushed): a file's copies stay together.
                    Set<CellId> along = item.kind() == Item.Kind.MANIFEST ? chunkCells(item.id()) : Set.of();
                    // Chosen again from fresh holdings plus the pushes in flight (eager ones), and claimed.
                    targets = claims.claim(item.id(), () -> fresh(item, counting),
                            taken -> PlacementPolicy.targets(needed, taken, candidates, along));
                    if (targets.isEmpty()) {
                        continue; // an eager push of it is under way; a failed one asks for another round
                    }
                    if (countingHolders.size() + targets.size() < needed) {
                        atRisk++;
                    }
                    for (int t = 0; t < targets.size(); t++) {
                        CellId target = targets.get(t);
                        if (budget.get() <= 0) {
                            atRisk++;
                            targets.subList(t, targets.size()).forEach(left -> claims.release(item.id(), left));
                            break;
                        }
                        try {
                            permits.acquire();
                        } catch (InterruptedException e) {
                            targets.subList(t, targets.size()).forEach(left -> claims.release(item.id(), left));
                            throw e;
                        }
                        running.add(transfers.submit(() -> {
                            try {
                                if (push(item, target, budget)) {
                                    pushed.incrementAndGet();
                                    progress(pushed, budget);
                                }
                            } finally {
                                claims.release(item.id(), target);
                                permits.release();
                            }
                        }));
                    }
                } else if (countingHolders.size() < needed) {
                    atRisk++; // nobody reachable to copy to
                } else if (withShards.contains(item.id()) && (policy.offload() || store.has(ChunkId.of(item.id())))) {
                    // Shards from before the folder went back to whole copies, which now meet the factor.
                    released += placement.shards().get(ChunkId.of(item.id()))
                            .map(set -> releaseShards(set, releaseAfter, now)).orElse(0L);
                } else if (countingHolders.size() > needed && holding.size() > needed) {
                    List<PlacementPolicy.Candidate> holderCandidates = countingHolders.stream().map(byId::get).toList();
                    for (CellId extra : PlacementPolicy.surplus(needed, holderCandidates)) {
                        if (releaseIfDue(item, extra, releaseAfter, now)) {
                            released++;
                        }
                    }
                } else {
                    placement.notSurplus(item.id());
                }
            }
        }
        for (Future<?> f : running) {
            try {
                f.get(10, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "a transfer did not finish: {0}", e.toString());
            }
        }
        long offloaded = closed ? 0 : offload(offloadable, counting, roundStart);
        if (!closed) {
            bringBack(returning, budget);
        }
        released += closed ? 0 : releaseOrphans(now, up);
        settle(now);
        Status done = new Status(Optional.of(clock.instant()), Duration.ofNanos(System.nanoTime() - start), items,
                pushed.get(), released, atRisk, confirmed, lost, audited, factor, "");
        status.set(done);
        if (done.pushed() > 0 || done.released() > 0 || done.lost() > 0 || offloaded > 0) {
            events.publish("sync.round", Map.of("pushed", done.pushed(), "released", done.released(),
                    "lost", done.lost(), "atRisk", done.atRisk(), "items", done.items()));
            placement.event("round", "pushed " + done.pushed() + ", released " + done.released() + ", lost "
                    + done.lost() + ", at risk " + done.atRisk() + " of " + done.items()
                    + (offloaded > 0 ? ", offloaded " + offloaded : ""));
        }
        return done;
    }

    /** The candidates of the last round (empty before it), for {@link EagerPush}. */
    List<PlacementPolicy.Candidate> lastCandidates() {
        return lastCandidates;
    }

    /** Tells live views how the round goes, at most once a second: copies pushed and bytes moved so far. */
    private void progress(AtomicLong pushed, AtomicLong budget) {
        long now = System.nanoTime();
        long last = progressAt.get();
        if (now - last >= 1_000_000_000L && progressAt.compareAndSet(last, now)) {
            events.publish("sync.progress", Map.of("pushed", pushed.get(),
                    "bytes", Math.max(0, settings.maxBytesPerRound() - budget.get())));
        }
    }

    /** The cells holding, or receiving now, chunks of version {@code versionId}. */
    private Set<CellId> chunkCells(String versionId) {
        List<String> chunks = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT DISTINCT chunk_id FROM version_chunks WHERE version_id = ?")
                .bind(0, versionId).mapTo(String.class).list());
        Set<CellId> out = new HashSet<>(claims.pushing(chunks));
        out.addAll(db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT DISTINCT h.cell_id FROM version_chunks v JOIN holdings h ON h.item_id = v.chunk_id
                        WHERE v.version_id = ?""")
                .bind(0, versionId).mapTo(String.class).list()).stream().map(CellId::new).toList());
        return out;
    }

    /** The counting cells recorded now as holding {@code item}. */
    Set<CellId> fresh(Item item, Set<CellId> counting) {
        Set<CellId> holding = new HashSet<>(placement.holders(List.of(item)).get(item.id()));
        holding.retainAll(counting);
        return holding;
    }

    static PlacementPolicy.Candidate candidate(Member member, PeerHealth health) {
        OptionalDouble score = health.routes().stream().map(RankedRoute::score).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).min();
        return new PlacementPolicy.Candidate(member.id(), member.favourite(), score);
    }

    /** Reads a few inventory pages of {@code peer}; returns {confirmed, lost}. */
    private long[] inventory(CellId peer) {
        Placement.Cursor cursor = placement.cursor(peer);
        long confirmed = 0;
        long lost = 0;
        try {
            for (int i = 0; i < settings.inventoryPages(); i++) {
                String after = cursor.after();
                ChunkPage page = peers.call(peer, route -> peers.client().inventory(route,
                        after.isEmpty() ? ChunkCursor.START : ChunkCursor.after(ChunkId.of(after)), INVENTORY_PAGE));
                List<Item> ours = ours(page.ids());
                placement.confirmAll(ours, peer, "inventory");
                confirmed += ours.size();
                Optional<String> next = page.next().flatMap(ChunkCursor::after).map(ChunkId::hex);
                if (next.isEmpty()) {
                    // A whole pass ended: chunks it did not list since the pass started, it no longer holds.
                    lost += forgetUnlisted(peer, cursor.passStart());
                    cursor = new Placement.Cursor("", clock.millis());
                    break;
                }
                cursor = new Placement.Cursor(next.get(), cursor.passStart());
            }
            placement.saveCursor(peer, cursor);
        } catch (IOException | PeerRejection e) {
            LOG.log(System.Logger.Level.DEBUG, "inventory of {0} failed: {1}", peer.shortForm(), e.toString());
        }
        return new long[]{confirmed, lost};
    }

    private int forgetUnlisted(CellId peer, long passStart) {
        int dropped = placement.forgetUnlistedChunks(peer, passStart);
        if (dropped > 0) {
            placement.event("lost", peer.shortForm() + " no longer lists " + dropped + " chunk(s); they will be copied again");
        }
        return dropped;
    }

    /**
     * Which of {@code ids} (from a peer's inventory) are chunks this cell replicates: referenced by a version, or
     * recorded as held (pushed eagerly while their version is still being ingested).
     */
    private List<Item> ours(List<ChunkId> ids) {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += Placement.PAGE) {
            List<String> hex = ids.subList(i, Math.min(ids.size(), i + Placement.PAGE)).stream().map(ChunkId::hex).toList();
            out.addAll(db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT chunk_id FROM version_chunks WHERE chunk_id IN (<ids>)
                            UNION SELECT item_id FROM holdings WHERE kind = 'c' AND item_id IN (<ids>)""")
                    .bindList("ids", hex).mapTo(String.class).list()).stream()
                    .map(id -> new Item(id, Item.Kind.CHUNK)).toList());
            placement.shards().shardIds(hex).forEach(id -> out.add(new Item(id, Item.Kind.SHARD)));
        }
        return out;
    }

    /** Pushes one item to {@code target}; records the holding when it acknowledged. */
    private boolean push(Item item, CellId target, AtomicLong budget) {
        try {
            if (item.kind() == Item.Kind.CHUNK) {
                ChunkId id = ChunkId.of(item.id());
                OptionalLong size = store.size(id);
                Optional<byte[]> offloaded = size.isEmpty() && placement.shards().isOffloaded(id)
                        ? remote.fetch(id, false) : Optional.empty(); // healing an offloaded chunk: read it through
                if (size.isEmpty() && offloaded.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "chunk {0} is missing from the local store; run 'grove verify'",
                            id.hex());
                    return false;
                }
                budget.addAndGet(-(size.isPresent() ? size.getAsLong() : offloaded.get().length));
                byte[] bytes = offloaded.isPresent() ? offloaded.get()
                        : local(id).orElseThrow(() -> new IOException("chunk vanished: " + id.hex()));
                peers.call(target, route -> peers.client().put(route, id, bytes.length, new ByteArrayInputStream(bytes)));
                // Tracked for audits now; its challenges are made when it is first due (or before an offload).
                audits.place(id, target, bytes.length, List.of(), clock.instant());
            } else {
                Optional<byte[]> blob = db.jdbi().withHandle(h -> h.createQuery("SELECT blob FROM manifests WHERE id = ?")
                        .bind(0, item.id()).mapTo(byte[].class).findOne());
                if (blob.isEmpty()) {
                    return false;
                }
                budget.addAndGet(-blob.get().length);
                peers.call(target, route -> peers.client().pushManifest(route, blob.get()));
            }
            placement.confirm(item, target, "push");
            return true;
        } catch (IOException | PeerRejection e) {
            LOG.log(System.Logger.Level.DEBUG, "push of {0} to {1} failed: {2}", item.id(), target.shortForm(), e.toString());
            return false;
        }
    }

    /**
     * Sends the due storage challenges; a copy that failed or went missing is forgotten (so this round copies it
     * again elsewhere); copies whose challenges ran out get new ones while the chunk is local.
     *
     * @return challenges sent
     */
    private long audit(Instant now, Set<CellId> up) {
        List<AuditResult> results = auditor.round(AUDITS_PER_ROUND, up);
        for (AuditedCopy lost : audits.lost(AuditBook.MAX_LIMIT)) {
            placement.forget(lost.chunk().hex(), lost.holder());
            audits.forget(lost.chunk(), lost.holder());
            placement.event("audit", lost.holder().shortForm() + " failed the audit of chunk "
                    + lost.chunk().hex().substring(0, 12) + "; the copy is healed elsewhere");
            events.publish("sync.audit-failed", Map.of("holder", lost.holder().value(), "chunk", lost.chunk().hex()));
        }
        int retrievals = 0;
        for (AuditedCopy copy : audits.exhausted(now, 100)) {
            try {
                Optional<byte[]> bytes = local(copy.chunk());
                if (bytes.isEmpty()) {
                    bytes = erasure.localShard(copy.chunk()); // a shard: encoded again from the local chunk
                }
                if (bytes.isEmpty() && up.contains(copy.holder()) && retrievals < RETRIEVALS_PER_ROUND) {
                    // Offloaded: only the holders have it. Reading it back from this one proves the copy and gives
                    // the bytes for its next challenges.
                    retrievals++;
                    bytes = retrieve(copy, now);
                }
                if (bytes.isPresent()) {
                    audits.place(copy.chunk(), copy.holder(), bytes.get().length,
                            Challenge.create(bytes.get(), CHALLENGES_PER_COPY), now);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot read {0} for new challenges: {1}", copy.chunk().hex(), e);
            }
        }
        return results.size();
    }

    /**
     * Stores here again offloaded chunks whose folder no longer offloads: each is read from the fleet (rebuilt from
     * its shards, or fetched from a holder, checked against its id either way), stored durably, and only then no
     * longer marked offloaded. Counts against the round's byte budget.
     */
    private void bringBack(List<ChunkId> chunks, AtomicLong budget) {
        for (ChunkId id : chunks) {
            if (budget.get() <= 0 || closed) {
                return;
            }
            try {
                if (!store.has(id)) {
                    Optional<byte[]> bytes = remote.fetch(id, false); // still marked offloaded: read through, not kept
                    if (bytes.isEmpty()) {
                        continue; // not readable now; a later round tries again
                    }
                    budget.addAndGet(-bytes.get().length);
                    store.put(id, new ByteArrayInputStream(bytes.get()), bytes.get().length);
                }
                placement.shards().notOffloaded(id);
                placement.event("offload", "chunk " + id.hex().substring(0, 12)
                        + " is kept here again: its folder no longer offloads");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot keep chunk {0} here again: {1}", id.hex(), e.toString());
            }
        }
    }

    /**
     * Fetches {@code copy} from its holder, checked against its id as it streams, and records the outcome as an audit:
     * served intact passes; "not held" is missing and other bytes fail (the copy is lost and healed elsewhere). An
     * unreachable holder is tried again in a later round.
     */
    private Optional<byte[]> retrieve(AuditedCopy copy, Instant now) {
        AuditResult.Outcome outcome;
        Optional<byte[]> bytes = Optional.empty();
        try {
            bytes = remote.fetchFrom(copy.holder(), copy.chunk());
            outcome = bytes.isPresent() ? AuditResult.Outcome.PASSED : AuditResult.Outcome.MISSING;
        } catch (PeerRejection e) {
            outcome = AuditResult.Outcome.FAILED; // bytes that are not the copy
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read back {0} from {1}: {2}", copy.chunk().hex(),
                    copy.holder().shortForm(), e.toString());
            return Optional.empty();
        }
        try {
            audits.recordRetrieval(copy.chunk(), copy.holder(), outcome, now);
        } catch (IllegalStateException e) {
            return Optional.empty(); // forgotten meanwhile (released, or its holder left)
        }
        if (outcome != AuditResult.Outcome.PASSED) {
            placement.event("audit", copy.holder().shortForm() + (outcome == AuditResult.Outcome.MISSING
                    ? " no longer holds " : " served other bytes for ") + copy.chunk().hex().substring(0, 12));
        }
        return bytes;
    }

    /**
     * Offload: deletes the local copy of each chunk of an offloading folder whose full placement elsewhere was
     * confirmed in this round (a push acknowledgement, an inventory listing or a fetch since {@code since}) by members
     * that count — {@code factor} whole copies on other cells, or every shard of an erasure-coded chunk. The
     * version and placement rows stay; reads fetch the chunk from the fleet.
     *
     * @return chunks offloaded
     */
    private long offload(List<Map.Entry<Item, ChunkPolicy>> chunks, Set<CellId> counting, long since) {
        long done = 0;
        for (Map.Entry<Item, ChunkPolicy> e : chunks) {
            ChunkId id = ChunkId.of(e.getKey().id());
            ChunkPolicy policy = e.getValue();
            try {
                if (!store.has(id)) {
                    continue;
                }
                boolean placed;
                if (policy.erasure().isPresent()) {
                    placed = erasure.fullyPlacedSince(id, policy.erasure().get(), counting, since);
                } else {
                    Set<CellId> confirmed = placement.confirmedSince(id.hex(), since);
                    confirmed.retainAll(counting);
                    placed = confirmed.size() >= policy.factor();
                }
                if (placed && challengeCopies(id)) {
                    // Recorded first: a crash between the two leaves a local chunk marked offloaded, which the
                    // next round offloads again; never a missing chunk without its mark.
                    placement.shards().offloaded(id);
                    if (store.delete(id)) {
                        done++;
                    }
                }
            } catch (IOException | RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "offloading chunk {0} failed: {1}", id.hex(), ex.toString());
            }
        }
        if (done > 0) {
            placement.event("offload", "deleted the local copy of " + done + " chunk(s) placed in full elsewhere");
        }
        return done;
    }

    /**
     * Makes challenges for every tracked copy of {@code id} that has none, from the local chunk, before it goes away:
     * an offloaded chunk's copies can only be audited with challenges made while it was here.
     *
     * @return whether every held copy now has challenges (false when the local chunk cannot be read)
     */
    private boolean challengeCopies(ChunkId id) throws IOException {
        List<AuditedCopy> bare = audits.copies(id).stream().filter(c -> !c.lost() && c.challengesLeft() == 0).toList();
        if (bare.isEmpty()) {
            return true;
        }
        Optional<byte[]> bytes = local(id);
        if (bytes.isEmpty()) {
            return false;
        }
        for (AuditedCopy copy : bare) {
            audits.place(id, copy.holder(), bytes.get().length, Challenge.create(bytes.get(), CHALLENGES_PER_COPY),
                    clock.instant());
        }
        return true;
    }

    /** The per-folder settings ({@code replication.folders}). */
    public FolderPolicies folders() {
        return settings.folders();
    }

    /** The chunks of this cell not kept locally: they are read from the fleet. */
    public RemoteChunks remote() {
        return remote;
    }

    /** Signs receipts for what peers proved they hold for this cell and delivers the undelivered ones. */
    private void settle(Instant now) {
        try {
            ledger.issue(now, RECEIPT_PERIOD);
            for (SignedReceipt receipt : ledger.undelivered(100)) {
                try {
                    peers.call(receipt.receipt().payee(), route -> BountyClient.push(peers.client(), route, receipt));
                    ledger.delivered(receipt.receipt());
                } catch (IOException | PeerRejection e) {
                    LOG.log(System.Logger.Level.DEBUG, "receipt to {0} not delivered yet: {1}",
                            receipt.receipt().payee().shortForm(), e.toString());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "bounty settlement failed", e);
        }
    }

    private Optional<byte[]> local(ChunkId id) throws IOException {
        OptionalLong size = store.size(id);
        Optional<InputStream> in = size.isPresent() ? store.get(id) : Optional.empty();
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream data = in.get()) {
            if (size.getAsLong() > ChunkStore.MAX_CHUNK_BYTES) {
                throw new IOException("chunk " + id.hex() + " is larger than any chunk: " + size.getAsLong() + " bytes");
            }
            // One array of the stored size (readNBytes without a size would assemble it from pieces: twice the memory).
            byte[] bytes = new byte[(int) size.getAsLong()];
            int n = data.readNBytes(bytes, 0, bytes.length);
            if (n != bytes.length || data.read() >= 0) {
                throw new IOException("chunk " + id.hex() + " changed size while it was read");
            }
            return Optional.of(bytes);
        }
    }

    /** The chunk store this cell's data lives in. */
    public ChunkStore store() {
        return store;
    }

    /** The audits of copies of this cell's chunks. */
    public AuditBook audits() {
        return audits;
    }

    /** The storage-credit ledger. */
    public Ledger ledger() {
        return ledger;
    }

    /**
     * Asks holders that are up to release their copies of chunks no version of this cell references any more, once
     * they have stayed unreferenced for {@code gc.grace-period} (docs/replication.md "Orphaned copies").
     *
     * @return copies released
     */
    private long releaseOrphans(Instant now, Set<CellId> up) {
        if (now.toEpochMilli() < nextOrphanScan) {
            return 0;
        }
        Duration grace = settings.orphanGrace();
        nextOrphanScan = now.toEpochMilli() + Math.min(grace.toMillis(), ORPHAN_SCAN_EVERY.toMillis());
        Map<CellId, List<String>> byHolder = new HashMap<>();
        for (Map.Entry<String, CellId> copy : placement.orphanCopies(now.toEpochMilli(), grace.toMillis(),
                ReplicationOperations.MAX_IDS)) {
            if (up.contains(copy.getValue())) {
                byHolder.computeIfAbsent(copy.getValue(), k -> new ArrayList<>()).add(copy.getKey());
            }
        }
        long released = 0;
        for (Map.Entry<CellId, List<String>> holder : byHolder.entrySet()) {
            List<String> ids = holder.getValue();
            if (!releases.release(holder.getKey(), ids)) {
                continue;
            }
            released += ids.size();
            placement.event("release", holder.getKey().shortForm() + " released " + ids.size()
                    + " orphaned chunk(s) no version references");
        }
        return released;
    }

    /**
     * Releases every placed shard of {@code set} whose surplus has lasted {@code releaseAfter} (the chunk's whole
     * copies meet its factor), then forgets the set once no shard is held anywhere.
     *
     * @return shards released
     */
    private long releaseShards(ShardSet set, Duration releaseAfter, Instant now) {
        List<Item> shards = set.shards().stream().map(s -> new Item(s.hex(), Item.Kind.SHARD)).toList();
        long released = 0;
        boolean anyLeft = false;
        for (Map.Entry<String, Set<CellId>> shard : placement.holders(shards).entrySet()) {
            for (CellId holder : shard.getValue()) {
                if (erasure.releaseIfDue(shard.getKey(), holder, releaseAfter, now)) {
                    released++;
                } else {
                    anyLeft = true;
                }
            }
        }
        if (!anyLeft) {
            placement.shards().forget(set.chunk());
        }
        return released;
    }

    /** Releases {@code holder}'s copy of {@code item} once it has been surplus for {@code releaseAfter}. */
    private boolean releaseIfDue(Item item, CellId holder, Duration releaseAfter, Instant now) {
        return !placement.surplusSince(item.id(), holder).plus(releaseAfter).isAfter(now) && release(item, holder);
    }

    /** Tells {@code holder} it may drop its copy of {@code item}; forgets the holding when it agreed. */
    private boolean release(Item item, CellId holder) {
        if (item.kind() == Item.Kind.CHUNK) {
            if (!releases.release(holder, List.of(item.id()))) {
                return false;
            }
        } else {
            placement.released(item.id(), holder); // a manifest: its holder keeps it as long as it likes
        }
        placement.event("release", holder.shortForm() + " released its surplus copy of " + item.id().substring(0, 12));
        return true;
    }

    @Override
    public void close() {
        closed = true;
        eager.ifPresent(EagerPush::close);
        scheduler.shutdownNow();
        transfers.shutdownNow();
        try {
            // The database and the store close next: wait (bounded) for a round or transfer still writing to them.
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            transfers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
