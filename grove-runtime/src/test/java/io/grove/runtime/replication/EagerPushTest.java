package io.grove.runtime.replication;

import com.fasterxml.jackson.databind.JsonNode;
import io.grove.api.CellId;
import io.grove.runtime.files.FileService;
import io.grove.runtime.testing.TestCell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.grove.runtime.replication.Placements.placement;
import static io.grove.runtime.replication.Placements.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** Chunks go to their holders while the ingest runs; a failed eager push is left to the sync round. */
class EagerPushTest {
    private static final int CHUNK = 256 * 1024;
    /** Small fixed chunks, so that an ingest stages several before its stream ends. */
    private static final Map<String, String> SMALL_CHUNKS = Map.of("fleet.gossip-interval", "200ms",
            "peer.timeout", "5s", "routes.probe-interval", "5s", "chunking.mode", "fixed",
            "chunking.fixed-size", "256KiB");

    @TempDir
    Path dir;
    private TestFleet cells;

    @BeforeEach
    void open() {
        cells = new TestFleet(dir);
    }

    @AfterEach
    void stop() {
        cells.close();
    }

    @Test
    void chunksReachTheirHolderWhileTheIngestRunsBeforeTheVersionCommits() throws Exception {
        // No round could push: an hour between rounds, and the chunks are not in any committed version yet.
        Map<String, String> slow = new HashMap<>(SMALL_CHUNKS);
        slow.put("sync.interval", "1h");
        slow.put("replication.eager.wait", "30s"); // a slow first push (cold JVM) must not send chunks to the round
        TestCell a = cell("a", slow);
        TestCell b = cell("b", slow);
        fleet(a, b);
        GatedStream content = new GatedStream(8 * CHUNK + 1000, 4 * CHUNK);
        CompletableFuture<FileService.Stored> put = CompletableFuture.supplyAsync(() -> put(a, "big.bin", content));

        EagerPush eager = a.cell().network().replicator().eager().orElseThrow();
        awaitHeld(a, b, 8);
        assertThat(put).isNotDone();
        assertThat(chunkFiles(b)).isGreaterThanOrEqualTo(8);

        content.open();
        assertThat(put.get(30, TimeUnit.SECONDS).version().size()).isEqualTo(content.length());
        // The commit's round pushes the manifest; every chunk already counts, so none needed pushing.
        JsonNode placed = eventually(a, p -> p.path(0).path("confirmed").asInt() == 2, "the file reaches 2 copies");
        assertThat(placed.path(0).path("holders")).hasSize(2);
        assertThat(chunkFiles(b)).isEqualTo(13);
        assertThat(a.cell().network().replicator().eager().orElseThrow().counts().pushed()).isEqualTo(13);
    }

    @Test
    void aFailedEagerPushLeavesTheChunkToTheRound() throws Exception {
        // b keeps counting while it is away (grace period): a's pushes to it fail
        Map<String, String> settings = smallChunks(Map.of("sync.interval", "500ms", "healing.grace-period", "10m"));
        TestCell a = cell("a", settings);
        TestCell b = cell("b", settings);
        GatedStream content = new GatedStream(2 * CHUNK + 1000, 6 * CHUNK);
        CompletableFuture<FileService.Stored> put = putWhileHeld(a, b, "late.bin", content, 2);
        cells.stop(b);

        content.open(); // the remaining chunks are staged while b is away: their eager pushes fail
        put.get(30, TimeUnit.SECONDS);
        EagerPush eager = a.cell().network().replicator().eager().orElseThrow();
        TestCell.eventually(Duration.ofSeconds(30), () -> eager.counts().failed() >= 1, "an eager push failed");
        assertThat(placement(a).path(0).path("confirmed").asInt()).isEqualTo(1);

        TestCell back = cell("b", settings);
        eventually(a, p -> p.path(0).path("confirmed").asInt() == 2, "the sync round pushes what eager pushing left");
        assertThat(chunkFiles(back)).isEqualTo(9);
        assertThat(eager.counts().pushed()).isLessThan(9);
    }

