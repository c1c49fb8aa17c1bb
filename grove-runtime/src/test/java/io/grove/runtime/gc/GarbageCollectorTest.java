package io.grove.runtime.gc;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkBatch;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.crypto.SealedChunk;
import io.grove.runtime.files.FileService;
import io.grove.runtime.files.IngestGate;
import io.grove.runtime.files.TestStorage;
import io.grove.runtime.manifest.ChunkEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Garbage collection against a real SQLite index and a real filesystem store. */
@Timeout(60)
class GarbageCollectorTest {
    @TempDir
    Path tmp;
    private TestStorage cell;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() throws IOException {
        threads.shutdownNow();
        if (cell != null) {
            cell.close();
        }
    }

    @Test
    void deletesAnOrphanOnceItHasBeenSeenLongerThanTheGracePeriod() throws IOException {
        open("1h");
        cell.put("kept.bin", TestStorage.random(1, 2 * TestStorage.CHUNK));
        byte[] orphanBytes = TestStorage.random(2, 5000);
        ChunkId orphan = putOrphan(orphanBytes);

        GcReport first = collector().collect();
        assertThat(first.scanned()).isEqualTo(3);
        assertThat(first.referenced()).isEqualTo(2);
        assertThat(first.candidates()).isEqualTo(1);
        assertThat(first.deleted()).isZero();
        assertThat(cell.store().has(orphan)).isTrue();

        cell.clock().advance(Duration.ofMinutes(60));
        GcReport second = collector().collect();

        assertThat(second.deleted()).isEqualTo(1);
        assertThat(second.bytesFreed()).isEqualTo(orphanBytes.length + SealedChunk.TAG_LENGTH);
        assertThat(cell.store().has(orphan)).isFalse();
        assertThat(cell.store().stats().chunks()).isEqualTo(2);
        assertThat(candidateRows()).isZero();
        assertThat(cell.storage().verifier().run().ok()).isTrue();
    }

    @Test
    void keepsAnOrphanYoungerThanTheGracePeriod() throws IOException {
        open("1h");
        cell.put("kept.bin", TestStorage.random(1, 100));
        ChunkId orphan = putOrphan(TestStorage.random(2, 100));

        collector().collect();
        cell.clock().advance(Duration.ofMinutes(59));
        GcReport report = collector().collect();

        assertThat(report.candidates()).isEqualTo(1);
        assertThat(report.deleted()).isZero();
        assertThat(cell.store().has(orphan)).isTrue();
    }

    @Test
    void neverDeletesAReferencedChunk() throws IOException {
        open("0s");
        byte[] a = TestStorage.random(1, 3 * TestStorage.CHUNK);
        cell.put("a.bin", a);
        cell.put("a.bin", TestStorage.random(2, TestStorage.CHUNK));
        cell.files().delete("a.bin");
        cell.put("b.bin", a);
        long chunks = cell.store().stats().chunks();

        cell.clock().advance(Duration.ofDays(365));
        GcReport report = collector().collect();

        assertThat(report.scanned()).isEqualTo(chunks);
        assertThat(report.referenced()).isEqualTo(chunks);
        assertThat(report.deleted()).isZero();
        assertThat(cell.store().stats().chunks()).isEqualTo(chunks);
        assertThat(cell.storage().verifier().run().ok()).isTrue();
    }

    @Test
    void pagesThroughTheStoreAndDeletesEveryDueOrphan() throws IOException {
        open("10s");
        cell.put("kept.bin", TestStorage.random(1, 100));
        int count = 2 * GarbageCollector.PAGE + 17;
        List<ChunkId> orphans = new ArrayList<>();
        try (ChunkBatch batch = cell.store().batch()) {
            for (int i = 0; i < count; i++) {
                byte[] bytes = TestStorage.random(1_000 + i, 10);
                SealedChunk sealed = sealer().seal(bytes);
                batch.put(sealed.id(), new ByteArrayInputStream(sealed.ciphertext()), sealed.ciphertext().length);
                orphans.add(sealed.id());
            }
            batch.commit();
        }

        GcReport first = collector().collect();
        assertThat(first.candidates()).isEqualTo(count);
        assertThat(first.deleted()).isZero();
        assertThat(candidateRows()).isEqualTo(count);

        cell.clock().advance(Duration.ofSeconds(10));
        GcReport second = collector().collect();

        assertThat(second.scanned()).isEqualTo(count + 1);
        assertThat(second.deleted()).isEqualTo(count);
        assertThat(second.bytesFreed()).isEqualTo(count * (10L + SealedChunk.TAG_LENGTH));
        assertThat(candidateRows()).isZero();
        assertThat(cell.store().list(ChunkCursor.START, ChunkPage.MAX_LIMIT).ids())
                .containsExactly(cell.chunks("kept.bin").getFirst().id());
    }

