-- Folders watched because someone added them at runtime (dashboard Settings, REST /api/v1/watch), next to the ones
-- configured by watch.folders. name is the Grove path prefix of what is stored from the folder; dir is the absolute,
-- normalised directory on this cell's disk. Removing a row stops the watching; what was stored stays.
CREATE TABLE watched_folders (
    name     TEXT    NOT NULL PRIMARY KEY,
    dir      TEXT    NOT NULL UNIQUE,
    added_at INTEGER NOT NULL
) WITHOUT ROWID;
