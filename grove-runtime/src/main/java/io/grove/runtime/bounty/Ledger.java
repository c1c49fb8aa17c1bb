package io.grove.runtime.bounty;

import io.grove.api.CellId;
import io.grove.runtime.audit.AuditResult;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.db.Database;
import io.grove.runtime.fleet.Member;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The bounty ledger in SQLite. A passed audit of a copy that peer P holds for this cell makes this cell owe P
 * {@code bytes × seconds} since the copy's previous proof ({@link #accrue}); what is owed is settled by signed
 * {@link Receipt receipts} this cell issues ({@link #issue}) and pushes to P ({@code bounty.receipt}); receipts
 * received from peers are verified and stored ({@link #receive}). Balances per peer: earned − spent. The rules and
 * the unit are in docs/replication.md.
 *
 * <p>Each change is one transaction; methods are synchronized so sequence numbers never repeat.
 */
public final class Ledger {
    /** The longest span one passed audit pays for: a copy unaudited for longer (this cell was off) earns no more. */
    public static final Duration MAX_SPAN = Duration.ofDays(30);
    /** Receipts kept per peer and direction; the totals stay exact when older ones are pruned. */
    public static final int KEPT_PER_PEER = 1000;
    /** The most receipts one listing returns. */
    public static final int MAX_LIMIT = 1000;
    /** The clock skew tolerated on a received receipt's period end. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private final Database db;
    private final CellKeys self;

    public Ledger(Database db, CellKeys self) {
        if (db == null || self == null) {
            throw new IllegalArgumentException("a ledger needs a database and this cell's keys");
        }
        this.db = db;
        this.self = self;
    }

    /**
     * Accrues what a passed audit proves: {@code bytes × min(at − provenSince, 30 days)} owed to the holder. Other
     * outcomes, and audits of this cell itself, accrue nothing. Safe to pass every {@link AuditResult}.
     */
    public synchronized void accrue(AuditResult result) {
        if (result.outcome() != AuditResult.Outcome.PASSED || result.holder().equals(self.cellId())) {
            return;
        }
        long start = result.provenSince().toEpochMilli();
        long end = result.at().toEpochMilli();
        long millis = Math.min(Math.max(0, end - start), MAX_SPAN.toMillis());
        long byteSeconds = Math.multiplyExact(result.bytes(), millis / 1000);
        db.jdbi().useTransaction(h -> h.execute("""
                INSERT INTO bounty_accrual (peer, period_start, period_end, byte_seconds, bytes, audits)
                VALUES (?, ?, ?, ?, ?, 1)
                ON CONFLICT (peer) DO UPDATE SET period_start = min(period_start, excluded.period_start),
                    period_end = max(period_end, excluded.period_end), byte_seconds = byte_seconds + excluded.byte_seconds,
                    bytes = bytes + excluded.bytes, audits = audits + 1""",
                result.holder().value(), end - millis, end, byteSeconds, result.bytes()));
    }

    /**
     * Issues a receipt to each peer whose accrual spans at least {@code minPeriod} at {@code now} and is worth at
     * least one micro-credit: signed, numbered, counted as spent at once, and kept undelivered until
     * {@link #delivered} is called. The accrual starts afresh.
     *
     * @return the receipts issued now, to push to their payees
     */
    public synchronized List<SignedReceipt> issue(Instant now, Duration minPeriod) {
        if (now == null || minPeriod == null || minPeriod.isNegative()) {
            throw new IllegalArgumentException("issuing receipts needs a time and a period of at least zero");
        }
        long at = now.toEpochMilli();
        return db.jdbi().inTransaction(h -> {
            List<long[]> rows = new ArrayList<>();
            List<String> peers = new ArrayList<>();
            h.createQuery("SELECT peer, period_start, period_end, byte_seconds, bytes FROM bounty_accrual ORDER BY peer")
                    .map((rs, ctx) -> {
                        peers.add(rs.getString(1));
                        return new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
                    }).forEach(rows::add);
            List<SignedReceipt> issued = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                long[] row = rows.get(i);
                long amount = Credits.micros(row[2]);
                if (at - row[0] < minPeriod.toMillis() || amount < 1) {
                    continue;
                }
                CellId payee = new CellId(peers.get(i));
                long seq = account(h, payee.value()).lastSeqOut + 1;
                Receipt receipt = new Receipt(self.cellId(), payee, seq, row[0], row[1], Math.min(row[3], Receipt.MAX_EXACT),
                        row[2], amount);
                SignedReceipt signed = SignedReceipt.sign(receipt, self);
                h.execute("""
                        INSERT INTO bounty_receipts (payer, payee, seq, amount, period_end, json, delivered, stored_at)
                        VALUES (?, ?, ?, ?, ?, ?, 0, ?)""", receipt.payer().value(), payee.value(), seq, amount,
                        receipt.periodEnd(), signed.encode(), at);
                h.execute("UPDATE bounty_peers SET spent = spent + ?, last_seq_out = ? WHERE peer = ?", amount, seq,
                        payee.value());
                h.execute("DELETE FROM bounty_accrual WHERE peer = ?", payee.value());
                prune(h, receipt.payer().value(), payee.value());
                issued.add(signed);
            }
            return issued;
        });
    }

    /** Receipts this cell issued that their payees have not yet stored, oldest first (push them in this order). */
    public List<SignedReceipt> undelivered(int limit) {
        requireLimit(limit);
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT json FROM bounty_receipts WHERE payer = ? AND delivered = 0 ORDER BY payee, seq LIMIT ?""")
                .bind(0, self.cellId().value()).bind(1, limit)
                .map((rs, ctx) -> SignedReceipt.decode(rs.getBytes(1))).list());
    }

    /** Marks a receipt this cell issued as stored by its payee. */
    public synchronized void delivered(Receipt receipt) {
        db.jdbi().useHandle(h -> h.execute("UPDATE bounty_receipts SET delivered = 1 WHERE payer = ? AND payee = ? AND seq = ?",
                receipt.payer().value(), receipt.payee().value(), receipt.seq()));
    }

    /**
     * Stores a receipt pushed by {@code sender}, after checking that it is signed by its payer, that the sender is
     * the payer, that this cell is the payee, that its period has ended and that its seq is new.
     *
     * @return {@code true} if stored now, {@code false} if this exact receipt was already stored
     * @throws ReceiptException when refused; nothing is stored
     */
    public synchronized boolean receive(SignedReceipt signed, Member sender, Instant now) {
        Receipt r = signed.receipt();
        if (!r.payee().equals(self.cellId())) {
            throw new ReceiptException(ReceiptException.Kind.INVALID, "the receipt is for " + r.payee().shortForm()
                    + ", not this cell");
        }
        if (!r.payer().equals(sender.id())) {
            throw new ReceiptException(ReceiptException.Kind.INVALID, "a receipt is pushed by its payer");
        }
        if (!signed.verify(sender.signingKey())) {
            throw new ReceiptException(ReceiptException.Kind.INVALID, "the receipt is not signed by its payer");
        }
        if (r.periodEnd() > now.plus(SKEW).toEpochMilli()) {
            throw new ReceiptException(ReceiptException.Kind.INVALID, "the receipt's period has not ended yet");
        }
        byte[] encoded = signed.encode();
        long at = now.toEpochMilli();
        return db.jdbi().inTransaction(h -> {
            Optional<byte[]> stored = h.createQuery("SELECT json FROM bounty_receipts WHERE payer = ? AND payee = ? AND seq = ?")
                    .bind(0, r.payer().value()).bind(1, r.payee().value()).bind(2, r.seq())
                    .mapTo(byte[].class).findOne();
            if (stored.isPresent()) {
                if (Arrays.equals(SignedReceipt.payload(SignedReceipt.decode(stored.get()).receipt()),
                        SignedReceipt.payload(r))) {
                    return false;
                }
                throw new ReceiptException(ReceiptException.Kind.CONFLICT, "payer " + r.payer().shortForm()
                        + " signed two receipts numbered " + r.seq());
            }
            Account account = account(h, r.payer().value());
            if (r.seq() <= account.lastSeqIn) {
                throw new ReceiptException(ReceiptException.Kind.STALE, "receipt " + r.seq() + " is older than the "
                        + "newest accepted (" + account.lastSeqIn + ")");
            }
            h.execute("""
                    INSERT INTO bounty_receipts (payer, payee, seq, amount, period_end, json, delivered, stored_at)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?)""", r.payer().value(), r.payee().value(), r.seq(), r.amount(),
                    r.periodEnd(), encoded, at);
            h.execute("UPDATE bounty_peers SET earned = earned + ?, last_seq_in = ? WHERE peer = ?", r.amount(), r.seq(),
                    r.payer().value());
            prune(h, r.payer().value(), r.payee().value());
            return true;
        });
    }

    /** What this cell owes {@code peer} and has not yet put in a receipt, in byte-seconds. */
    public long accrued(CellId peer) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT byte_seconds FROM bounty_accrual WHERE peer = ?")
                .bind(0, peer.value()).mapTo(Long.class).findOne().orElse(0L));
    }

    /** The {@code GET /api/v1/bounty} body, with the {@code recent} newest receipts (at most {@value #MAX_LIMIT}). */
    public BountySummary summary(int recent) {
        requireLimit(recent);
        String me = self.cellId().value();
        return db.jdbi().withHandle(h -> {
            List<BountySummary.PeerBalance> peers = h.createQuery("""
                            SELECT peer, earned, spent FROM bounty_peers WHERE earned > 0 OR spent > 0
                            ORDER BY earned - spent DESC, peer""")
                    .map((rs, ctx) -> new BountySummary.PeerBalance(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getLong(2) - rs.getLong(3))).list();
            List<BountySummary.RecentReceipt> receipts = h.createQuery("""
                            SELECT payer, delivered, stored_at, json FROM bounty_receipts
                            ORDER BY stored_at DESC, seq DESC LIMIT ?""").bind(0, recent)
                    .map((rs, ctx) -> new BountySummary.RecentReceipt(rs.getString(1).equals(me) ? "spent" : "earned",
                            rs.getInt(2) == 1, rs.getLong(3), SignedReceipt.decode(rs.getBytes(4)).toJson())).list();
            long balance = peers.stream().mapToLong(BountySummary.PeerBalance::balance).sum();
            return new BountySummary(Credits.UNIT, balance, peers, receipts);
        });
    }

    private record Account(long lastSeqOut, long lastSeqIn) {
    }

    private static Account account(Handle h, String peer) {
        h.execute("INSERT OR IGNORE INTO bounty_peers (peer) VALUES (?)", peer);
        return h.createQuery("SELECT last_seq_out, last_seq_in FROM bounty_peers WHERE peer = ?").bind(0, peer)
                .map((rs, ctx) -> new Account(rs.getLong(1), rs.getLong(2))).one();
    }

    private static void prune(Handle h, String payer, String payee) {
        h.execute("""
                DELETE FROM bounty_receipts WHERE payer = ? AND payee = ? AND seq <= (SELECT max(seq) FROM bounty_receipts
                    WHERE payer = ? AND payee = ?) - ? AND delivered = 1""", payer, payee, payer, payee, KEPT_PER_PEER);
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 … " + MAX_LIMIT);
        }
    }
}
