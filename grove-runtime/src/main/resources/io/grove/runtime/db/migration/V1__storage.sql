-- The storage index: files, their versions, the chunks versions reference, and sealed manifests.
-- Everything here can be rebuilt from the sealed manifests and the chunk store with the master key;
-- docs/storage.md describes each column.

-- One row per path ever stored. file_key is the file's random key wrapped by the master key.
CREATE TABLE files (
    path        TEXT    PRIMARY KEY,
    file_key    BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Sealed manifests as stored and replicated (peers hold them without being able to read them).
-- id = lowercase hex SHA-256 of blob; it is also the version id.
CREATE TABLE manifests (
    id          TEXT    PRIMARY KEY,
    blob        BLOB    NOT NULL,
    author      TEXT    NOT NULL,
    stored_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- The readable index of versions, from the manifests this cell can open.
CREATE TABLE versions (
    id          TEXT    PRIMARY KEY REFERENCES manifests(id),
    path        TEXT    NOT NULL REFERENCES files(path),
    hlc         INTEGER NOT NULL,
    author      TEXT    NOT NULL,
    parent      TEXT,
    size        INTEGER NOT NULL,
    mtime       INTEGER NOT NULL,
    media_type  TEXT    NOT NULL,
    tombstone   INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX versions_by_path ON versions (path, hlc DESC, author DESC);
CREATE INDEX versions_by_parent ON versions (parent);

-- Chunk references of each version, in file order (the garbage collector's reference set).
CREATE TABLE version_chunks (
    version_id  TEXT    NOT NULL REFERENCES versions(id),
    seq         INTEGER NOT NULL,
    chunk_id    TEXT    NOT NULL,
    PRIMARY KEY (version_id, seq)
) WITHOUT ROWID;
CREATE INDEX version_chunks_by_chunk ON version_chunks (chunk_id);

-- Chunks this cell's versions reference, with their sizes (for stats and planning).
CREATE TABLE chunks (
    id            TEXT    PRIMARY KEY,
    stored_length INTEGER NOT NULL,
    plain_length  INTEGER NOT NULL,
    first_seen    INTEGER NOT NULL
) WITHOUT ROWID;
