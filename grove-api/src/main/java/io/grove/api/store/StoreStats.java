package io.grove.api.store;

/**
 * Counts and space of a store.
 *
 * @param chunks     number of chunks held
 * @param bytes      bytes of chunk data held
 * @param freeBytes  bytes the store can still accept (free disk space, quota left …)
 * @param totalBytes capacity of the underlying medium, or {@code -1} when unknown
 */
public record StoreStats(long chunks, long bytes, long freeBytes, long totalBytes) {
    public StoreStats {
        if (chunks < 0 || bytes < 0 || freeBytes < 0 || totalBytes < -1) {
            throw new IllegalArgumentException("store stats must not be negative");
        }
    }
}
