package io.grove.runtime.ingest;

import io.grove.runtime.chunk.FixedChunker;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.manifest.ChunkEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The ingest window bounds the chunks in flight by count and by bytes, for every chunk size. */
class IngestWindowTest {
    private static final int CHUNK = 64 * 1024;
    private final ExecutorService workers = Executors.newFixedThreadPool(6);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    /** Counts chunks being placed at once; each placement takes a moment so that overlaps show. */
    private static final class Counting implements Destination {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        @Override
        public Placed place(io.grove.runtime.crypto.SealedChunk sealed) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                now.decrementAndGet();
            }
            return new Destination.Whole(new ChunkEntry(sealed.id(), sealed.plainLength(), sealed.ciphertext().length,
                    sealed.key()), true);
        }
    }

    private Ingest.Ingested run(int window, int windowBytes, Counting destination) throws Exception {
        Ingest ingest = new Ingest(new FixedChunker(CHUNK), new ChunkSealer(new byte[32]), workers, window, windowBytes);
        return ingest.start(new ByteArrayInputStream(new byte[40 * CHUNK]), destination, Long.MAX_VALUE).await();
    }

    @Test
    @Timeout(30)
    void boundsTheBytesInFlightBelowTheChunkWindow() throws Exception {
        Counting destination = new Counting();

        Ingest.Ingested done = run(6, 2 * CHUNK, destination);

        assertThat(done.size()).isEqualTo(40L * CHUNK);
        assertThat(destination.most.get()).isBetween(1, 2);
    }

    @Test
    @Timeout(30)
    void aChunkLargerThanTheByteWindowStillGoesAlone() throws Exception {
        Counting destination = new Counting();

        Ingest.Ingested done = run(6, 1000, destination);

        assertThat(done.chunks()).hasSize(40);
        assertThat(destination.most.get()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void theChunkWindowStillBoundsSmallChunks() throws Exception {
        Counting destination = new Counting();

        run(3, Ingest.DEFAULT_WINDOW_BYTES, destination);

        assertThat(destination.most.get()).isBetween(1, 3);
    }
}
