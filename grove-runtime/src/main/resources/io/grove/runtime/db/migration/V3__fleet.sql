-- Fleet membership: the pinned leader, every roster version applied, fork evidence, invites and fleet-secret epochs.
-- docs/fleet.md describes the formats stored here.

-- The fleet this cell belongs to and the leader whose signature it accepts; at most one row. Pinned when the cell
-- founds a fleet or joins one (from the invite), never changed afterwards.
CREATE TABLE fleet (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fleet_id    TEXT    NOT NULL,
    leader      TEXT    NOT NULL,
    leader_key  BLOB    NOT NULL,
    pinned_at   INTEGER NOT NULL
);

-- Every roster version this cell applied, as the encoded signed envelope; the highest seq is the current one.
-- hash = lower-case hex SHA-256 of bytes.
CREATE TABLE roster_history (
    fleet_id    TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT    NOT NULL,
    bytes       BLOB    NOT NULL,
    applied_at  INTEGER NOT NULL,
    PRIMARY KEY (fleet_id, seq)
) WITHOUT ROWID;

-- Validly signed rosters whose seq equals one already applied but whose content differs: proof the leader signed
-- two versions with one seq. Kept for the operator; never applied.
CREATE TABLE roster_forks (
    fleet_id    TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT    NOT NULL,
    bytes       BLOB    NOT NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (fleet_id, seq, hash)
) WITHOUT ROWID;

-- Invites the leader issued. verifier = hex SHA-256("grove invite v1" ‖ 0x00 ‖ secret); the secret itself is not
-- kept. used_at/used_by are set once, atomically, when a join proof for it is accepted.
CREATE TABLE invites (
    verifier    TEXT    PRIMARY KEY,
    fleet_id    TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('member', 'friend')),
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    used_by     TEXT
) WITHOUT ROWID;

-- Fleet-secret epochs: one 32-byte secret per epoch, stored only wrapped (encoded WrappedSecret) to each recipient's
-- X25519 key. The leader keeps the wraps for every member (to hand out); a member keeps the ones addressed to it.
CREATE TABLE fleet_secrets (
    fleet_id    TEXT    NOT NULL,
    epoch       INTEGER NOT NULL,
    recipient   TEXT    NOT NULL,
    wrapped     BLOB    NOT NULL,
    stored_at   INTEGER NOT NULL,
    PRIMARY KEY (fleet_id, epoch, recipient)
) WITHOUT ROWID;
