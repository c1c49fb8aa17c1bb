package io.grove.runtime.gc;

import java.time.Duration;

/**
 * What one garbage collection did.
 *
 * @param scanned    chunks listed from the store
 * @param referenced chunks kept because a version references them or the index lists them
 * @param candidates orphans found: unreferenced chunks, deleted or waiting out the grace period
 * @param deleted    orphans deleted (first seen longer ago than the grace period)
 * @param bytesFreed stored bytes of the deleted chunks
 * @param duration   how long the run took
 */
public record GcReport(long scanned, long referenced, long candidates, long deleted, long bytesFreed,
                       Duration duration) {
    public GcReport {
        if (scanned < 0 || referenced + candidates != scanned || deleted > candidates || bytesFreed < 0) {
            throw new IllegalArgumentException("inconsistent garbage collection counts");
        }
    }
}
