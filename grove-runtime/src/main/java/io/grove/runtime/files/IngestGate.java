package io.grove.runtime.files;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps the garbage collector and ingests apart: any number of ingests (and restores) pass at once, and the
 * collector waits for them to finish and holds them off while it decides and deletes. Without it a collector could
 * delete an unreferenced chunk that an ingest in progress has just found in the store and is about to reference.
 */
public final class IngestGate {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    /** A held pass; closing it lets the collector in. */
    public interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** Entered by every ingest for its whole duration. */
    public Pass enter() {
        lock.readLock().lock();
        return () -> lock.readLock().unlock();
    }

    /** Entered by the collector; waits for running ingests. */
    public Pass exclusive() {
        lock.writeLock().lock();
        return () -> lock.writeLock().unlock();
    }
}
