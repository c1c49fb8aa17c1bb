package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.ChunkId;
import io.grove.runtime.db.Database;
import org.jdbi.v3.core.Handle;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The owner's side of storage audits, in SQLite: the copies of this cell's chunks on other cells, a few one-use
 * challenges per copy, when each copy is next challenged, and each peer's reputation. The opp sync loop
 * {@link #place places} copies with challenges computed from the chunk bytes it pushes, asks {@link #nextDue} for
 * challenges to send, and {@link #record records} the replies; {@link #lost} lists the copies to heal.
 *
 * <p>Each change is one transaction; methods are synchronized so a challenge is never handed out twice.
 */
public final class AuditBook {
    /** The most rows one listing returns. */
    public static final int MAX_LIMIT = 10_000;
    static final double PASS_WEIGHT = 1;
    static final double MISSING_WEIGHT = 2;
    static final double FAIL_WEIGHT = 5;

    private final Database db;
    private final AuditPolicy policy;

    public AuditBook(Database db, AuditPolicy policy) {
        if (db == null || policy == null) {
            throw new IllegalArgumentException("an audit book needs a database and a policy");
        }
        this.db = db;
        this.policy = policy;
    }

    public AuditPolicy policy() {
        return policy;
    }

    /**
     * Records that {@code holder} now holds a copy of {@code chunk} and keeps {@code challenges} for it (beyond
     * {@value Challenge#MAX_PER_COPY} unused ones, the extra are dropped). Placing a copy that is already tracked
     * adds challenges (the way to replenish them); placing a lost copy again starts it afresh.
     */
    public synchronized void place(ChunkId chunk, CellId holder, long bytes, List<Challenge> challenges, Instant now) {
        if (chunk == null || holder == null || challenges == null || now == null || bytes < 0
                || bytes > io.grove.api.store.ChunkStore.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("placing a copy needs a chunk, a holder, its size (at most "
                    + io.grove.api.store.ChunkStore.MAX_CHUNK_BYTES + " bytes), challenges and a time");
        }
        long at = now.toEpochMilli();
        db.jdbi().useTransaction(h -> {
            Optional<String> state = h.createQuery("SELECT state FROM audit_copies WHERE chunk_id = ? AND holder = ?")
                    .bind(0, chunk.hex()).bind(1, holder.value()).mapTo(String.class).findOne();
            if (state.isEmpty() || state.get().equals("lost")) {
                h.execute("DELETE FROM audit_challenges WHERE chunk_id = ? AND holder = ?", chunk.hex(), holder.value());
                h.execute("""
                        INSERT INTO audit_copies (chunk_id, holder, bytes, placed_at, proven_at, due_at, state, unanswered)
                        VALUES (?, ?, ?, ?, ?, ?, 'held', 0)
                        ON CONFLICT (chunk_id, holder) DO UPDATE SET bytes = excluded.bytes, placed_at = excluded.placed_at,
                            proven_at = excluded.proven_at, due_at = excluded.due_at, state = 'held', unanswered = 0""",
                        chunk.hex(), holder.value(), bytes, at, at, at + jittered());
            }
            int room = Challenge.MAX_PER_COPY - h.createQuery(
                            "SELECT count(*) FROM audit_challenges WHERE chunk_id = ? AND holder = ?")
                    .bind(0, chunk.hex()).bind(1, holder.value()).mapTo(Integer.class).one();
            for (Challenge c : challenges.subList(0, Math.max(0, Math.min(room, challenges.size())))) {
                h.execute("INSERT OR IGNORE INTO audit_challenges (chunk_id, holder, nonce, expected) VALUES (?, ?, ?, ?)",
                        chunk.hex(), holder.value(), c.nonce(), c.expected());
            }
        });
    }

    /**
     * Hands out one unused challenge for each of at most {@code limit} held copies that are due at {@code now},
     * earliest first. Each challenge is consumed here (never handed out again, even if this cell stops before the
     * reply), and the copy is due again after the retry delay unless a reply is recorded first.
     */
    public List<DueAudit> nextDue(Instant now, int limit) {
        return nextDue(now, limit, null);
    }

    /**
     * {@link #nextDue(Instant, int)} for copies on {@code holders} only: the cells that can answer now. A copy on a
     * cell that is offline is not challenged (its challenge stays unused, the copy stays due): silence from a cell
     * known to be away says nothing about its storage, and counting it would turn every overnight absence into
     * "missing" copies and lost trust — a repair storm. Being away is the healing grace period's business.
     *
     * @param holders the holders to challenge; {@code null} for all
     */
    public synchronized List<DueAudit> nextDue(Instant now, int limit, Set<CellId> holders) {
        requireLimit(limit);
        if (holders != null && holders.isEmpty()) {
            return List.of();
        }
        long at = now.toEpochMilli();
        return db.jdbi().inTransaction(h -> {
            org.jdbi.v3.core.statement.Query query = h.createQuery("""
                            SELECT c.chunk_id, c.holder FROM audit_copies c
                            WHERE c.state = 'held' AND c.due_at <= :at
                              AND EXISTS (SELECT 1 FROM audit_challenges a WHERE a.chunk_id = c.chunk_id AND a.holder = c.holder)
                            """ + (holders == null ? "" : "AND c.holder IN (<holders>)\n") + "ORDER BY c.due_at LIMIT :limit")
                    .bind("at", at).bind("limit", limit);
            if (holders != null) {
                query.bindList("holders", holders.stream().map(CellId::value).toList());
            }
            List<String[]> copies = query.map((rs, ctx) -> new String[]{rs.getString(1), rs.getString(2)}).list();
            List<DueAudit> due = new ArrayList<>(copies.size());
            for (String[] copy : copies) {
                // A random one of the unused challenges, so the holder cannot guess which nonce comes next.
                String[] challenge = h.createQuery("""
                                SELECT nonce, expected FROM audit_challenges WHERE chunk_id = ? AND holder = ?
                                ORDER BY random() LIMIT 1""")
                        .bind(0, copy[0]).bind(1, copy[1])
                        .map((rs, ctx) -> new String[]{rs.getString(1), rs.getString(2)}).one();
                h.execute("DELETE FROM audit_challenges WHERE chunk_id = ? AND holder = ? AND nonce = ?",
                        copy[0], copy[1], challenge[0]);
                h.execute("UPDATE audit_copies SET due_at = ? WHERE chunk_id = ? AND holder = ?",
                        at + policy.retry().toMillis(), copy[0], copy[1]);
                due.add(new DueAudit(ChunkId.of(copy[0]), new CellId(copy[1]), challenge[0], challenge[1]));
            }
            return due;
        });
    }

    /**
     * Records the reply to a challenge handed out by {@link #nextDue}: the expected digest passes; another digest
     * fails; "not held", or silence {@link AuditPolicy#maxUnanswered()} times in a row, is missing. A failed or
     * missing copy is lost and the holder's reputation drops; a pass schedules the next audit at a random time.
     *
     * @throws IllegalStateException when the copy is no longer tracked (forgotten meanwhile)
     */
    public synchronized AuditResult record(DueAudit due, AuditReply reply, Instant now) {
        long at = now.toEpochMilli();
        return db.jdbi().inTransaction(h -> {
            AuditedCopy copy = copy(h, due.chunk(), due.holder()).orElseThrow(() -> new IllegalStateException(
                    "copy of " + due.chunk().hex() + " on " + due.holder().shortForm() + " is no longer tracked"));
            if (copy.lost()) {
                return new AuditResult(copy.chunk(), copy.holder(), copy.bytes(), AuditResult.Outcome.MISSING,
                        copy.provenAt(), now);
            }
            AuditResult.Outcome outcome = switch (reply.kind()) {
                case DIGEST -> MessageDigest.isEqual(reply.digest().orElseThrow().getBytes(StandardCharsets.US_ASCII),
                        due.expected().getBytes(StandardCharsets.US_ASCII))
                        ? AuditResult.Outcome.PASSED : AuditResult.Outcome.FAILED;
                case NOT_HELD -> AuditResult.Outcome.MISSING;
                case UNREACHABLE -> h.createQuery("SELECT unanswered FROM audit_copies WHERE chunk_id = ? AND holder = ?")
                        .bind(0, due.chunk().hex()).bind(1, due.holder().value()).mapTo(Integer.class).one() + 1
                        >= policy.maxUnanswered() ? AuditResult.Outcome.MISSING : AuditResult.Outcome.UNANSWERED;
            };
            apply(h, copy, outcome, at);
            return new AuditResult(copy.chunk(), copy.holder(), copy.bytes(), outcome, copy.provenAt(), now);
        });
    }

    /**
     * Records the outcome of reading back a copy whose challenges ran out and whose bytes this cell no longer has (an
     * offloaded chunk, or a shard of one), fetched from its holder and checked against its id: served intact passes
     * like an audit; "not held" is missing and other bytes fail, the copy is lost and the holder's reputation drops.
     *
     * @param outcome {@code PASSED}, {@code FAILED} or {@code MISSING}
     * @throws IllegalStateException when the copy is no longer tracked or is already lost
     */
    public synchronized AuditResult recordRetrieval(ChunkId chunk, CellId holder, AuditResult.Outcome outcome,
                                                    Instant now) {
        if (outcome == AuditResult.Outcome.UNANSWERED) {
            throw new IllegalArgumentException("an unanswered retrieval is not recorded: try again later");
        }
        long at = now.toEpochMilli();
        return db.jdbi().inTransaction(h -> {
            AuditedCopy copy = copy(h, chunk, holder).filter(c -> !c.lost()).orElseThrow(() -> new IllegalStateException(
                    "copy of " + chunk.hex() + " on " + holder.shortForm() + " is not tracked as held"));
            apply(h, copy, outcome, at);
            return new AuditResult(copy.chunk(), copy.holder(), copy.bytes(), outcome, copy.provenAt(), now);
        });
    }

    /** Moves a held copy on after an audit (or retrieval) with {@code outcome}; updates the holder's reputation. */
    private void apply(Handle h, AuditedCopy copy, AuditResult.Outcome outcome, long at) {
        String key = copy.chunk().hex();
        String holder = copy.holder().value();
        switch (outcome) {
            case PASSED -> h.execute("""
                    UPDATE audit_copies SET proven_at = ?, due_at = ?, unanswered = 0, last_result = 'passed',
                        last_at = ? WHERE chunk_id = ? AND holder = ?""", at, at + jittered(), at, key, holder);
            case UNANSWERED -> h.execute("""
                    UPDATE audit_copies SET due_at = ?, unanswered = unanswered + 1, last_result = 'unanswered',
                        last_at = ? WHERE chunk_id = ? AND holder = ?""", at + policy.retry().toMillis(), at, key, holder);
            case FAILED, MISSING -> {
                h.execute("""
                        UPDATE audit_copies SET state = 'lost', last_result = ?, last_at = ?
                        WHERE chunk_id = ? AND holder = ?""", outcome.name().toLowerCase(java.util.Locale.ROOT), at,
                        key, holder);
                h.execute("DELETE FROM audit_challenges WHERE chunk_id = ? AND holder = ?", key, holder);
            }
        }
        if (outcome != AuditResult.Outcome.UNANSWERED) {
            updateReputation(h, copy.holder(), outcome, at);
        }
    }

    /** The copies found lost, oldest result first, for healing; {@link #forget} them once healed. */
    public List<AuditedCopy> lost(int limit) {
        requireLimit(limit);
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_COPY + " WHERE c.state = 'lost' ORDER BY c.last_at LIMIT ?")
                .bind(0, limit).map((rs, ctx) -> copy(rs)).list());
    }

    /**
     * Held copies due for an audit at {@code now} without unused challenges, earliest first: add some with
     * {@link #place} when the chunk can be read. Challenges are made when a copy is first due rather than when it is
     * placed, so that hashing for audits is spread over the audit interval instead of adding a pass to every push.
     */
    public List<AuditedCopy> exhausted(Instant now, int limit) {
        requireLimit(limit);
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_COPY + " " + """
                         WHERE c.state = 'held' AND c.due_at <= ? AND NOT EXISTS (SELECT 1 FROM audit_challenges a
                            WHERE a.chunk_id = c.chunk_id AND a.holder = c.holder) ORDER BY c.due_at LIMIT ?""")
                .bind(0, now.toEpochMilli()).bind(1, limit).map((rs, ctx) -> copy(rs)).list());
    }

    /** The tracked copies of {@code chunk}, held and lost (at most one per holder, so bounded by the fleet). */
    public List<AuditedCopy> copies(ChunkId chunk) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_COPY + " WHERE c.chunk_id = ? ORDER BY c.holder")
                .bind(0, chunk.hex()).map((rs, ctx) -> copy(rs)).list());
    }

    /** One tracked copy. */
    public Optional<AuditedCopy> copy(ChunkId chunk, CellId holder) {
        return db.jdbi().withHandle(h -> copy(h, chunk, holder));
    }

    /** Stops tracking a copy (healed elsewhere, released as surplus, or its chunk deleted). */
    public synchronized void forget(ChunkId chunk, CellId holder) {
        db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_copies WHERE chunk_id = ? AND holder = ?", chunk.hex(),
                holder.value()));
    }

    /** Stops tracking every copy on {@code holder} and its reputation (the cell left the fleet). */
    public synchronized void forgetHolder(CellId holder) {
        db.jdbi().useTransaction(h -> {
            h.execute("DELETE FROM audit_copies WHERE holder = ?", holder.value());
            h.execute("DELETE FROM audit_reputation WHERE peer = ?", holder.value());
        });
    }

    /** The reputation of {@code peer} at {@code now} (1.0 for a peer never audited). */
    public Reputation reputation(CellId peer, Instant now) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT pass_weight, fail_weight, passed, failed, missing, updated_at FROM audit_reputation
                        WHERE peer = ?""").bind(0, peer.value())
                .map((rs, ctx) -> reputation(peer, rs.getDouble(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), decay(rs.getLong(6), now.toEpochMilli())))
                .findOne().orElse(new Reputation(peer, 1, 0, 0, 0)));
    }

    /** The reputations of every audited peer at {@code now}, worst first. */
    public List<Reputation> reputations(Instant now) {
        long at = now.toEpochMilli();
        List<Reputation> all = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT peer, pass_weight, fail_weight, passed, failed, missing, updated_at FROM audit_reputation""")
                .map((rs, ctx) -> reputation(new CellId(rs.getString(1)), rs.getDouble(2), rs.getDouble(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), decay(rs.getLong(7), at)))
                .list());
        return all.stream().sorted(java.util.Comparator.comparingDouble(Reputation::score)
                .thenComparing(r -> r.peer().value())).toList();
    }

    private void updateReputation(Handle h, CellId peer, AuditResult.Outcome outcome, long at) {
        double[] weights = h.createQuery("SELECT pass_weight, fail_weight, updated_at FROM audit_reputation WHERE peer = ?")
                .bind(0, peer.value())
                .map((rs, ctx) -> {
                    double d = decay(rs.getLong(3), at);
                    return new double[]{rs.getDouble(1) * d, rs.getDouble(2) * d};
                }).findOne().orElse(new double[]{0, 0});
        double pass = weights[0] + (outcome == AuditResult.Outcome.PASSED ? PASS_WEIGHT : 0);
        double fail = weights[1] + switch (outcome) {
            case FAILED -> FAIL_WEIGHT;
            case MISSING -> MISSING_WEIGHT;
            default -> 0;
        };
        h.execute("""
                INSERT INTO audit_reputation (peer, pass_weight, fail_weight, passed, failed, missing, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (peer) DO UPDATE SET pass_weight = excluded.pass_weight, fail_weight = excluded.fail_weight,
                    passed = passed + excluded.passed, failed = failed + excluded.failed,
                    missing = missing + excluded.missing, updated_at = max(updated_at, excluded.updated_at)""",
                peer.value(), pass, fail, outcome == AuditResult.Outcome.PASSED ? 1 : 0,
                outcome == AuditResult.Outcome.FAILED ? 1 : 0, outcome == AuditResult.Outcome.MISSING ? 1 : 0, at);
    }

    private static Reputation reputation(CellId peer, double pass, double fail, long passed, long failed, long missing,
                                         double decay) {
        // One pass of prior, never decayed: a new peer starts trusted, and old failures fade back towards trust.
        double p = pass * decay;
        double f = fail * decay;
        return new Reputation(peer, (1 + p) / (1 + p + f), passed, failed, missing);
    }

    private double decay(long from, long to) {
        return to <= from ? 1 : Math.pow(0.5, (double) (to - from) / policy.halfLife().toMillis());
    }

    private long jittered() {
        long interval = policy.interval().toMillis();
        return interval / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, interval));
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 … " + MAX_LIMIT);
        }
    }

    private static final String SELECT_COPY = """
            SELECT c.chunk_id, c.holder, c.bytes, c.state, c.placed_at, c.proven_at, c.due_at,
                (SELECT count(*) FROM audit_challenges a WHERE a.chunk_id = c.chunk_id AND a.holder = c.holder)
            FROM audit_copies c""";

    private static Optional<AuditedCopy> copy(Handle h, ChunkId chunk, CellId holder) {
        return h.createQuery(SELECT_COPY + " WHERE c.chunk_id = ? AND c.holder = ?").bind(0, chunk.hex())
                .bind(1, holder.value()).map((rs, ctx) -> copy(rs)).findOne();
    }

    private static AuditedCopy copy(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AuditedCopy(ChunkId.of(rs.getString(1)), new CellId(rs.getString(2)), rs.getLong(3),
                rs.getString(4).equals("lost"), Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8));
    }
}