    @Test
    void forgetsCandidatesThatAreReferencedAgainOrLeftTheStore() throws IOException {
        open("1h");
        cell.put("kept.bin", TestStorage.random(1, 100));
        byte[] reused = TestStorage.random(2, 100);
        ChunkId reusedId = putOrphan(reused);
        ChunkId vanished = putOrphan(TestStorage.random(3, 100));
        collector().collect();
        assertThat(candidateRows()).isEqualTo(2);

        cell.put("reused.bin", reused);
        Files.delete(cell.chunkFile(vanished));
        GcReport report = collector().collect();

        assertThat(report.candidates()).isZero();
        assertThat(candidateRows()).isZero();
        assertThat(cell.chunks("reused.bin")).extracting(ChunkEntry::id).containsExactly(reusedId);
        cell.clock().advance(Duration.ofHours(2));
        assertThat(collector().collect().deleted()).isZero();
        assertThat(cell.store().has(reusedId)).isTrue();
    }

    @Test
    void aCollectorWaitingOnTheGateDoesNotDeleteWhatTheIngestInProgressThenReferences() throws Exception {
        open("0s");
        cell.put("kept.bin", TestStorage.random(1, 100));
        byte[] content = TestStorage.random(2, 1000);
        // Already in the store, unreferenced and past the grace period: what the ingest below will find and reuse.
        ChunkId orphan = putOrphan(content);
        CountDownLatch ingestHasItsPass = new CountDownLatch(1);
        CountDownLatch finishIngest = new CountDownLatch(1);
        InputStream slowUpload = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(content);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ingestHasItsPass.countDown();
                int n = data.read(b, off, len);
                if (n < 0) {
                    await(finishIngest); // the end of the upload arrives only once the collector is waiting
                }
                return n;
            }
        };

        Future<FileService.Stored> ingest = threads.submit(() -> cell.files().put("reuses.bin", slowUpload,
                new FileService.PutOptions(1, "application/octet-stream", Long.MAX_VALUE)));
        await(ingestHasItsPass);
        CompletableFuture<Thread> collectorThread = new CompletableFuture<>();
        Future<GcReport> collection = threads.submit(() -> {
            collectorThread.complete(Thread.currentThread());
            return collector().collect();
        });
        waitUntilParked(collectorThread.get(30, TimeUnit.SECONDS));
        assertThat(collection).isNotDone();
        finishIngest.countDown();

        assertThat(ingest.get(10, TimeUnit.SECONDS).newBytes()).as("the ingest reused the orphan").isZero();
        GcReport report = collection.get(10, TimeUnit.SECONDS);

        assertThat(report.deleted()).isZero();
        assertThat(cell.store().has(orphan)).isTrue();
        assertThat(cell.chunks("reuses.bin")).extracting(ChunkEntry::id).containsExactly(orphan);
        assertThat(cell.storage().verifier().run().ok()).isTrue();
    }

    @Test
    void refusesASecondCollectionWhileOneIsRunning() throws Exception {
        open("0s");
        cell.put("kept.bin", TestStorage.random(1, 100));
        CompletableFuture<Thread> collectorThread = new CompletableFuture<>();
        Future<GcReport> first;
        try (IngestGate.Pass ingest = cell.storage().gate().enter()) {
            first = threads.submit(() -> {
                collectorThread.complete(Thread.currentThread());
                return collector().collect();
            });
            waitUntilParked(collectorThread.get(30, TimeUnit.SECONDS));

            assertThatThrownBy(() -> collector().collect())
                    .isInstanceOf(GcRefusedException.class)
                    .hasMessageContaining("already running");
        }
        assertThat(first.get(10, TimeUnit.SECONDS).scanned()).isEqualTo(1);
    }

    @Test
    void refusesWhenNoVersionReferencesAnyChunkButTheStoreHoldsChunks() throws IOException {
        open("0s");
        ChunkId orphan = putOrphan(TestStorage.random(1, 100));

        assertThatThrownBy(() -> collector().collect())
                .isInstanceOf(GcRefusedException.class)
                .hasMessageContaining("no version references any chunk")
                .hasMessageContaining("Nothing was deleted");

        assertThat(cell.store().has(orphan)).isTrue();
        assertThat(candidateRows()).isZero();
    }

    @Test
    void aCellThatOnlyHoldsOtherCellsChunksCollectsTheOnesTheirOwnersReleased() throws IOException {
        open("0s");
        ChunkId released = putOrphan(TestStorage.random(1, 100));
        ChunkId held = putOrphan(TestStorage.random(2, 100));
        cell.jdbi().useHandle(h -> h.execute("INSERT INTO held_chunks (chunk_id, owner, received_at) VALUES (?, ?, 0)",
                held.hex(), "A".repeat(56)));

        collector().collect();

        assertThat(cell.store().has(released)).isFalse();
        assertThat(cell.store().has(held)).isTrue();
    }

    @Test
    void aCellThatReleasedTheLastChunkItHeldForOthersStillCollectsIt() throws IOException {
        open("0s");
        ChunkId released = putOrphan(TestStorage.random(3, 100));
        cell.jdbi().useHandle(h -> {
            h.execute("INSERT INTO held_chunks (chunk_id, owner, received_at) VALUES (?, ?, 0)", released.hex(),
                    "A".repeat(56));
            h.execute("DELETE FROM held_chunks"); // its owner released it, or left the fleet
        });

        collector().collect();

        assertThat(cell.store().has(released)).isFalse();
    }

    @Test
    void refusesWhenTheIndexHasFilesButNoVersions() throws IOException {
        open("0s");
        cell.put("a.bin", TestStorage.random(1, 100));
        ChunkId orphan = putOrphan(TestStorage.random(2, 100));
        // What a damaged or half-restored grove.db looks like: the file rows survived, the versions did not.
        cell.jdbi().useHandle(h -> {
            h.execute("DELETE FROM version_chunks");
            h.execute("DELETE FROM versions");
        });
        long chunks = cell.store().stats().chunks();

        assertThatThrownBy(() -> collector().collect())
                .isInstanceOf(GcRefusedException.class)
                .hasMessageContaining("files but no versions");

        assertThat(cell.store().stats().chunks()).isEqualTo(chunks);
        assertThat(cell.store().has(orphan)).isTrue();
    }

    @Test
    void refusesWhenTheIndexCannotBeRead() throws IOException {
        open("0s");
        cell.put("a.bin", TestStorage.random(1, 100));
        ChunkId orphan = putOrphan(TestStorage.random(2, 100));
        cell.jdbi().useHandle(h -> h.execute("DROP TABLE version_chunks"));

        assertThatThrownBy(() -> collector().collect())
                .isInstanceOf(GcRefusedException.class)
                .hasMessageContaining("cannot read the index");

        assertThat(cell.store().stats().chunks()).isEqualTo(2);
        assertThat(cell.store().has(orphan)).isTrue();
    }

    @Test
    void theScheduleCollectsEveryIntervalAndStopsWithTheStorage() throws Exception {
        cell = TestStorage.open(tmp.resolve("cell"), Map.of("gc.grace-period", "0s", "gc.interval", "50ms"));
        cell.put("kept.bin", TestStorage.random(1, 100));
        ChunkId orphan = putOrphan(TestStorage.random(2, 100));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cell.store().has(orphan) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(cell.store().has(orphan)).as("collected by the schedule").isFalse();

        cell.storage().close();
        ChunkId later = putOrphan(TestStorage.random(3, 100));
        Thread.sleep(300);
        assertThat(cell.store().has(later)).as("nothing collects after close").isTrue();
    }

    private void open(String gracePeriod) throws IOException {
        cell = TestStorage.open(tmp.resolve("cell"), Map.of("gc.grace-period", gracePeriod));
    }

    private GarbageCollector collector() {
        return cell.storage().collector();
    }

    private ChunkSealer sealer() {
        return new ChunkSealer(cell.keys().masterKey());
    }

    /** Stores {@code content} sealed exactly as an ingest would, without any version referencing it. */
    private ChunkId putOrphan(byte[] content) throws IOException {
        SealedChunk sealed = sealer().seal(content);
        cell.store().put(sealed.id(), new ByteArrayInputStream(sealed.ciphertext()), sealed.ciphertext().length);
        return sealed.id();
    }

    private long candidateRows() {
        return cell.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM gc_candidates").mapTo(Long.class).one());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code thread} blocks on a lock (the gate), at most 30 s. */
    private static void waitUntilParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(thread.getState()).as("the collector waits on the gate").isEqualTo(Thread.State.WAITING);
    }
}
