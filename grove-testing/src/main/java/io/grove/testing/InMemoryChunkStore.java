package io.grove.testing;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.api.store.StoreStats;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe {@link ChunkStore} in memory, for tests of code that needs a store but not a disk.
 *
 * <p>It has a capacity so that tests can fill a cell up; a put beyond it fails with an {@link IOException},
 * as a full disk would. Nothing survives {@link #close()} or the JVM.
 */
public final class InMemoryChunkStore implements ChunkStore {
    /** The capacity of {@link #InMemoryChunkStore()}: 1 GiB. */
    public static final long DEFAULT_CAPACITY = 1L << 30;

    private final ConcurrentSkipListMap<ChunkId, byte[]> chunks = new ConcurrentSkipListMap<>();
    private final long capacity;
    /** Reserved before a chunk is inserted, so concurrent puts cannot overshoot the capacity together. */
    private final AtomicLong bytes = new AtomicLong();
    /**
     * Kept apart from the map because {@link ConcurrentSkipListMap#size()} walks every entry; like
     * {@link #bytes} it is raised before the insert, so a racing delete never drives it below zero.
     */
    private final AtomicLong count = new AtomicLong();

    /** A store holding at most {@link #DEFAULT_CAPACITY} bytes. */
    public InMemoryChunkStore() {
        this(DEFAULT_CAPACITY);
    }

    /** A store holding at most {@code capacityBytes} bytes of chunk data. */
    public InMemoryChunkStore(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacityBytes);
        }
        this.capacity = capacityBytes;
    }

    @Override
    public boolean put(ChunkId id, InputStream data, long length) throws IOException {
        if (length < 0 || length > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk length must be between 0 and " + MAX_CHUNK_BYTES + ": " + length);
        }
        if (chunks.containsKey(id)) {
            return false;
        }
        byte[] bytesRead = data.readNBytes((int) length);
        if (bytesRead.length < length) {
            throw new IllegalArgumentException("chunk " + id + " stream ended after " + bytesRead.length
                    + " of " + length + " bytes");
        }
        reserve(length);
        count.incrementAndGet();
        if (chunks.putIfAbsent(id, bytesRead) != null) {
            count.decrementAndGet();
            bytes.addAndGet(-length);
            return false;
        }
        return true;
    }

    @Override
    public Optional<InputStream> get(ChunkId id) {
        // Stored arrays are never written again, so streams can share them without a copy.
        return Optional.ofNullable(chunks.get(id)).map(ByteArrayInputStream::new);
    }

    @Override
    public boolean has(ChunkId id) {
        return chunks.containsKey(id);
    }

    @Override
    public OptionalLong size(ChunkId id) {
        byte[] chunk = chunks.get(id);
        return chunk == null ? OptionalLong.empty() : OptionalLong.of(chunk.length);
    }

    @Override
    public boolean delete(ChunkId id) {
        byte[] removed = chunks.remove(id);
        if (removed == null) {
            return false;
        }
        count.decrementAndGet();
        bytes.addAndGet(-removed.length);
        return true;
    }

    @Override
    public ChunkPage list(ChunkCursor cursor, int limit) {
        ChunkPage.checkLimit(limit);
        NavigableMap<ChunkId, byte[]> rest = cursor.after().map(after -> chunks.tailMap(after, false)).orElse(chunks);
        List<ChunkId> ids = new ArrayList<>(Math.min(limit, 1024));
        for (ChunkId id : rest.keySet()) {
            if (ids.size() == limit) {
                return new ChunkPage(ids, Optional.of(ChunkCursor.after(ids.getLast())));
            }
            ids.add(id);
        }
        return new ChunkPage(ids, Optional.empty());
    }

    @Override
    public StoreStats stats() {
        long used = bytes.get();
        return new StoreStats(count.get(), used, Math.max(0, capacity - used), capacity);
    }

    @Override
    public void close() {
        chunks.clear();
    }

    private void reserve(long length) throws IOException {
        long used;
        do {
            used = bytes.get();
            if (used + length > capacity) {
                throw new IOException("in-memory store is full: " + used + " of " + capacity + " bytes used");
            }
        } while (!bytes.compareAndSet(used, used + length));
    }
}
