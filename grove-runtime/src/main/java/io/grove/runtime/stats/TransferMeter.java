package io.grove.runtime.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bytes a cell moved, per 10-second bucket over the last hour: what people uploaded and downloaded through the API,
 * and what peers sent to and received from it. A fixed ring of 360 buckets (memory never grows); recording is a few
 * atomic operations and takes no lock, so it can sit on every transfer path.
 *
 * <p>A bucket is claimed by the first transfer of its period (a compare-and-set of its period number, then its
 * counters are cleared); a transfer recorded by another thread in the instant between the claim and the clearing can
 * be lost. The chart shows rates, so that rare loss is accepted rather than a lock on every transfer.
 */
public final class TransferMeter {
    /** The width of one bucket. */
    public static final Duration BUCKET = Duration.ofSeconds(10);
    /** How many buckets are kept: one hour. */
    public static final int BUCKETS = 360;

    /** What a count is. */
    public enum Kind {
        /** Bytes people put into this cell through its API (uploads, archives). */
        UPLOADED,
        /** Bytes this cell served through its API (downloads, previews, shared files). */
        DOWNLOADED,
        /** Bytes peers sent to this cell (their requests and their answers to this cell's requests). */
        PEER_IN,
        /** Bytes this cell sent to peers (its requests and its answers). */
        PEER_OUT
    }

    private static final int KINDS = Kind.values().length;

    private final Clock clock;
    private final AtomicLongArray periods = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS * KINDS);

    public TransferMeter(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < BUCKETS; i++) {
            periods.set(i, -1);
        }
    }

    /** Records {@code bytes} of {@code kind} now; nothing for zero or less. */
    public void record(Kind kind, long bytes) {
        if (bytes <= 0) {
            return;
        }
        long period = clock.millis() / BUCKET.toMillis();
        int slot = (int) (period % BUCKETS);
        long seen = periods.get(slot);
        if (seen != period) {
            if (seen < period && periods.compareAndSet(slot, seen, period)) {
                for (int k = 0; k < KINDS; k++) {
                    counts.set(slot * KINDS + k, 0);
                }
            } else if (periods.get(slot) != period) {
                return; // a clock that went backwards: the bucket belongs to a later period
            }
        }
        counts.addAndGet(slot * KINDS + kind.ordinal(), bytes);
    }

    /** One bucket's counts. */
    public record Bucket(Instant start, long uploaded, long downloaded, long peerIn, long peerOut) {
    }

    /** The last hour, oldest first, one entry per bucket (zeros where nothing moved), the current bucket last. */
    public List<Bucket> lastHour() {
        long now = clock.millis() / BUCKET.toMillis();
        List<Bucket> out = new ArrayList<>(BUCKETS);
        for (long period = now - BUCKETS + 1; period <= now; period++) {
            int slot = (int) (Math.floorMod(period, (long) BUCKETS));
            long[] c = new long[KINDS];
            if (periods.get(slot) == period) {
                for (int k = 0; k < KINDS; k++) {
                    c[k] = counts.get(slot * KINDS + k);
                }
                if (periods.get(slot) != period) {
                    c = new long[KINDS]; // reclaimed while read
                }
            }
            out.add(new Bucket(Instant.ofEpochMilli(period * BUCKET.toMillis()), c[0], c[1], c[2], c[3]));
        }
        return out;
    }
}
