package io.grove.runtime.ingest;

import io.grove.api.store.ChunkBatch;
import io.grove.runtime.chunk.ChunkReader;
import io.grove.runtime.chunk.Chunker;
import io.grove.runtime.chunk.PlainChunk;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.crypto.SealedChunk;
import io.grove.runtime.manifest.ChunkEntry;

import java.io.ByteArrayInputStream;
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
 * on the reader when workers or the disk are slower. Nothing holds the whole content.
 */
public final class Ingest {
    private final Chunker chunker;
    private final ChunkSealer sealer;
    private final ExecutorService workers;
    private final int window;

    /**
     * @param chunker the chunking of this cell (keyed FastCDC or fixed)
     * @param sealer  seals chunks under the master key
     * @param workers threads that seal and write
     * @param window  the most chunks in flight at once
     */
    public Ingest(Chunker chunker, ChunkSealer sealer, ExecutorService workers, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("the ingest window must hold at least one chunk");
        }
        this.chunker = chunker;
        this.sealer = sealer;
        this.workers = workers;
        this.window = window;
    }

    /**
     * Chunks, seals and stages everything {@code content} yields, up to {@code maxBytes}. The chunks are durable
     * once the caller commits {@code batch}.
     *
     * @throws ContentTooLargeException when the content exceeds {@code maxBytes}; nothing is committed
     * @throws IOException              when reading the content or writing the store fails
     */
    public Ingested run(InputStream content, ChunkBatch batch, long maxBytes) throws IOException {
        ChunkReader chunks = chunker.open(new BoundedInputStream(content, maxBytes));
        Semaphore inFlight = new Semaphore(window);
        List<Future<Stored>> pending = new ArrayList<>();
        try {
            for (Optional<PlainChunk> next = chunks.next(); next.isPresent(); next = chunks.next()) {
                PlainChunk plain = next.get();
                inFlight.acquire();
                pending.add(workers.submit(() -> {
                    try {
                        return store(sealer.seal(plain.data()), batch);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<ChunkEntry> entries = new ArrayList<>(pending.size());
            long size = 0;
            long newBytes = 0;
            for (Future<Stored> f : pending) {
                Stored stored = f.get();
                entries.add(stored.entry());
                size += stored.entry().plainLength();
                newBytes += stored.isNew() ? stored.entry().storedLength() : 0;
            }
            return new Ingested(entries, size, newBytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("ingest interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("sealing a chunk failed", e.getCause());
        } finally {
            for (Future<Stored> f : pending) {
                f.cancel(false);
            }
        }
    }

    private static Stored store(SealedChunk sealed, ChunkBatch batch) throws IOException {
        byte[] ciphertext = sealed.ciphertext();
        boolean isNew = batch.put(sealed.id(), new ByteArrayInputStream(ciphertext), ciphertext.length);
        return new Stored(new ChunkEntry(sealed.id(), sealed.plainLength(), ciphertext.length, sealed.key()), isNew);
    }

    private record Stored(ChunkEntry entry, boolean isNew) {
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
