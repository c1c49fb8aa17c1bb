-- Orphans the garbage collector found in the chunk store: chunks no version references and the chunks table does not
-- list. The store keeps no age of its own, so first_seen (epoch milliseconds, the first run that found the chunk
-- orphaned) is what gc.grace-period is measured from. A row is dropped when its chunk is referenced again, leaves
-- the store or is deleted by the collector.
CREATE TABLE gc_candidates (
    chunk_id    TEXT    PRIMARY KEY,
    first_seen  INTEGER NOT NULL
) WITHOUT ROWID;
