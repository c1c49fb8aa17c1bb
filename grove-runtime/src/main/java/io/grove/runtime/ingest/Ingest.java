package io.grove.runtime.ingest;

import io.grove.api.store.ChunkBatch;
import io.grove.runtime.chunk.ChunkReader;
import io.grove.runtime.chunk.Chunker;
import io.grove.runtime.chunk.PlainChunk;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.manifest.ChunkEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The hot path: content → chunks → sealed chunks → store, with sealing and writing overlapped across cores.
 *
 * <p>The calling thread reads and chunks the stream; each chunk is sealed (hash, derive key, encrypt, hash) and
 * written by a worker. A window of in-flight chunks bounds memory (each chunk is at most 16 MiB) and pushes back
 * on the reader when workers or the disk are slower; a cap on the bytes in flight bounds it for the largest chunks
 * too. Nothing holds the whole content.
 */
public final class Ingest {
    private final Chunker chunker;
    private final ChunkSealer sealer;
    private final ExecutorService workers;
    // Shared by every ingest of the cell: bound the memory of all uploads together, not of each one.
    private final Semaphore inFlight;
    private final Semaphore inFlightBytes;
    private final int windowBytes;

    /**
     * @param chunker the chunking of this cell (keyed FastCDC or fixed)
     * @param sealer  seals chunks under the master key
     * @param workers threads that seal and write
     * @param window  the most chunks in flight at once
     */
    public Ingest(Chunker chunker, ChunkSealer sealer, ExecutorService workers, int window) {
        this(chunker, sealer, workers, window, DEFAULT_WINDOW_BYTES);
    }

    /** Plaintext bytes in flight at most, by default: 48 MiB (with their sealed copies, about 96 MiB of heap). */
    public static final int DEFAULT_WINDOW_BYTES = 48 << 20;

    /**
     * @param windowBytes the most plaintext bytes in flight at once (a chunk larger than this still goes, alone):
     *                    with maximum-size chunks (16 MiB, e.g. data without cut points), a window of chunks alone
     *                    would hold five of them and their sealed copies, 160 MiB of heap
     */
    public Ingest(Chunker chunker, ChunkSealer sealer, ExecutorService workers, int window, int windowBytes) {
        if (window < 1 || windowBytes < 1) {
            throw new IllegalArgumentException("the ingest window must hold at least one chunk and one byte");
        }
        this.chunker = chunker;
        this.sealer = sealer;
        this.workers = workers;
        this.inFlight = new Semaphore(window);
        this.inFlightBytes = new Semaphore(windowBytes);
        this.windowBytes = windowBytes;
    }

    /**
     * Chunks, seals and stages everything {@code content} yields, up to {@code maxBytes}. The chunks are durable
     * once the caller commits {@code batch}.
     *
     * @throws ContentTooLargeException when the content exceeds {@code maxBytes}; nothing is committed
     * @throws IOException              when reading the content or writing the store fails
     */
    public Ingested run(InputStream content, ChunkBatch batch, long maxBytes) throws IOException {
        return start(content, Destination.of(batch), maxBytes).await();
    }

    /**
     * Reads and chunks all of {@code content} on the calling thread and hands the chunks to the workers, without
     * waiting for them: the caller can go on to the next file (of an archive) while these are sealed and written.
     */
    public Pending start(InputStream content, Destination destination, long maxBytes) throws IOException {
        return start(content, -1, destination, maxBytes);
    }

    /**
     * As {@link #start(InputStream, Destination, long)}, for content expected to hold {@code expectedBytes} (a file's
     * listed size; negative when unknown), which only sizes the chunker's first buffer ({@link Chunker#open(InputStream,
     * long)}): a small file is then read into one array of its size instead of a 64 KiB window and a copy.
     */
    public Pending start(InputStream content, long expectedBytes, Destination destination, long maxBytes)
            throws IOException {
        ChunkReader chunks = chunker.open(new BoundedInputStream(content, maxBytes), expectedBytes);
        Pending pending = new Pending();
        try {
            for (Optional<PlainChunk> next = chunks.next(); next.isPresent(); next = chunks.next()) {
                PlainChunk plain = next.get();
                pending.bytes += plain.length();
                int bytes = Math.min(plain.length(), windowBytes);
                inFlightBytes.acquire(bytes);
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    inFlightBytes.release(bytes);
                    throw e;
                }
                try {
                    pending.futures.add(workers.submit(() -> {
                        try {
                            // In place where the chunker left room: one array per chunk in flight, not two.
                            return destination.place(plain.sealableInPlace()
                                    ? sealer.sealInPlace(plain.buffer(), plain.length())
                                    : sealer.seal(plain.buffer(), 0, plain.length()));
                        } finally {
                            inFlight.release();
                            inFlightBytes.release(bytes);
                        }
                    }));
                } catch (RuntimeException e) {
                    inFlight.release();
                    inFlightBytes.release(bytes);
                    throw e;
                }
            }
            return pending;
        } catch (InterruptedException e) {
            // Chunks already handed over still run (each releases its window slot); unreferenced, they are collected.
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("ingest interrupted");
        } catch (IOException | RuntimeException | Error e) {
            // Let handed-over chunks finish before the caller discards the batch they write into (also after an
            // OutOfMemoryError in the chunker, which the put answers as a failure while the cell goes on).
            pending.settle();
            throw e;
        }
    }

    /** Chunks being sealed and written. */
    public static final class Pending {
        private final List<Future<Destination.Placed>> futures = new ArrayList<>();
        private long bytes;

        /** Content bytes read (all of them once {@link #start} returned). */
        public long bytes() {
            return bytes;
        }

        /** Waits for every chunk task to end, ignoring failures (the content is being abandoned). */
        public void settle() {
            for (Future<Destination.Placed> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException ignored) {
                    // abandoned anyway
                }
            }
        }

        /**
         * Waits for every chunk to be staged and returns the entries in content order. With a {@link Packer}, flush it
         * first (after {@link #join()}): a chunk in a pack still open has no entry yet.
         */
        public Ingested await() throws IOException {
            join();
            try {
                List<ChunkEntry> entries = new ArrayList<>(futures.size());
                long size = 0;
                long newBytes = 0;
                for (Future<Destination.Placed> f : futures) {
                    Destination.Placed stored = f.get();
                    entries.add(stored.entry());
                    size += stored.entry().plainLength();
                    newBytes += stored.isNew() ? stored.entry().storedLength() : 0;
                }
                return new Ingested(entries, size, newBytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("ingest interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException("a chunk failed after it was staged", e.getCause());
            }
        }

        /** Waits for every chunk to be staged (sealed and placed), failing as the first failed chunk did. */
        public void join() throws IOException {
            try {
                for (Future<Destination.Placed> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("ingest interrupted");
            } catch (ExecutionException e) {
                settle();
                throw e.getCause() instanceof IOException io ? io : new IOException("sealing a chunk failed", e.getCause());
            }
        }
    }

    /**
     * What an ingest produced.
     *
     * @param chunks   the chunk entries in content order
     * @param size     content bytes
     * @param newBytes stored bytes of chunks the store did not hold before
     */
    public record Ingested(List<ChunkEntry> chunks, long size, long newBytes) {
        public Ingested {
            chunks = List.copyOf(chunks);
        }
    }
}
