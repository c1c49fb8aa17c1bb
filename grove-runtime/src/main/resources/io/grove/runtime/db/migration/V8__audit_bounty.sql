-- Storage audits and the bounty ledger (io.grove.runtime.audit, io.grove.runtime.bounty; docs/replication.md).
-- Times are epoch milliseconds; hex values are lower-case.

-- Copies of this cell's chunks placed on other cells, as the auditor tracks them. proven_at is the start of the
-- span the next passed audit proves (placement, then each passed audit); due_at when the copy is next challenged.
-- state 'lost' after a failed or missing answer, until the healing layer forgets the copy.
CREATE TABLE audit_copies (
    chunk_id    TEXT    NOT NULL,
    holder      TEXT    NOT NULL,
    bytes       INTEGER NOT NULL CHECK (bytes >= 0),
    placed_at   INTEGER NOT NULL,
    proven_at   INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('held', 'lost')),
    unanswered  INTEGER NOT NULL DEFAULT 0 CHECK (unanswered >= 0),
    last_result TEXT,
    last_at     INTEGER,
    PRIMARY KEY (chunk_id, holder)
) WITHOUT ROWID;
CREATE INDEX audit_copies_due ON audit_copies (state, due_at);
CREATE INDEX audit_copies_holder ON audit_copies (holder);

-- Unused challenges of one copy: SHA-256(nonce ‖ chunk) computed when the copy was placed. Each is handed out once
-- (deleted in the transaction that hands it out); at most 16 per copy.
CREATE TABLE audit_challenges (
    chunk_id    TEXT    NOT NULL,
    holder      TEXT    NOT NULL,
    nonce       TEXT    NOT NULL,
    expected    TEXT    NOT NULL,
    PRIMARY KEY (chunk_id, holder, nonce),
    FOREIGN KEY (chunk_id, holder) REFERENCES audit_copies (chunk_id, holder) ON DELETE CASCADE
) WITHOUT ROWID;

-- Audit reputation per peer: exponentially decayed weights of passes and failures (see docs/replication.md) and
-- plain counters for people.
CREATE TABLE audit_reputation (
    peer        TEXT    PRIMARY KEY,
    pass_weight REAL    NOT NULL CHECK (pass_weight >= 0),
    fail_weight REAL    NOT NULL CHECK (fail_weight >= 0),
    passed      INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    missing     INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- What this cell owes each peer for holding its copies, proved by passed audits since the last receipt it issued.
CREATE TABLE bounty_accrual (
    peer          TEXT    PRIMARY KEY,
    period_start  INTEGER NOT NULL,
    period_end    INTEGER NOT NULL,
    byte_seconds  INTEGER NOT NULL CHECK (byte_seconds >= 0),
    bytes         INTEGER NOT NULL CHECK (bytes >= 0),
    audits        INTEGER NOT NULL CHECK (audits >= 0)
) WITHOUT ROWID;

-- Totals per peer (kept when old receipts are pruned), in micro-credits, and the receipt sequence numbers in each
-- direction: last_seq_out issued by this cell to the peer, last_seq_in accepted from the peer.
CREATE TABLE bounty_peers (
    peer          TEXT    PRIMARY KEY,
    earned        INTEGER NOT NULL DEFAULT 0 CHECK (earned >= 0),
    spent         INTEGER NOT NULL DEFAULT 0 CHECK (spent >= 0),
    last_seq_out  INTEGER NOT NULL DEFAULT 0,
    last_seq_in   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Signed receipts, both those this cell issued (payer = this cell; delivered once the payee stored it) and those it
-- received and verified (payee = this cell). json is the signed envelope as sent. The newest 1000 per peer and
-- direction are kept.
CREATE TABLE bounty_receipts (
    payer         TEXT    NOT NULL,
    payee         TEXT    NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    amount        INTEGER NOT NULL CHECK (amount >= 0),
    period_end    INTEGER NOT NULL,
    json          BLOB    NOT NULL,
    delivered     INTEGER NOT NULL CHECK (delivered IN (0, 1)),
    stored_at     INTEGER NOT NULL,
    PRIMARY KEY (payer, payee, seq)
) WITHOUT ROWID;
CREATE INDEX bounty_receipts_recent ON bounty_receipts (stored_at);
