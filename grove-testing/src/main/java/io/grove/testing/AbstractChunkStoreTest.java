package io.grove.testing;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkBatch;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.api.store.StoreStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@link ChunkStore} contract as tests: every store plugin extends this class and supplies
 * {@link #createStore(Path)}; store-specific tests go in the subclass.
 *
 * <p>Each test gets a fresh store in a fresh temporary folder. {@link #reopen()} closes it and calls
 * {@link #createStore(Path)} again on the same folder, which is how persistence is checked. All data is
 * derived from fixed seeds, so a failure reproduces exactly.
 */
@Timeout(30)
public abstract class AbstractChunkStoreTest {
    private static final int THREADS = 8;
    private static final int PUTS_PER_THREAD = 50;

    @TempDir
    private Path dir;
    private ChunkStore store;

    /**
     * Opens the store kept in {@code dir}: an empty store the first time, and the same chunks when called
     * again on that folder after the previous store was closed.
     */
    protected abstract ChunkStore createStore(Path dir) throws IOException;

    /**
     * Whether chunks survive {@link #reopen()}; a store that keeps nothing across restarts (an in-memory
     * one) returns {@code false} and the persistence tests are skipped.
     */
    protected boolean persistsAcrossReopen() {
        return true;
    }

    /**
     * Whether {@link ChunkStore#batch()} stages chunks until {@link ChunkBatch#commit()} (the store overrides it);
     * {@code false} for stores that keep the default batch, which puts each chunk at once. Tests of what is
     * invisible before a commit and discarded by a close run only for staging stores.
     */
    protected boolean batchesStageUntilCommit() {
        return false;
    }

    /** The store under test. */
    protected final ChunkStore store() {
        return store;
    }

    /** The folder the store under test was created in. */
    protected final Path storeDir() {
        return dir;
    }

    /** Closes the store and opens it again on the same folder, as a restart of the runtime would. */
    protected final void reopen() throws IOException {
        ChunkStore previous = store;
        store = null;
        previous.close();
        store = createStore(dir);
    }

    @BeforeEach
    final void openStore() throws IOException {
        store = createStore(dir);
    }

    @AfterEach
    final void closeStore() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 1 << 20, (int) ChunkStore.MAX_CHUNK_BYTES})
    void returnsTheBytesThatWerePut(int length) throws IOException {
        byte[] bytes = randomBytes(length, length);
        ChunkId id = idOf(bytes);

        assertThat(put(id, bytes)).isTrue();

        assertStored(id, bytes);
    }

    @Test
    void putOfAnExistingIdReturnsFalseAndKeepsTheOriginalBytes() throws IOException {
        byte[] original = randomBytes(1, 1000);
        byte[] other = randomBytes(2, 2000);
        ChunkId id = idOf(original);
        put(id, original);

        assertThat(put(id, other)).isFalse();

        assertStored(id, original);
        assertThat(store.stats().chunks()).isEqualTo(1);
    }

    @Test
    void putReadsExactlyLengthBytesAndLeavesTheRestOfTheStream() throws IOException {
        byte[] bytes = randomBytes(3, 100_000);
        ChunkId id = idOf(bytes);
        InputStream data = new ByteArrayInputStream(bytes);

        assertThat(store.put(id, data, 70_000)).isTrue();

        assertStored(id, Arrays.copyOf(bytes, 70_000));
        assertThat(data.available()).isEqualTo(30_000);
    }

    @Test
    void absentChunkIsNotThereInAnyWay() throws IOException {
        ChunkId id = randomId(new Random(4));

        assertThat(store.has(id)).isFalse();
        assertThat(store.size(id)).isEmpty();
        assertThat(store.get(id)).isEmpty();
        assertThat(store.delete(id)).isFalse();
    }

    @Test
    void hasSizeAndDeleteFollowThePresenceOfAChunk() throws IOException {
        byte[] bytes = randomBytes(5, 12_345);
        ChunkId id = idOf(bytes);
        put(id, bytes);

        assertThat(store.has(id)).isTrue();
        assertThat(store.size(id)).hasValue(12_345);

        assertThat(store.delete(id)).isTrue();

        assertThat(store.has(id)).isFalse();
        assertThat(store.size(id)).isEmpty();
        assertThat(store.get(id)).isEmpty();
        assertThat(store.delete(id)).isFalse();
        assertThat(put(id, bytes)).as("a deleted chunk can be put again").isTrue();
        assertStored(id, bytes);
    }

    @Test
    void listsAnEmptyStoreAsOneEmptyLastPage() throws IOException {
        ChunkPage page = store.list(ChunkCursor.START, 10);

        assertThat(page.ids()).isEmpty();
        assertThat(page.next()).isEmpty();
    }

    @Test
    void listPagesThroughEveryIdOnceInAscendingOrder() throws Exception {
        // Sized for a store that flushes every put to disk (a few ms each) to pass in a couple of seconds.
        List<ChunkId> ids = randomIds(6, 600);
        putConcurrently(ids);

        List<ChunkPage> pages = listAllPages(250);

        assertThat(pages).extracting(page -> page.ids().size()).containsExactly(250, 250, 100);
        assertThat(pages.getLast().next()).isEmpty();
        assertThat(pages.stream().flatMap(page -> page.ids().stream()).toList())
                .isSortedAccordingTo(ChunkId::compareTo)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(ids.stream().sorted().toList());
    }

    @Test
    void aFullLastPageHasNoNextCursor() throws Exception {
        List<ChunkId> ids = randomIds(7, 10);
        putConcurrently(ids);

        assertThat(listAllPages(5)).extracting(page -> page.ids().size()).containsExactly(5, 5);
        assertThat(store.list(ChunkCursor.START, 10).next()).isEmpty();
    }

    @Test
    void listStartsJustAfterTheCursorEvenWhenThatIdIsAbsent() throws Exception {
        List<ChunkId> ids = randomIds(8, 120);
        putConcurrently(ids);
        ChunkId middle = ChunkId.of("80" + "0".repeat(ChunkId.HEX_LENGTH - 2));
        ChunkId present = ids.stream().sorted().toList().get(40);

        assertThat(store.list(ChunkCursor.after(middle), ChunkPage.MAX_LIMIT).ids())
                .containsExactlyElementsOf(ids.stream().filter(id -> id.compareTo(middle) > 0).sorted().toList());
        assertThat(store.list(ChunkCursor.after(present), ChunkPage.MAX_LIMIT).ids())
                .containsExactlyElementsOf(ids.stream().filter(id -> id.compareTo(present) > 0).sorted().toList());
    }

    @Test
    void rejectsPageLimitsOutsideOneToMaxLimit() throws IOException {
        for (int limit : new int[]{0, -1, ChunkPage.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> store.list(ChunkCursor.START, limit))
                    .as("limit %d", limit)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.list(ChunkCursor.START, ChunkPage.MAX_LIMIT).ids()).isEmpty();
        assertThat(store.list(ChunkCursor.START, 1).ids()).isEmpty();
    }

    @Test
    void putFromAStreamShorterThanLengthIsRejectedAndStoresNothing() throws IOException {
        byte[] bytes = randomBytes(9, 100_000);
        ChunkId id = idOf(bytes);

        assertThatThrownBy(() -> store.put(id, new ByteArrayInputStream(bytes), bytes.length + 1))
                .isInstanceOf(IllegalArgumentException.class);

        assertNothingStored();
        assertThat(put(id, bytes)).as("the id is still free").isTrue();
    }

    @Test
    void putFromAStreamThatFailsMidwayStoresNothing() throws IOException {
        byte[] bytes = randomBytes(10, 200_000);
        ChunkId id = idOf(bytes);
        assertThatThrownBy(() -> store.put(id, new FailingStream(bytes, 150_000), bytes.length))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("simulated");

        assertNothingStored();
        assertThat(put(id, bytes)).as("the id is still free").isTrue();
        assertStored(id, bytes);
    }

    @Test
    void rejectsLengthsOutsideZeroToMaxChunkBytes() {
        ChunkId id = randomId(new Random(11));
        for (long length : new long[]{-1, Long.MIN_VALUE, ChunkStore.MAX_CHUNK_BYTES + 1, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> store.put(id, InputStream.nullInputStream(), length))
                    .as("length %d", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void statsCountChunksAndBytesThroughPutsAndDeletes() throws IOException {
        assertCounts(0, 0);
        byte[][] chunks = {randomBytes(12, 0), randomBytes(13, 10), randomBytes(14, 65_537), randomBytes(15, 1000)};
        for (byte[] chunk : chunks) {
            put(idOf(chunk), chunk);
        }
        assertCounts(4, 66_547);

        put(idOf(chunks[1]), chunks[1]);
        assertCounts(4, 66_547);

        store.delete(idOf(chunks[2]));
        store.delete(idOf(chunks[2]));
        assertCounts(3, 1_010);

        StoreStats stats = store.stats();
        assertThat(stats.totalBytes()).satisfiesAnyOf(
                total -> assertThat(total).isEqualTo(-1),
                total -> assertThat(total).isGreaterThanOrEqualTo(stats.freeBytes()));
    }

    @Test
    void keepsChunksAcrossReopen() throws IOException {
        assumeTrue(persistsAcrossReopen(), "this store keeps nothing across restarts");
        byte[] kept = randomBytes(16, 70_000);
        byte[] empty = randomBytes(17, 0);
        byte[] deleted = randomBytes(18, 500);
        put(idOf(kept), kept);
        put(idOf(empty), empty);
        put(idOf(deleted), deleted);
        store.delete(idOf(deleted));

        reopen();

        assertStored(idOf(kept), kept);
        assertStored(idOf(empty), empty);
        assertThat(store.has(idOf(deleted))).isFalse();
        assertThat(store.list(ChunkCursor.START, 10).ids())
                .containsExactlyElementsOf(List.of(idOf(kept), idOf(empty)).stream().sorted().toList());
        assertCounts(2, 70_000);
        assertThat(put(idOf(kept), kept)).isFalse();
    }

    @Test
    void concurrentPutsOfTheSameIdStoreItExactlyOnce() throws Exception {
        byte[] bytes = randomBytes(19, 100_000);
        ChunkId id = idOf(bytes);
        AtomicInteger stored = new AtomicInteger();

        runConcurrently((thread, i) -> {
            if (put(id, bytes)) {
                stored.incrementAndGet();
            }
        });

        assertThat(stored).hasValue(1);
        assertStored(id, bytes);
        assertCounts(1, bytes.length);
    }

    @Test
    void concurrentPutsOfDifferentIdsAreAllStored() throws Exception {
        byte[][] chunks = IntStream.range(0, THREADS * PUTS_PER_THREAD)
                .mapToObj(i -> randomBytes(1_000 + i, 1_000 + i))
                .toArray(byte[][]::new);
        AtomicInteger stored = new AtomicInteger();

        runConcurrently((thread, i) -> {
            byte[] chunk = chunks[thread * PUTS_PER_THREAD + i];
            if (put(idOf(chunk), chunk)) {
                stored.incrementAndGet();
            }
        });

        assertThat(stored).hasValue(chunks.length);
        assertThat(listAllPages(ChunkPage.MAX_LIMIT).getFirst().ids())
                .containsExactlyElementsOf(Arrays.stream(chunks).map(AbstractChunkStoreTest::idOf).sorted().toList());
        assertCounts(chunks.length, Arrays.stream(chunks).mapToLong(chunk -> chunk.length).sum());
        for (byte[] chunk : chunks) {
            assertStored(idOf(chunk), chunk);
        }
    }

    @Test
    void batchCommitMakesEveryStagedChunkVisibleAndDurable() throws IOException {
        byte[][] chunks = {randomBytes(20, 0), randomBytes(21, 10), randomBytes(22, 70_000), randomBytes(23, 1000)};

        try (ChunkBatch batch = store.batch()) {
            for (byte[] chunk : chunks) {
                assertThat(put(batch, chunk)).isTrue();
            }
            if (batchesStageUntilCommit()) {
                assertThat(store.has(idOf(chunks[2]))).as("staged chunks are invisible before the commit").isFalse();
                assertThat(store.get(idOf(chunks[2]))).isEmpty();
                assertNothingStored();
            }
            batch.commit();
        }

        for (byte[] chunk : chunks) {
            assertStored(idOf(chunk), chunk);
        }
        assertCounts(4, 71_010);
        if (persistsAcrossReopen()) {
            reopen();
            for (byte[] chunk : chunks) {
                assertStored(idOf(chunk), chunk);
            }
            assertCounts(4, 71_010);
        }
    }

    @Test
    void batchClosedWithoutCommitLeavesNothingBehind() throws IOException {
        byte[][] chunks = {randomBytes(24, 100), randomBytes(25, 200_000)};

        try (ChunkBatch batch = store.batch()) {
            for (byte[] chunk : chunks) {
                put(batch, chunk);
            }
        }

        if (batchesStageUntilCommit()) {
            assertNothingStored();
            for (byte[] chunk : chunks) {
                assertThat(store.has(idOf(chunk))).isFalse();
            }
            if (persistsAcrossReopen()) {
                reopen();
                assertNothingStored();
            }
            assertThat(put(idOf(chunks[0]), chunks[0])).as("the id is still free").isTrue();
        } else {
            // The default batch put each chunk at once: a close cannot take them back.
            for (byte[] chunk : chunks) {
                assertStored(idOf(chunk), chunk);
            }
        }
    }

    @Test
    void batchPutOfAnIdTheStoreHoldsReturnsFalseAndKeepsTheOriginal() throws IOException {
        byte[] original = randomBytes(26, 1000);
        ChunkId id = idOf(original);
        put(id, original);

        try (ChunkBatch batch = store.batch()) {
            assertThat(batch.put(id, new ByteArrayInputStream(randomBytes(27, 500)), 500)).isFalse();
            batch.commit();
        }

        assertStored(id, original);
        assertCounts(1, 1000);
    }

    @Test
    void batchPutOfAnIdAlreadyInTheSameBatchReturnsFalse() throws IOException {
        byte[] chunk = randomBytes(28, 5000);

        try (ChunkBatch batch = store.batch()) {
            assertThat(put(batch, chunk)).isTrue();
            assertThat(put(batch, chunk)).isFalse();
            batch.commit();
        }

        assertStored(idOf(chunk), chunk);
        assertCounts(1, 5000);
    }

    @Test
    void aChunkStoredOutsideTheBatchBeforeItsCommitIsCountedOnce() throws IOException {
        byte[] chunk = randomBytes(29, 3000);
        byte[] other = randomBytes(30, 10);

        try (ChunkBatch batch = store.batch()) {
            put(batch, chunk);
            put(batch, other);
            put(idOf(chunk), chunk);
            batch.commit();
        }

        assertStored(idOf(chunk), chunk);
        assertStored(idOf(other), other);
        assertCounts(2, 3010);
        assertThat(store.list(ChunkCursor.START, 10).ids()).hasSize(2);
    }

    @Test
    void concurrentPutsIntoOneBatchAreAllCommitted() throws Exception {
        byte[][] chunks = IntStream.range(0, THREADS * PUTS_PER_THREAD)
                .mapToObj(i -> randomBytes(2_000 + i, 500 + i))
                .toArray(byte[][]::new);
        AtomicInteger stored = new AtomicInteger();

        try (ChunkBatch batch = store.batch()) {
            runConcurrently((thread, i) -> {
                // Every thread also puts its neighbour's first chunk: exactly one put of each id counts as new.
                byte[] chunk = chunks[thread * PUTS_PER_THREAD + i];
                byte[] shared = chunks[((thread + 1) % THREADS) * PUTS_PER_THREAD];
                if (put(batch, chunk)) {
                    stored.incrementAndGet();
                }
                if (i == PUTS_PER_THREAD - 1 && put(batch, shared)) {
                    stored.incrementAndGet();
                }
            });
            batch.commit();
        }

        assertThat(stored).hasValue(chunks.length);
        assertThat(listAllPages(ChunkPage.MAX_LIMIT).getFirst().ids())
                .containsExactlyElementsOf(Arrays.stream(chunks).map(AbstractChunkStoreTest::idOf).sorted().toList());
        assertCounts(chunks.length, Arrays.stream(chunks).mapToLong(chunk -> chunk.length).sum());
        for (byte[] chunk : chunks) {
            assertStored(idOf(chunk), chunk);
        }
    }

    @Test
    void statsCountWhatABatchCommitted() throws IOException {
        byte[] before = randomBytes(31, 400);
        put(idOf(before), before);
        byte[][] chunks = {randomBytes(32, 1), randomBytes(33, 65_536), before};

        try (ChunkBatch batch = store.batch()) {
            for (byte[] chunk : chunks) {
                put(batch, chunk);
            }
            batch.commit();
        }
        assertCounts(3, 65_937);

        try (ChunkBatch batch = store.batch()) {
            put(batch, randomBytes(34, 50));
        }
        assertCounts(batchesStageUntilCommit() ? 3 : 4, batchesStageUntilCommit() ? 65_937 : 65_987);
    }

    // ---- helpers for subclasses ----

    /** {@code length} bytes that depend only on {@code seed}. */
    protected static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The real content address of {@code bytes}, as the runtime would name them. */
    protected static ChunkId idOf(byte[] bytes) {
        try {
            return ChunkId.ofDigest(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** A random id; stores do not check that content matches its id, so listings can use these. */
    protected static ChunkId randomId(Random random) {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        return ChunkId.ofDigest(digest);
    }

    /** Puts {@code bytes} under {@code id}. */
    protected final boolean put(ChunkId id, byte[] bytes) throws IOException {
        return store.put(id, new ByteArrayInputStream(bytes), bytes.length);
    }

    /** Puts {@code bytes} under their real id into {@code batch}. */
    protected static boolean put(ChunkBatch batch, byte[] bytes) throws IOException {
        return batch.put(idOf(bytes), new ByteArrayInputStream(bytes), bytes.length);
    }

    /** Asserts that the store holds exactly {@code expected} under {@code id}. */
    protected final void assertStored(ChunkId id, byte[] expected) throws IOException {
        assertThat(store.has(id)).as("has %s", id).isTrue();
        assertThat(store.size(id)).as("size of %s", id).hasValue(expected.length);
        Optional<InputStream> stream = store.get(id);
        assertThat(stream).as("get %s", id).isPresent();
        byte[] actual;
        try (InputStream in = stream.orElseThrow()) {
            actual = in.readAllBytes();
        }
        // Compared by hand: AssertJ would print both 16 MiB arrays on a mismatch.
        int mismatch = Arrays.mismatch(actual, expected);
        if (mismatch >= 0) {
            fail("chunk %s differs from what was put at byte %d (read %d bytes, put %d)",
                    id, mismatch, actual.length, expected.length);
        }
    }

    /** Every page of the listing from the start, at most {@code 2 + chunks / pageSize} pages. */
    protected final List<ChunkPage> listAllPages(int pageSize) throws IOException {
        long maxPages = 2 + store.stats().chunks() / pageSize;
        List<ChunkPage> pages = new ArrayList<>();
        ChunkCursor cursor = ChunkCursor.START;
        while (pages.size() <= maxPages) {
            ChunkPage page = store.list(cursor, pageSize);
            assertThat(page.ids()).as("page %d", pages.size()).hasSizeLessThanOrEqualTo(pageSize);
            pages.add(page);
            if (page.next().isEmpty()) {
                return pages;
            }
            cursor = page.next().orElseThrow();
        }
        return fail("listing did not end after %d pages", maxPages);
    }

    private void assertNothingStored() throws IOException {
        assertThat(store.list(ChunkCursor.START, ChunkPage.MAX_LIMIT).ids()).isEmpty();
        assertCounts(0, 0);
    }

    private void assertCounts(long chunks, long bytes) throws IOException {
        StoreStats stats = store.stats();
        assertThat(stats.chunks()).as("chunks in stats").isEqualTo(chunks);
        assertThat(stats.bytes()).as("bytes in stats").isEqualTo(bytes);
    }

    private static List<ChunkId> randomIds(long seed, int count) {
        Random random = new Random(seed);
        return IntStream.range(0, count).mapToObj(i -> randomId(random)).toList();
    }

    /** Puts one byte under each id from a few threads, since a durable store syncs every put. */
    private void putConcurrently(List<ChunkId> ids) throws Exception {
        int perThread = (ids.size() + THREADS - 1) / THREADS;
        runConcurrently(THREADS, perThread, (thread, i) -> {
            int index = thread * perThread + i;
            if (index < ids.size()) {
                put(ids.get(index), new byte[]{(byte) index});
            }
        });
    }

    private void runConcurrently(Task task) throws Exception {
        runConcurrently(THREADS, PUTS_PER_THREAD, task);
    }

    private static void runConcurrently(int threads, int perThread, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        task.run(thread, i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : running) {
                future.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Serves the first {@code failAfter} bytes, then fails as a dropped connection or a bad disk would. */
    private static final class FailingStream extends InputStream {
        private final byte[] bytes;
        private final int failAfter;
        private int position;

        FailingStream(byte[] bytes, int failAfter) {
            this.bytes = bytes;
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= failAfter) {
                throw new IOException("simulated read failure after " + position + " bytes");
            }
            int n = Math.min(len, failAfter - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    @FunctionalInterface
    private interface Task {
        void run(int thread, int iteration) throws Exception;
    }
}
