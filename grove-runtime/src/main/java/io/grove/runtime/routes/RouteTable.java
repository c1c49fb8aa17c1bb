package io.grove.runtime.routes;

import io.grove.api.CellId;
import io.grove.api.transport.Route;
import io.grove.runtime.db.Database;
import org.jdbi.v3.core.Handle;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * The SQLite side of the {@link RouteBook}: route measurements, last-seen times and hourly uptime buckets
 * (tables of {@code V5__routes.sql}), so that health survives restarts.
 */
final class RouteTable {
    /** Hourly uptime buckets are kept this long. */
    static final int KEPT_HOURS = 30 * 24;
    private static final long HOUR_MS = 3_600_000L;
    private static final System.Logger LOG = System.getLogger(RouteTable.class.getName());

    private final Database db;

    RouteTable(Database db) {
        if (db == null) {
            throw new IllegalArgumentException("a route table needs a database");
        }
        this.db = db;
    }

    /** The hour bucket of an instant. */
    static long hour(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), HOUR_MS);
    }

    /** Every stored route state; rows that no longer parse are skipped. */
    Map<Route, RouteState> loadRoutes() {
        Map<Route, RouteState> out = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT peer, transport, address, latency_ms, throughput_mbps,"
                        + " measured_at, throughput_at, failures, failed_at, ok_at FROM route_stats")
                .map((rs, ctx) -> {
                    try {
                        Route route = new Route(CellId.parse(rs.getString("peer")), rs.getString("transport"),
                                URI.create(rs.getString("address")));
                        return Optional.of(Map.entry(route, new RouteState(real(rs, "latency_ms"),
                                real(rs, "throughput_mbps"), instant(rs, "measured_at"), instant(rs, "throughput_at"),
                                rs.getInt("failures"), instant(rs, "failed_at"), instant(rs, "ok_at"))));
                    } catch (IllegalArgumentException e) {
                        LOG.log(System.Logger.Level.WARNING, "skipping an unreadable route_stats row: {0}", e.getMessage());
                        return Optional.<Map.Entry<Route, RouteState>>empty();
                    }
                })
                .forEach(row -> row.ifPresent(e -> out.put(e.getKey(), e.getValue()))));
        return out;
    }

    /** Every stored last-seen time. */
    Map<CellId, Instant> loadSeen() {
        Map<CellId, Instant> out = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT peer, last_seen FROM peer_seen")
                .map((rs, ctx) -> Map.entry(rs.getString("peer"), rs.getLong("last_seen")))
                .forEach(e -> {
                    try {
                        out.put(CellId.parse(e.getKey()), Instant.ofEpochMilli(e.getValue()));
                    } catch (IllegalArgumentException bad) {
                        LOG.log(System.Logger.Level.WARNING, "skipping an unreadable peer_seen row");
                    }
                }));
        return out;
    }

    /**
     * Stores route states and last-seen times, and, when {@code round} is present, counts one probe round of
     * {@code roundPeer} (reached or not) in the bucket of {@code roundAt} — all in one transaction.
     */
    void save(Map<Route, RouteState> routes, Map<CellId, Instant> seen, Optional<CellId> roundPeer,
              Optional<Boolean> round, Instant roundAt) {
        db.jdbi().useTransaction(h -> {
            for (Map.Entry<Route, RouteState> e : routes.entrySet()) {
                upsert(h, e.getKey(), e.getValue());
            }
            for (Map.Entry<CellId, Instant> e : seen.entrySet()) {
                h.createUpdate("INSERT INTO peer_seen (peer, last_seen) VALUES (?, ?) ON CONFLICT (peer)"
                                + " DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)")
                        .bind(0, e.getKey().value()).bind(1, e.getValue().toEpochMilli()).execute();
            }
            if (roundPeer.isPresent() && round.isPresent()) {
                int ok = round.get() ? 1 : 0;
                h.createUpdate("INSERT INTO peer_uptime (peer, hour, ok, total) VALUES (?, ?, ?, 1) ON CONFLICT"
                                + " (peer, hour) DO UPDATE SET ok = ok + excluded.ok, total = total + 1")
                        .bind(0, roundPeer.get().value()).bind(1, hour(roundAt)).bind(2, ok).execute();
            }
        });
    }

    /**
     * The share of probe rounds that reached {@code peer} over the last {@code hours} hourly buckets up to and
     * including the one of {@code now}; 0 when there were none.
     */
    double uptime(CellId peer, Instant now, int hours) {
        long current = hour(now);
        long[] sums = db.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(sum(ok), 0) AS ok,"
                        + " coalesce(sum(total), 0) AS total FROM peer_uptime WHERE peer = ? AND hour > ? AND hour <= ?")
                .bind(0, peer.value()).bind(1, current - hours).bind(2, current)
                .map((rs, ctx) -> new long[]{rs.getLong("ok"), rs.getLong("total")}).one());
        return sums[1] == 0 ? 0 : Math.min(1.0, (double) sums[0] / sums[1]);
    }

    /** The number of uptime buckets stored for {@code peer} (for tests and diagnostics). */
    int buckets(CellId peer) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM peer_uptime WHERE peer = ?")
                .bind(0, peer.value()).mapTo(Integer.class).one());
    }

    /**
     * Deletes what must not be kept: every row of a cell {@code keep} rejects (no longer a member), the given routes,
     * and uptime buckets older than {@link #KEPT_HOURS}.
     */
    void prune(Predicate<CellId> keep, Collection<Route> dropped, Instant now) {
        db.jdbi().useTransaction(h -> {
            List<String> peers = h.createQuery("SELECT peer FROM route_stats UNION SELECT peer FROM peer_seen"
                    + " UNION SELECT peer FROM peer_uptime").mapTo(String.class).list();
            for (String peer : peers) {
                boolean member;
                try {
                    member = keep.test(CellId.parse(peer));
                } catch (IllegalArgumentException e) {
                    member = false;
                }
                if (!member) {
                    for (String table : List.of("route_stats", "peer_seen", "peer_uptime")) {
                        h.createUpdate("DELETE FROM " + table + " WHERE peer = ?").bind(0, peer).execute();
                    }
                }
            }
            for (Route route : dropped) {
                h.createUpdate("DELETE FROM route_stats WHERE peer = ? AND transport = ? AND address = ?")
                        .bind(0, route.peer().value()).bind(1, route.transport()).bind(2, route.address().toString())
                        .execute();
            }
            h.createUpdate("DELETE FROM peer_uptime WHERE hour <= ?").bind(0, hour(now) - KEPT_HOURS).execute();
        });
    }

    private static void upsert(Handle h, Route route, RouteState s) {
        h.createUpdate("INSERT INTO route_stats (peer, transport, address, latency_ms, throughput_mbps, measured_at,"
                        + " throughput_at, failures, failed_at, ok_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (peer, transport, address) DO UPDATE SET latency_ms = excluded.latency_ms,"
                        + " throughput_mbps = excluded.throughput_mbps, measured_at = excluded.measured_at,"
                        + " throughput_at = excluded.throughput_at, failures = excluded.failures,"
                        + " failed_at = excluded.failed_at, ok_at = excluded.ok_at")
                .bind(0, route.peer().value()).bind(1, route.transport()).bind(2, route.address().toString())
                .bind(3, s.latencyMs().isPresent() ? s.latencyMs().getAsDouble() : null)
                .bind(4, s.throughputMBps().isPresent() ? s.throughputMBps().getAsDouble() : null)
                .bind(5, millis(s.measuredAt())).bind(6, millis(s.throughputAt())).bind(7, s.failures())
                .bind(8, millis(s.failedAt())).bind(9, millis(s.okAt()))
                .execute();
    }

    private static Long millis(Optional<Instant> at) {
        return at.map(Instant::toEpochMilli).orElse(null);
    }

    private static OptionalDouble real(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() || !Double.isFinite(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }
}
