-- Sharing and chat (docs/sharing.md).

-- Grants this cell made (owner side) and grants it received (recipient side, the Feed). One row per grant; the
-- grant's signed canonical JSON is kept verbatim so it can be re-verified. revoked_at > 0 is the tombstone: a
-- revoked grant is never served, never shown in the Feed, and a replay of its bytes is refused.
CREATE TABLE grants (
    grant_id   TEXT    NOT NULL PRIMARY KEY,
    direction  TEXT    NOT NULL CHECK (direction IN ('out', 'in')),
    creator    TEXT    NOT NULL,
    recipient  TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    version_id TEXT    NOT NULL,
    latest     INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0,
    signed     BLOB    NOT NULL
) WITHOUT ROWID;
CREATE INDEX grants_by_direction ON grants (direction, created_at);

-- Paths whose next version must get a fresh file key (a grant of that path was revoked). FileService consumes
-- the mark when it commits the next version.
CREATE TABLE rekey_paths (
    path      TEXT    NOT NULL PRIMARY KEY,
    marked_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Chat messages, both directions. (sender, recipient, seq) is unique: a replayed message is a no-op; seq counts per
-- sender and recipient from 1 without gaps, so the receiver takes them in order. id orders this cell's view (the
-- ?since= cursor). delivered_at = 0 on an outgoing row means it is still queued. The text is kept in clear on the two
-- ends only (each cell's own database); the wire carries the sealed, signed envelope, kept verbatim.
CREATE TABLE chat_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sender       TEXT    NOT NULL,
    recipient    TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    peer         TEXT    NOT NULL,
    outgoing     INTEGER NOT NULL,
    sent_at      INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    text         TEXT    NOT NULL,
    envelope     BLOB    NOT NULL,
    UNIQUE (sender, recipient, seq)
);
CREATE INDEX chat_by_peer ON chat_messages (peer, id);
CREATE INDEX chat_queued ON chat_messages (outgoing, delivered_at, recipient, seq);
