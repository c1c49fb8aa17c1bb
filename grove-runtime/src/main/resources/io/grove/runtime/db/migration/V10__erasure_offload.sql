-- Erasure-coded placement and offload (docs/replication.md, "Erasure-coded folders" and "Offload").

-- The Reed-Solomon shard set of each erasure-coded chunk of this cell: k data + m parity shards of the sealed chunk.
CREATE TABLE shard_sets (
    chunk_id        TEXT    PRIMARY KEY,
    k               INTEGER NOT NULL,
    m               INTEGER NOT NULL,
    original_length INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
) WITHOUT ROWID;

-- The shard ids of each set in index order (0 … k-1 data, k … k+m-1 parity). A shard id is the SHA-256 of the shard;
-- its holders are recorded in holdings with kind 's'.
CREATE TABLE shards (
    chunk_id TEXT    NOT NULL REFERENCES shard_sets(chunk_id),
    idx      INTEGER NOT NULL,
    shard_id TEXT    NOT NULL,
    PRIMARY KEY (chunk_id, idx)
) WITHOUT ROWID;
CREATE INDEX shards_by_id ON shards (shard_id);

-- Chunks of this cell whose local copy was deleted once their placement elsewhere was confirmed (offload). The
-- version rows stay; reads fetch the chunk (or k shards) from the fleet. A chunk written locally again is simply
-- offloaded again by a later round.
CREATE TABLE offloaded (
    chunk_id TEXT    PRIMARY KEY,
    at       INTEGER NOT NULL
) WITHOUT ROWID;