    @Test
    void copiesPushedForAFailedIngestAreReleasedOnceNoVersionHasReferencedThemForTheGracePeriod() throws Exception {
        Map<String, String> settings = smallChunks(Map.of("sync.interval", "300ms", "gc.grace-period", "2s",
                "gc.interval", "500ms", "replication.eager.wait", "30s"));
        TestCell a = cell("a", settings);
        TestCell b = cell("b", settings);
        GatedStream content = new GatedStream(4 * CHUNK + 1000, 4 * CHUNK);
        CompletableFuture<FileService.Stored> put = putWhileHeld(a, b, "broken.bin", content, 4);
        content.fail();
        assertThat(put).failsWithin(Duration.ofSeconds(30));
        int orphans = heldFor(b, a);
        assertThat(orphans).isGreaterThanOrEqualTo(4);

        // No version references any chunk yet: an index in that state may be a lost one, so nothing is released.
        Thread.sleep(3500);
        assertThat(heldFor(b, a)).isEqualTo(orphans);

        put(a, "kept.bin", new java.io.ByteArrayInputStream(new byte[1000]));
        eventually(a, p -> p.size() == 1 && p.path(0).path("confirmed").asInt() == 2, "the kept file reaches 2 copies");
        TestCell.eventually(Duration.ofSeconds(30), () -> heldFor(b, a) == 1 && holdingsOf(a, b.cell().id()) == 1,
                "b keeps only the kept file's chunk for a");
        // b's collector then deletes the released files: only the kept chunk's is left.
        TestCell.eventually(Duration.ofSeconds(30), () -> {
            try {
                return chunkFiles(b) == 1;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "b deletes the released chunks");
        assertThat(placement(a).path(0).path("confirmed").asInt()).isEqualTo(2);
    }

    @Test
    void eagerPushesRacingRoundsNeverExceedTheFactor() throws Exception {
        // Rounds as often as allowed, three cells, factor 2: every chunk must end up on exactly one of b and c.
        Map<String, String> racing = new HashMap<>(SMALL_CHUNKS);
        racing.put("sync.interval", "200ms");
        racing.put("healing.release-after", "1d"); // a surplus copy would stay, to be counted
        racing.put("chunking.fixed-size", "64KiB");
        TestCell a = cell("a", racing);
        TestCell b = cell("b", racing);
        TestCell c = cell("c", racing);
        fleet(a, b, c);
        Random random = new Random(5);
        int chunks = 0;
        for (int i = 0; i < 6; i++) {
            byte[] content = new byte[(40 + i) * 64 * 1024];
            random.nextBytes(content);
            put(a, "race-" + i + ".bin", new java.io.ByteArrayInputStream(content));
            chunks += 40 + i;
        }
        int expected = chunks;
        TestCell.eventually(Duration.ofSeconds(60), () -> {
            try {
                return chunkFiles(b) + chunkFiles(c) >= expected && everyFileConfirmed(a, 6);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "every chunk is on b or c");
        Thread.sleep(1500); // a few more rounds: any surplus push would land now
        assertThat(chunkFiles(b) + chunkFiles(c)).isEqualTo(expected);
        int surplus = a.cell().storage().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM (SELECT item_id FROM holdings GROUP BY item_id HAVING count(*) > 1)")
                .mapTo(Integer.class).one());
        assertThat(surplus).isZero();
    }

    /** {@link #SMALL_CHUNKS} with {@code extra}. */
    private static Map<String, String> smallChunks(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(SMALL_CHUNKS);
        settings.putAll(extra);
        return settings;
    }

    /**
     * Forms a fleet of {@code owner} and {@code holder}, starts putting {@code content} on the owner and returns once
     * {@code held} of its chunks are on the holder (the content's gate still closed).
     */
    private static CompletableFuture<FileService.Stored> putWhileHeld(TestCell owner, TestCell holder, String path,
                                                                    GatedStream content, int held) throws Exception {
        fleet(owner, holder);
        CompletableFuture<FileService.Stored> put = CompletableFuture.supplyAsync(() -> put(owner, path, content));
        awaitHeld(owner, holder, held);
        return put;
    }

    private TestCell cell(String name, Map<String, String> settings) {
        return cells.start(name, settings);
    }

    private static void fleet(TestCell leader, TestCell... joiners) throws Exception {
        TestFleet.form(leader, List.of(joiners));
        // Every joiner seen by the leader (a route up), as between cells that have been running.
        TestCell.eventually(Duration.ofSeconds(30), () -> {
            for (TestCell joiner : joiners) {
                if (!leader.cell().network().peers().routes().health(joiner.cell().id()).up()) {
                    return false;
                }
            }
            return true;
        }, "the leader reaches every member");
    }

    private static FileService.Stored put(TestCell cell, String path, InputStream content) {
        try {
            return cell.cell().storage().files().put(path, content,
                    new FileService.PutOptions(1, "application/octet-stream", Long.MAX_VALUE));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code owner}'s eager pushes have placed at least {@code n} chunks on {@code holder}. */
    private static void awaitHeld(TestCell owner, TestCell holder, int n) throws Exception {
        EagerPush eager = owner.cell().network().replicator().eager().orElseThrow();
        try {
            TestCell.eventually(Duration.ofSeconds(30), () -> holdingsOf(owner, holder.cell().id()) >= n
                    && eager.counts().pushed() >= n, n + " chunks are pushed to and recorded as held by the holder");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + eager.counts() + ", " + holdingsOf(owner, holder.cell().id())
                    + " recorded, " + chunkFiles(holder) + " chunk files on the holder", e);
        }
    }

    private static int holdingsOf(TestCell owner, CellId holder) {
        return owner.cell().storage().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM holdings WHERE cell_id = ? AND kind = 'c'").bind(0, holder.value())
                .mapTo(Integer.class).one());
    }

    /** Chunks {@code holder} keeps for {@code owner} (its {@code held_chunks} rows). */
    private static int heldFor(TestCell holder, TestCell owner) {
        return holder.cell().storage().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM held_chunks WHERE owner = ?").bind(0, owner.cell().id().value())
                .mapTo(Integer.class).one());
    }

    private static int chunkFiles(TestCell cell) throws IOException {
        try (var files = Files.walk(cell.cell().folder().dir().resolve("chunks"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }

    private static boolean everyFileConfirmed(TestCell cell, int files) {
        JsonNode p = placement(cell);
        if (p.size() != files) {
            return false;
        }
        for (JsonNode file : p) {
            if (file.path("confirmed").asInt() != 2) {
                return false;
            }
        }
        return true;
    }

    /** Random bytes: the first part at once, the rest only after {@link #open()} (bounded wait). */
    private static final class GatedStream extends InputStream {
        private final byte[] data;
        private final int before;
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile boolean failed;
        private int position;

        GatedStream(int before, int after) {
            this.data = new byte[before + after];
            new Random(before).nextBytes(data);
            this.before = before;
        }

        long length() {
            return data.length;
        }

        void open() {
            gate.countDown();
        }

        /** Opens the gate onto a read error, as a client that disconnects mid-upload. */
        void fail() {
            failed = true;
            gate.countDown();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position == before) {
                try {
                    if (!gate.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("the test never opened the gate");
                    }
                    if (failed) {
                        throw new IOException("the upload broke off");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            if (position == data.length) {
                return -1;
            }
            int end = position < before ? before : data.length;
            int n = Math.min(len, end - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
