package io.grove.runtime.audit;

import io.grove.api.CellId;
import io.grove.api.ChunkId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One audit round: take the due challenges from the {@link AuditBook}, ask each holder, record each reply, and hand
 * every result to a listener (the bounty ledger pays for passes; healing reacts to lost copies). The opp sync loop
 * calls {@link #round(int)} on its schedule.
 */
public final class Auditor {
    private static final System.Logger LOG = System.getLogger(Auditor.class.getName());

    /** Sends one challenge to one holder, over whatever routes work. */
    @FunctionalInterface
    public interface Challenger {
        /**
         * @return the holder's reply; {@link AuditReply#unreachable()} when no answer came (never throws for that)
         */
        AuditReply ask(CellId holder, ChunkId chunk, String nonce);
    }

    private final AuditBook book;
    private final Challenger challenger;
    private final Consumer<AuditResult> listener;
    private final Clock clock;

    public Auditor(AuditBook book, Challenger challenger, Consumer<AuditResult> listener, Clock clock) {
        if (book == null || challenger == null || listener == null || clock == null) {
            throw new IllegalArgumentException("an auditor needs a book, a challenger, a listener and a clock");
        }
        this.book = book;
        this.challenger = challenger;
        this.listener = listener;
        this.clock = clock;
    }

    /** Audits at most {@code limit} due copies, one after the other, and returns their results. */
    public List<AuditResult> round(int limit) {
        return round(limit, null);
    }

    /**
     * {@link #round(int)} for copies on {@code holders} only, the cells that can answer now (see
     * {@link AuditBook#nextDue(Instant, int, Set)}); {@code null} for all.
     */
    public List<AuditResult> round(int limit, Set<CellId> holders) {
        List<DueAudit> due = book.nextDue(clock.instant(), limit, holders);
        List<AuditResult> results = new ArrayList<>(due.size());
        for (DueAudit audit : due) {
            AuditReply reply;
            try {
                reply = challenger.ask(audit.holder(), audit.chunk(), audit.nonce());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "audit of {0} on {1} failed to run: {2}", audit.chunk().prefix(),
                        audit.holder().shortForm(), e.toString());
                reply = AuditReply.unreachable();
            }
            AuditResult result;
            try {
                result = book.record(audit, reply, clock.instant());
            } catch (IllegalStateException e) {
                continue; // the copy was forgotten (healed, released) while its challenge was out
            }
            if (result.lost()) {
                LOG.log(System.Logger.Level.WARNING, "copy of chunk {0} on {1} is lost: audit {2}",
                        audit.chunk().prefix(), audit.holder().shortForm(), result.outcome());
            }
            listener.accept(result);
            results.add(result);
        }
        return results;
    }
}
