-- Replication (docs/replication.md).

-- Which other cells hold this cell's chunks and sealed manifests, and how that was last confirmed.
-- kind: 'c' chunk, 'm' sealed manifest. proof: 'push' (the peer acknowledged storing it), 'inventory' (listed in
-- its inventory), 'has' (answered chunk.has).
CREATE TABLE holdings (
    item_id      TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    cell_id      TEXT    NOT NULL,
    confirmed_at INTEGER NOT NULL,
    proof        TEXT    NOT NULL,
    PRIMARY KEY (item_id, cell_id)
) WITHOUT ROWID;
CREATE INDEX holdings_by_cell ON holdings (cell_id, confirmed_at);

-- Chunks this cell holds for other cells (pushed to it with chunk.put). Garbage collection keeps them until their
-- owner releases them (chunk.release) or leaves the fleet.
CREATE TABLE held_chunks (
    chunk_id    TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (chunk_id, owner)
) WITHOUT ROWID;
CREATE INDEX held_chunks_by_owner ON held_chunks (owner);

-- Copies above the factor, first seen when: released only after they stayed surplus for a while (hysteresis).
CREATE TABLE surplus (
    item_id TEXT    NOT NULL,
    cell_id TEXT    NOT NULL,
    since   INTEGER NOT NULL,
    PRIMARY KEY (item_id, cell_id)
) WITHOUT ROWID;

-- Where the inventory pass over each peer continues, and when the current pass started.
CREATE TABLE sync_cursors (
    cell_id     TEXT    PRIMARY KEY,
    after       TEXT    NOT NULL,
    pass_start  INTEGER NOT NULL
) WITHOUT ROWID;

-- Recent replication activity, newest last; pruned to the newest 1000.
CREATE TABLE sync_events (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    kind   TEXT    NOT NULL,
    detail TEXT    NOT NULL
);
