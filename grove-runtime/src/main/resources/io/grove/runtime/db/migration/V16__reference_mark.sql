-- Whether this index has ever recorded a chunk reference: a version's chunk (version_chunks) or a chunk held for
-- another cell (held_chunks). The garbage collector refuses to run on a store with chunks and an index without any
-- reference, as a lost or replaced grove.db looks like that; this mark tells that apart from a cell whose last
-- references went away on their own, e.g. a cell that only stored other cells' chunks and released them all when
-- their owners left (docs/maintenance.md). Set by triggers, so no code path can forget it.
CREATE TABLE index_marks (
    name TEXT PRIMARY KEY
) WITHOUT ROWID;

INSERT INTO index_marks (name)
SELECT 'referenced' WHERE EXISTS (SELECT 1 FROM version_chunks) OR EXISTS (SELECT 1 FROM held_chunks);

CREATE TRIGGER mark_referenced_by_version AFTER INSERT ON version_chunks
BEGIN
    INSERT OR IGNORE INTO index_marks (name) VALUES ('referenced');
END;

CREATE TRIGGER mark_referenced_by_holding AFTER INSERT ON held_chunks
BEGIN
    INSERT OR IGNORE INTO index_marks (name) VALUES ('referenced');
END;
