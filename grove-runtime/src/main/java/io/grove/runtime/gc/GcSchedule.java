package io.grove.runtime.gc;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link GarbageCollector} every {@code gc.interval} (default 6h) on a virtual thread, from one interval
 * after the cell starts until {@link #close()}. A refused or failed run is logged and the next is tried at the
 * next interval; an interval of zero disables the schedule ({@code POST /api/v1/gc} still works).
 */
public final class GcSchedule implements AutoCloseable {
    /** The default of {@code gc.interval}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(6);
    private static final System.Logger LOG = System.getLogger(GcSchedule.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    // A latch rather than an interrupt: an interrupt would close the store's file channels in the middle of a delete.
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    private GcSchedule(GarbageCollector collector, Duration interval) {
        this.thread = interval.isZero() ? null
                : Thread.ofVirtual().name("grove-gc").start(() -> loop(collector, interval));
    }

    /** Starts collecting every {@code interval}; a zero interval schedules nothing. */
    public static GcSchedule start(GarbageCollector collector, Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the collection interval must not be negative: " + interval);
        }
        return new GcSchedule(collector, interval);
    }

    /** Whether collections are scheduled. */
    public boolean enabled() {
        return thread != null;
    }

    /** Runs until {@link #close()}: the schedule lives as long as the cell. */
    private void loop(GarbageCollector collector, Duration interval) {
        try {
            while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                runOnce(collector, interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOnce(GarbageCollector collector, Duration interval) {
        try {
            GcReport report = collector.collect(() -> stop.getCount() == 0);
            LOG.log(System.Logger.Level.INFO, "garbage collection: {0} chunks scanned, {1} orphans, {2} deleted"
                    + " ({3} bytes)", report.scanned(), report.candidates(), report.deleted(), report.bytesFreed());
        } catch (GcRefusedException e) {
            LOG.log(System.Logger.Level.WARNING, "garbage collection refused: " + e.getMessage());
        } catch (CancellationException e) {
            LOG.log(System.Logger.Level.DEBUG, "garbage collection stopped with the cell");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "garbage collection failed; next attempt in " + interval, e);
        }
    }

    /** Stops the schedule; a run under way stops after its current page, which this waits for. */
    @Override
    public void close() {
        stop.countDown();
        if (thread == null) {
            return;
        }
        try {
            if (!thread.join(STOP_TIMEOUT)) {
                LOG.log(System.Logger.Level.WARNING, "garbage collection did not stop within " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
