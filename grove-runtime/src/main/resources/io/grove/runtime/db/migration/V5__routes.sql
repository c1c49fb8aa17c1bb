-- Routes and peer health (io.grove.runtime.routes, docs/fleet.md "Routes and health"). Every table is bounded by
-- the roster (rows of cells that are no longer members are pruned), by a per-peer route cap and by age.

-- The last measurements and outcomes of one route to one peer. latency_ms is the median of a few small pings,
-- throughput_mbps (MB/s, 10^6 bytes) comes from a 256 KiB echo; NULL until measured. Times are epoch milliseconds.
-- failures counts consecutive failed attempts (probes and calls); a success resets it.
CREATE TABLE route_stats (
    peer            TEXT    NOT NULL,
    transport       TEXT    NOT NULL,
    address         TEXT    NOT NULL,
    latency_ms      REAL,
    throughput_mbps REAL,
    measured_at     INTEGER,
    throughput_at   INTEGER,
    failures        INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    failed_at       INTEGER,
    ok_at           INTEGER,
    PRIMARY KEY (peer, transport, address)
) WITHOUT ROWID;

-- When a peer last answered anything, over any route.
CREATE TABLE peer_seen (
    peer        TEXT    PRIMARY KEY,
    last_seen   INTEGER NOT NULL
) WITHOUT ROWID;

-- Uptime history: per peer and hour (epoch milliseconds / 3,600,000), how many probe rounds reached it. Kept 30 days.
CREATE TABLE peer_uptime (
    peer    TEXT    NOT NULL,
    hour    INTEGER NOT NULL,
    ok      INTEGER NOT NULL CHECK (ok >= 0),
    total   INTEGER NOT NULL CHECK (total >= ok),
    PRIMARY KEY (peer, hour)
) WITHOUT ROWID;
