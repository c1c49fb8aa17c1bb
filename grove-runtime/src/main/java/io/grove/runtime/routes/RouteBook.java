package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.api.transport.Transport;
import io.grove.runtime.db.Database;
import io.grove.runtime.fleet.Member;
import io.grove.runtime.fleet.Membership;
import io.grove.runtime.fleet.Roster;
import io.grove.runtime.fleet.RosterBook;
import io.grove.runtime.peer.PeerCallException;
import io.grove.runtime.peer.PeerClient;
import io.grove.runtime.peer.PeerMessages;
import io.grove.runtime.peer.PeerRejection;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Which routes lead to each peer and how good they are: collects candidates from every transport and from discovery,
 * probes them (latency always, throughput when due), ranks them by {@code latency_ms − throughput_MBps × 0.1}, runs
 * peer calls over the best one with fallback to the next, and keeps per-peer health (last seen, hourly uptime).
 * Measurements and health live in SQLite ({@code V5__routes.sql}) so they survive restarts. Thread-safe.
 *
 * <p>Outcomes of probes are written at once; outcomes of ordinary calls (which may be many per second during a sync)
 * are kept in memory and written at most once a minute, at the end of each probe round and on {@link #close()}.
 */
public final class RouteBook implements AutoCloseable {
    /** The most candidate routes considered per peer. */
    public static final int MAX_CANDIDATES = 16;
    /** The most routes one call tries before giving up. */
    public static final int MAX_CALL_ATTEMPTS = 8;
    /** The bytes of one latency ping and of one throughput echo (the protocol's ping limit, 256 KiB). */
    static final int LATENCY_PING_BYTES = 32;
    static final int THROUGHPUT_PING_BYTES = PeerMessages.MAX_PING_BYTES;
    /** Latency samples per probe; the median is kept. */
    static final int LATENCY_SAMPLES = 3;
    /** Routes whose last activity is older than this are forgotten. */
    static final Duration ROUTE_RETENTION = Duration.ofDays(30);
    private static final Duration FLUSH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_ADDRESS_LENGTH = 2048;
    private static final int MAX_TRANSPORT_ID_LENGTH = 64;
    private static final System.Logger LOG = System.getLogger(RouteBook.class.getName());

    private final PeerClient client;
    private final Map<String, Transport> transports;
    private final Membership membership;
    private final Optional<Supplier<Collection<CellId>>> roster;
    private final CellId self;
    private final Clock clock;
    private final RouteSettings settings;
    private final RouteTable table;
    private final Discoveries discoveries;
    private final Map<Route, RouteState> states = new ConcurrentHashMap<>();
    private final Map<CellId, Instant> seen = new ConcurrentHashMap<>();
    private final Set<Route> dirtyRoutes = ConcurrentHashMap.newKeySet();
    private final Set<CellId> dirtySeen = ConcurrentHashMap.newKeySet();
    private final ExecutorService pings = Executors.newVirtualThreadPerTaskExecutor();
    private final Object lifecycle = new Object();
    private volatile Instant lastFlush;
    private ScheduledExecutorService scheduler;
    private boolean closed;

    /**
     * A book over the cell's database. Members to probe come from the roster when {@code membership} is the cell's
     * {@link RosterBook}; otherwise from the peers this book already knows (see the other constructor).
     *
     * @param db         the cell database
     * @param client     signs, sends and verifies the probes
     * @param transports the running transports by instance id, in the order of preference for unmeasured routes
     * @param membership who is a member now; only members' routes are candidates
     * @param self       this cell, never probed
     * @param clock      the time of measurements, back-offs and uptime buckets
     * @param settings   probe and throughput intervals, timeouts, concurrency
     */
    public RouteBook(Database db, PeerClient client, Map<String, Transport> transports, Membership membership,
                     CellId self, Clock clock, RouteSettings settings) {
        this(db, client, transports, membership, rosterOf(membership), self, clock, settings, true);
    }

    /**
     * A book that probes the cells {@code roster} lists (those {@code membership} still accepts).
     *
     * @param roster the current members' ids; called once per probe round
     */
    public RouteBook(Database db, PeerClient client, Map<String, Transport> transports, Membership membership,
                     Supplier<Collection<CellId>> roster, CellId self, Clock clock, RouteSettings settings) {
        this(db, client, transports, membership, Optional.ofNullable(roster), self, clock, settings,
                roster != null);
    }

    private RouteBook(Database db, PeerClient client, Map<String, Transport> transports, Membership membership,
                      Optional<Supplier<Collection<CellId>>> roster, CellId self, Clock clock, RouteSettings settings,
                      boolean rosterGiven) {
        if (db == null || client == null || transports == null || membership == null || !rosterGiven
                || self == null || clock == null || settings == null) {
            throw new IllegalArgumentException("a route book needs a database, a peer client, transports,"
                    + " a membership, a roster, its own id, a clock and settings");
        }
        this.client = client;
        this.transports = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(transports));
        this.membership = membership;
        this.roster = roster;
        this.self = self;
        this.clock = clock;
        this.settings = settings;
        this.table = new RouteTable(db);
        this.discoveries = new Discoveries(clock);
        this.states.putAll(table.loadRoutes());
        this.seen.putAll(table.loadSeen());
        this.lastFlush = clock.instant();
    }

    /** The probe and ranking settings. */
    public RouteSettings settings() {
        return settings;
    }

    /**
     * A route a transport discovered. A member's route becomes a candidate (probed before it is preferred); any other
     * cell is only listed by {@link #nearby()}.
     */
    public void discovered(Route route) {
        if (route == null || route.peer().equals(self) || !acceptable(route)) {
            return;
        }
        boolean member = isPeer(route.peer());
        discoveries.add(route, member);
        LOG.log(System.Logger.Level.DEBUG, "{0} route to {1} discovered via {2}", member ? "member" : "nearby",
                route.peer().shortForm(), route.transport());
    }

    /** A discovered route that is gone; its measurements stay until they age out. */
    public void lost(Route route) {
        if (route != null) {
            discoveries.remove(route);
        }
    }

    /**
     * The candidate routes to a member, best first: every transport's {@code routes(peer)} then the discovered ones
     * (at most {@link #MAX_CANDIDATES}), ordered measured by score, then never measured (in transport order), then
     * those failing recently (by when their back-off ends). Empty for a cell that is not a member, and for this cell.
     */
    public List<RankedRoute> ranked(CellId peer) {
        if (!isPeer(peer)) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Route> candidates = candidates(peer);
        record Entry(RankedRoute ranked, RouteState state, int order) {
        }
        List<Entry> entries = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Route route = candidates.get(i);
            RouteState state = states.getOrDefault(route, RouteState.UNKNOWN);
            entries.add(new Entry(ranked(route, state, now), state, i));
        }
        Comparator<Entry> order = Comparator.<Entry>comparingInt(e -> group(e.state(), now))
                .thenComparingDouble(e -> group(e.state(), now) == 0 ? e.state().score().getAsDouble() : 0)
                .thenComparing(e -> e.state().retryAt().orElse(Instant.MIN))
                .thenComparingInt(Entry::order);
        entries.sort(order);
        return entries.stream().map(Entry::ranked).toList();
    }

    /**
     * Runs {@code call} over the best route to {@code peer}; when a route fails with an {@link IOException} (or an
     * answer that is not the peer's valid signed response) its failure is recorded and the next route is tried, at
     * most {@link #MAX_CALL_ATTEMPTS}. A signed refusal ({@link PeerCallException}) is the peer answering: the route
     * counts as working and the refusal is thrown without trying others.
     *
     * @throws IOException naming the peer and every attempt when no route works, or the peer is not a member
     */
    public <T> T call(CellId peer, RouteCall<T> call) throws IOException {
        if (!isPeer(peer)) {
            throw new IOException("cell " + peer.shortForm() + " is not a member of this fleet; it is not called");
        }
        List<RankedRoute> routes = ranked(peer);
        if (routes.isEmpty()) {
            throw new IOException("no route to peer " + peer.shortForm() + ": no transport reports an address for it");
        }
        List<String> attempts = new ArrayList<>();
        List<Exception> causes = new ArrayList<>();
        for (RankedRoute ranked : routes.subList(0, Math.min(routes.size(), MAX_CALL_ATTEMPTS))) {
            Route route = ranked.route();
            try {
                T result = call.on(route);
                succeeded(route);
                return result;
            } catch (PeerCallException refused) {
                succeeded(route);
                throw refused;
            } catch (IOException | PeerRejection e) {
                failed(route);
                attempts.add(route.transport() + " " + route.address() + ": " + e.getMessage());
                causes.add(e);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            } finally {
                flushIfDue();
            }
        }
        IOException all = new IOException("cannot reach peer " + peer.shortForm() + " over " + attempts.size()
                + " route(s): " + String.join("; ", attempts));
        causes.forEach(all::addSuppressed);
        throw all;
    }

    /**
     * Measures every candidate route of a member that is not backing off: the median of {@value #LATENCY_SAMPLES}
     * small pings, and a 256 KiB echo when its throughput figure is older than the throughput interval. Counts one
     * probe round in the peer's uptime (reached when any route answered) and stores the results. A cell that is not
     * a member is not contacted.
     */
    public PeerHealth probe(CellId peer) {
        if (!isPeer(peer)) {
            return health(peer);
        }
        boolean reached = false;
        boolean interrupted = false;
        Set<Route> touched = new LinkedHashSet<>();
        for (RankedRoute ranked : ranked(peer)) {
            Route route = ranked.route();
            if (states.getOrDefault(route, RouteState.UNKNOWN).backingOff(clock.instant())) {
                continue;
            }
            touched.add(route);
            try {
                double latency = latency(route);
                update(route, s -> s.measured(latency, clock.instant()));
                reached = true;
                if (states.get(route).throughputDue(clock.instant(), settings.throughputInterval())) {
                    double mbps = throughput(route, latency);
                    update(route, s -> s.withThroughput(mbps, clock.instant()));
                }
            } catch (PeerCallException refused) {
                // A signed refusal (say, its roster does not list us yet): the route and the peer work, the figures
                // of an echo are not available.
                succeeded(route);
                reached = true;
                LOG.log(System.Logger.Level.INFO, "peer {0} refused a probe via {1}: {2}", peer.shortForm(),
                        route.transport(), refused.status());
            } catch (IOException e) {
                update(route, s -> s.failed(clock.instant()));
                LOG.log(System.Logger.Level.DEBUG, "probe of {0} via {1} {2} failed: {3}", peer.shortForm(),
                        route.transport(), route.address(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                interrupted = true;
                break;
            }
        }
        Instant now = clock.instant();
        if (reached) {
            seen.merge(peer, now, (a, b) -> a.isAfter(b) ? a : b);
        }
        Map<Route, RouteState> changed = new HashMap<>();
        touched.forEach(r -> changed.put(r, states.get(r)));
        dirtyRoutes.removeAll(touched);
        Map<CellId, Instant> seenNow = reached ? Map.of(peer, seen.get(peer)) : Map.of();
        // An interrupted round says nothing about the peer, so it is not counted in its uptime.
        table.save(changed, seenNow, Optional.of(peer), interrupted ? Optional.empty() : Optional.of(reached), now);
        return health(peer);
    }

    /**
     * Probes every current member except this cell, {@link RouteSettings#maxProbeConcurrency()} at a time, giving up
     * on what is still running after one probe interval; then forgets what belongs to cells no longer members and
     * stores pending call outcomes.
     */
    public void probeAll() {
        List<CellId> peers = members();
        if (!peers.isEmpty()) {
            List<Callable<PeerHealth>> tasks = peers.stream().<Callable<PeerHealth>>map(p -> () -> probe(p)).toList();
            try (ExecutorService pool = Executors.newFixedThreadPool(settings.maxProbeConcurrency(),
                    Thread.ofVirtual().name("grove-probe-", 0).factory())) {
                List<Future<PeerHealth>> done = pool.invokeAll(tasks, settings.probeInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
                long late = done.stream().filter(Future::isCancelled).count();
                if (late > 0) {
                    LOG.log(System.Logger.Level.WARNING, "{0} of {1} peer probes did not finish within {2}; cancelled",
                            late, peers.size(), settings.probeInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        prune();
        flush();
    }

    /** Cells that transports discovered and that are not members, newest first (at most 256, for 10 minutes). */
    public List<Nearby> nearby() {
        return discoveries.nearby(this::isMemberOrSelf);
    }

    /** A peer's health from what is stored and its current candidates; no network traffic. */
    public PeerHealth health(CellId peer) {
        Instant now = clock.instant();
        List<RankedRoute> routes = ranked(peer);
        boolean up = routes.stream().anyMatch(RankedRoute::up);
        return new PeerHealth(peer, Optional.ofNullable(seen.get(peer)), up, table.uptime(peer, now, 24),
                table.uptime(peer, now, 7 * 24), routes);
    }

    /** Starts probing every member in the background, at once and then every probe interval. */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the route book is closed");
            }
            if (scheduler != null) {
                throw new IllegalStateException("the route book is already started");
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "grove-routes");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::round, 0, settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Stops background probing and stores pending outcomes. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            running = scheduler;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                if (!running.awaitTermination(settings.callTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "route probing did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pings.shutdownNow();
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not store route outcomes on close: " + e.getMessage());
        }
    }

    /** The number of stored uptime buckets of a peer (for tests). */
    int uptimeBuckets(CellId peer) {
        return table.buckets(peer);
    }

    private void round() {
        try {
            probeAll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "route probe round failed: " + e.getMessage(), e);
        }
    }

    private List<Route> candidates(CellId peer) {
        Set<Route> out = new LinkedHashSet<>();
        for (Map.Entry<String, Transport> transport : transports.entrySet()) {
            List<Route> reported;
            try {
                reported = transport.getValue().routes(peer);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "transport {0} failed to list routes: {1}", transport.getKey(),
                        e.toString());
                continue;
            }
            for (Route route : reported == null ? List.<Route>of() : reported) {
                if (route != null && route.peer().equals(peer) && route.transport().equals(transport.getKey())
                        && acceptable(route) && out.size() < MAX_CANDIDATES) {
                    out.add(route);
                }
            }
        }
        for (Route route : discoveries.routes(peer)) {
            if (transports.containsKey(route.transport()) && out.size() < MAX_CANDIDATES) {
                out.add(route);
            }
        }
        return List.copyOf(out);
    }

    private RankedRoute ranked(Route route, RouteState s, Instant now) {
        return new RankedRoute(route, s.latencyMs(), s.throughputMBps(), s.score(), s.measuredAt(), s.failures(),
                s.up(now, settings.probeInterval().multipliedBy(3)), s.throughputAt());
    }

    /** 0: measured and not backing off; 1: never measured, not backing off; 2: backing off after failures. */
    private static int group(RouteState s, Instant now) {
        if (s.backingOff(now)) {
            return 2;
        }
        return s.latencyMs().isPresent() ? 0 : 1;
    }

    private double latency(Route route) throws IOException, InterruptedException {
        double[] samples = new double[LATENCY_SAMPLES];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = millis(ping(route, LATENCY_PING_BYTES));
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    /**
     * MB/s of one 256 KiB echo: the bytes moved both ways over the echo's time less one round trip (the latency
     * just measured), that difference floored at a tenth of the echo so a noisy latency sample cannot inflate it.
     */
    private double throughput(Route route, double latencyMs) throws IOException, InterruptedException {
        double echoMs = millis(ping(route, THROUGHPUT_PING_BYTES));
        double transferMs = Math.max(echoMs - latencyMs, echoMs / 10);
        return 2.0 * THROUGHPUT_PING_BYTES / 1e6 / (transferMs / 1000);
    }

    /** One ping, bounded by the call timeout whatever the transport does. */
    private Duration ping(Route route, int size) throws IOException, InterruptedException {
        byte[] payload = new byte[size];
        ThreadLocalRandom.current().nextBytes(payload);
        Future<Duration> echo;
        try {
            echo = pings.submit(() -> client.ping(route, payload));
        } catch (RejectedExecutionException e) {
            throw new IOException("the route book is closed");
        }
        try {
            return echo.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            echo.cancel(true);
            throw new IOException("no echo within " + settings.callTimeout());
        } catch (InterruptedException e) {
            echo.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof PeerRejection rejected) {
                throw new IOException("invalid answer: " + rejected, rejected);
            }
            throw new IllegalStateException("ping failed unexpectedly", cause);
        }
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private void succeeded(Route route) {
        Instant now = clock.instant();
        update(route, s -> s.succeeded(now));
        dirtyRoutes.add(route);
        seen.merge(route.peer(), now, (a, b) -> a.isAfter(b) ? a : b);
        dirtySeen.add(route.peer());
    }

    private void failed(Route route) {
        update(route, s -> s.failed(clock.instant()));
        dirtyRoutes.add(route);
    }

    private void update(Route route, java.util.function.UnaryOperator<RouteState> change) {
        states.compute(route, (r, s) -> change.apply(s == null ? RouteState.UNKNOWN : s));
    }

    private void flushIfDue() {
        if (!clock.instant().isBefore(lastFlush.plus(FLUSH_INTERVAL))) {
            flush();
        }
    }

    /** Stores the outcomes of calls made since the last flush. */
    private synchronized void flush() {
        lastFlush = clock.instant();
        if (dirtyRoutes.isEmpty() && dirtySeen.isEmpty()) {
            return;
        }
        Map<Route, RouteState> routes = new HashMap<>();
        for (Route route : List.copyOf(dirtyRoutes)) {
            dirtyRoutes.remove(route);
            RouteState state = states.get(route);
            if (state != null) {
                routes.put(route, state);
            }
        }
        Map<CellId, Instant> times = new HashMap<>();
        for (CellId peer : List.copyOf(dirtySeen)) {
            dirtySeen.remove(peer);
            Instant at = seen.get(peer);
            if (at != null) {
                times.put(peer, at);
            }
        }
        table.save(routes, times, Optional.empty(), Optional.empty(), lastFlush);
    }

    /**
     * Forgets cells that are no longer members (memory and database), routes idle for {@link #ROUTE_RETENTION},
     * routes beyond the per-peer cap (least recently active first) and uptime buckets past their retention.
     */
    private void prune() {
        Instant now = clock.instant();
        discoveries.retainMembers(this::isPeer);
        List<Route> dropped = new ArrayList<>();
        Map<CellId, List<Route>> byPeer = new HashMap<>();
        for (Map.Entry<Route, RouteState> e : states.entrySet()) {
            Route route = e.getKey();
            boolean idle = e.getValue().lastActivity().map(at -> at.plus(ROUTE_RETENTION).isBefore(now)).orElse(true);
            if (!isPeer(route.peer()) || idle) {
                dropped.add(route);
            } else {
                byPeer.computeIfAbsent(route.peer(), p -> new ArrayList<>()).add(route);
            }
        }
        for (List<Route> routes : byPeer.values()) {
            if (routes.size() > MAX_CANDIDATES * 2) {
                routes.sort(Comparator.comparing((Route r) -> states.get(r).lastActivity().orElse(Instant.MIN))
                        .reversed());
                dropped.addAll(routes.subList(MAX_CANDIDATES * 2, routes.size()));
            }
        }
        dropped.forEach(r -> {
            states.remove(r);
            dirtyRoutes.remove(r);
        });
        seen.keySet().removeIf(peer -> !isPeer(peer));
        dirtySeen.removeIf(peer -> !isPeer(peer));
        table.prune(this::isPeer, dropped, now);
    }

    /** Current members other than this cell, in roster order, at most the roster's limit. */
    private List<CellId> members() {
        Collection<CellId> listed = roster.map(Supplier::get).orElseGet(() -> {
            Set<CellId> known = new HashSet<>(seen.keySet());
            states.keySet().forEach(r -> known.add(r.peer()));
            discoveries.members().forEach(known::add);
            return known;
        });
        return listed.stream().distinct().filter(this::isPeer).limit(Roster.MAX_MEMBERS).toList();
    }

    private boolean isPeer(CellId cell) {
        return cell != null && !cell.equals(self) && membership.member(cell).isPresent();
    }

    private boolean isMemberOrSelf(CellId cell) {
        return cell.equals(self) || membership.member(cell).isPresent();
    }

    private static boolean acceptable(Route route) {
        return route.transport().length() <= MAX_TRANSPORT_ID_LENGTH
                && route.address().toString().length() <= MAX_ADDRESS_LENGTH;
    }

    /**
     * The members of the cell's roster when {@code membership} is a {@link RosterBook}; otherwise empty, meaning
     * "the peers this book already knows" (measured, seen or discovered), since a {@link Membership} cannot list.
     */
    private static Optional<Supplier<Collection<CellId>>> rosterOf(Membership membership) {
        if (membership instanceof RosterBook book) {
            return Optional.of(() -> book.current()
                    .map(s -> s.roster().members().stream().map(Member::id).toList())
                    .orElse(List.of()));
        }
        return Optional.empty();
    }
}
