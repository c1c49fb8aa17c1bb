package io.grove.runtime.gc;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.files.FileIndex;
import io.grove.runtime.files.IngestGate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Deletes chunks that no version references, once they have stayed unreferenced for a grace period. Such orphans
 * are what an ingest leaves when it fails or the process stops after its chunks became durable and before its
 * version was committed.
 *
 * <p>The rules, each a reason a chunk is kept:
 * <ul>
 *     <li><b>Referenced.</b> A chunk some version references ({@code version_chunks}) or the {@code chunks} table
 *     lists is never deleted. Every other chunk in the store is an orphan.</li>
 *     <li><b>Young.</b> The store keeps no age, so the collector records when it first saw each orphan
 *     ({@code gc_candidates}) and deletes it only once that is at least {@code gc.grace-period} ago (default 1h).
 *     A candidate that is referenced again loses its record, so its wait starts over if it is ever orphaned again.
 *     The grace period means no chunk is deleted on the evidence of one moment, and leaves time to notice a damaged
 *     index before anything is lost.</li>
 *     <li><b>In use by an ingest.</b> Each page of the store is decided and deleted under
 *     {@link IngestGate#exclusive()}. An ingest holds its pass from its first chunk to the commit of its version, so
 *     one that found an orphan already in the store (and will reference it, not store it again) has either committed
 *     that reference before the collector reads the references, or starts after the deletion and stores the chunk
 *     anew. Ingests run between pages.</li>
 *     <li><b>Doubt about the index.</b> The collector refuses to run, deleting nothing, when the index cannot be
 *     read; when it records files but no versions (a damaged or partly restored index); or when no version
 *     references any chunk, no chunk is held for another cell and the index never recorded either while the store
 *     holds chunks (a lost or replaced index would make every chunk an orphan). A cell whose files are all empty,
 *     with orphans from a failed first upload, therefore keeps them until a file with content is stored; a cell that
 *     only stores other cells' chunks collects the ones their owners released, down to the last.</li>
 * </ul>
 * Runs are one at a time; the store is read a page at a time, so memory does not grow with its size.
 */
public final class GarbageCollector {
    /** The default of {@code gc.grace-period}. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(1);

    /**
     * {@code gc.grace-period} of {@code root}: how long an unreferenced chunk waits before it is deleted here, and
     * before other cells' copies of it are released (docs/replication.md "Orphaned copies").
     */
    public static Duration gracePeriod(ConfigNode root) {
        return root.node("gc").nonNegativeDuration("grace-period", DEFAULT_GRACE_PERIOD);
    }
    /**
     * Chunks decided per hold of the gate. A hold costs a listing and one query, plus a flushed delete (a few ms)
     * per due orphan, so this bounds how long an ingest can wait behind the collector to about a second.
     */
    static final int PAGE = 250;

    private final FileIndex index;
    private final ChunkStore store;
    private final IngestGate gate;
    private final Clock clock;
    private final Duration gracePeriod;
    private final GcCandidates candidates = new GcCandidates();
    private final ReentrantLock running = new ReentrantLock();

    /**
     * @param gracePeriod how long an orphan must have been seen unreferenced before it is deleted; zero or more
     */
    public GarbageCollector(FileIndex index, ChunkStore store, IngestGate gate, Clock clock, Duration gracePeriod) {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative: " + gracePeriod);
        }
        this.index = index;
        this.store = store;
        this.gate = gate;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
    }

    /** The configured grace period. */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /**
     * Collects once.
     *
     * @throws GcRefusedException    when another collection is running or the index is in doubt (nothing deleted)
     * @throws UncheckedIOException  when the store fails; what was deleted before stays deleted, rightly
     * @throws CancellationException when the thread is interrupted; stops between pages
     */
    public GcReport collect() {
        return collect(() -> false);
    }

    /** Collects once, stopping between pages when {@code stop} says so (the schedule's shutdown). */
    GcReport collect(BooleanSupplier stop) {
        if (!running.tryLock()) {
            throw new GcRefusedException("a garbage collection is already running; wait for it to end");
        }
        try {
            return new Run(stop).execute();
        } finally {
            running.unlock();
        }
    }

    /** The counts of one collection, kept by the thread running it. */
    private final class Run {
        private final BooleanSupplier stop;
        private final long started = System.nanoTime();
        private long scanned;
        private long referenced;
        private long orphans;
        private long deleted;
        private long bytesFreed;

        Run(BooleanSupplier stop) {
            this.stop = stop;
        }

        GcReport execute() {
            try (IngestGate.Pass pass = gate.exclusive()) {
                checkIndexIsTrustworthy();
            }
            ChunkCursor cursor = ChunkCursor.START;
            // Ends: every page must move the cursor forward (checked), through a finite store.
            while (true) {
                if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("garbage collection stopped: the cell is closing");
                }
                Optional<ChunkCursor> next;
                try (IngestGate.Pass pass = gate.exclusive()) {
                    next = collectPage(cursor);
                }
                if (next.isEmpty()) {
                    break;
                }
                ChunkCursor previous = cursor;
                cursor = next.get();
                if (cursor.after().isEmpty() || !previous.precedes(cursor.after().get())) {
                    throw new IllegalStateException("the chunk store " + store + " listed a page that does not move"
                            + " forward; stopping garbage collection so it cannot loop");
                }
            }
            return new GcReport(scanned, referenced, orphans, deleted, bytesFreed,
                    Duration.ofNanos(System.nanoTime() - started));
        }

        private void checkIndexIsTrustworthy() {
            boolean storeHoldsChunks;
            try {
                storeHoldsChunks = !store.list(ChunkCursor.START, 1).ids().isEmpty();
            } catch (IOException e) {
                throw new GcRefusedException("cannot list the chunk store " + store + ": " + e.getMessage()
                        + "; nothing was deleted", e);
            }
            IndexFacts facts;
            try {
                facts = index.inTransaction(h -> new IndexFacts(index.anyChunkReferenced(h), index.versionCount(h) > 0,
                        index.anyFile(h)));
            } catch (RuntimeException e) {
                throw new GcRefusedException("cannot read the index (" + e.getMessage() + "); nothing was deleted."
                        + " Check grove.db (POST /api/v1/verify) before collecting garbage", e);
            }
            if (facts.anyFile() && !facts.anyVersion()) {
                throw new GcRefusedException("the index records files but no versions, so it looks damaged or partly"
                        + " restored; nothing was deleted. Restore grove.db from a backup before collecting garbage");
            }
            if (storeHoldsChunks && !facts.anyReference()) {
                throw new GcRefusedException("no version references any chunk and no chunk is held for another cell,"
                        + " and the index never recorded one, while the store holds chunks; if the"
                        + " index was lost or replaced, collecting would delete every chunk. Nothing was deleted;"
                        + " restore grove.db, or store a file first if this cell is new");
            }
        }

        /** Decides one page and deletes its due orphans; returns where the next page starts. */
        private Optional<ChunkCursor> collectPage(ChunkCursor cursor) {
            ChunkPage page;
            try {
                page = store.list(cursor, PAGE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the chunk store " + store + ": " + e.getMessage(), e);
            }
            long now = clock.millis();
            Optional<ChunkId> upTo = page.next().flatMap(ChunkCursor::after);
            Decision decision = index.inTransaction(h -> {
                Set<ChunkId> kept = index.keptAmong(h, page.ids());
                List<ChunkId> pageOrphans = page.ids().stream().filter(id -> !kept.contains(id)).toList();
                candidates.keepOnly(h, cursor.after(), upTo, pageOrphans);
                candidates.record(h, pageOrphans, now);
                return new Decision(pageOrphans.size(),
                        candidates.seenBy(h, pageOrphans, now - gracePeriod.toMillis()));
            });
            scanned += page.ids().size();
            orphans += decision.orphans();
            referenced += page.ids().size() - decision.orphans();
            List<ChunkId> gone = new ArrayList<>(decision.due().size());
            try {
                for (ChunkId id : decision.due()) {
                    OptionalLong size = store.size(id);
                    if (store.delete(id)) {
                        deleted++;
                        bytesFreed += size.orElse(0);
                    }
                    gone.add(id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete from the chunk store " + store + ": " + e.getMessage(), e);
            } finally {
                // Rows of chunks left undeleted by a failure stay, so the next run deletes them without a new wait.
                index.inTransaction(h -> {
                    candidates.remove(h, gone);
                    index.forgetPacks(h, gone);
                    return null;
                });
            }
            return page.next();
        }
    }

    private record IndexFacts(boolean anyReference, boolean anyVersion, boolean anyFile) {
    }

    private record Decision(long orphans, List<ChunkId> due) {
    }
}
