package io.grove.store.filesystem;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkBatch;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.testing.AbstractChunkStoreTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FilesystemChunkStoreTest extends AbstractChunkStoreTest {

    @Override
    protected ChunkStore createStore(Path dir) throws IOException {
        return FilesystemChunkStore.open(dir, true);
    }

    @Override
    protected boolean batchesStageUntilCommit() {
        return true;
    }

    @Test
    void aBatchStagesTempFilesAndCommitRenamesThemIntoPlace() throws IOException {
        byte[][] chunks = {randomBytes(40, 100), randomBytes(41, 200), randomBytes(42, 300)};

        try (ChunkBatch batch = store().batch()) {
            for (byte[] chunk : chunks) {
                put(batch, chunk);
            }
            assertThat(filesBelowStore()).hasSize(3).allSatisfy(file ->
                    assertThat(file.getFileName().toString()).startsWith(FilesystemChunkStore.TEMP_PREFIX));
            batch.commit();
        }

        assertThat(filesBelowStore()).containsExactlyInAnyOrder(Stream.of(chunks)
                .map(chunk -> storeDir().resolve(idOf(chunk).prefix()).resolve(idOf(chunk).hex())).toArray(Path[]::new));
    }

    @Test
    void closingABatchWithoutCommitDeletesItsTempFiles() throws IOException {
        try (ChunkBatch batch = store().batch()) {
            for (int i = 0; i < 40; i++) {
                put(batch, randomBytes(50 + i, 1000 + i));
            }
        }

        assertThat(filesBelowStore()).isEmpty();
    }

    @Test
    void aBatchWithAFailedPutRefusesToCommitAndLeavesNothing() throws IOException {
        byte[] good = randomBytes(43, 1000);
        byte[] bad = randomBytes(44, 2000);

        try (ChunkBatch batch = store().batch()) {
            put(batch, good);
            assertThatThrownBy(() -> batch.put(idOf(bad), new ByteArrayInputStream(bad), bad.length + 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(batch::commit)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a put of this batch failed");
        }

        assertThat(filesBelowStore()).isEmpty();
        assertThat(store().stats().chunks()).isZero();
    }

    @Test
    void aBatchTakesNoPutsAfterItsCommitOrClose() throws IOException {
        byte[] chunk = randomBytes(45, 10);
        ChunkBatch committed = store().batch();
        committed.commit();
        ChunkBatch closed = store().batch();
        closed.close();

        assertThatThrownBy(() -> put(committed, chunk)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> put(closed, chunk)).isInstanceOf(IllegalStateException.class);
        committed.close();
        assertThat(filesBelowStore()).isEmpty();
    }

    @Test
    void aBatchWithoutFsyncStillCommitsEveryChunk() throws IOException {
        Path root = storeDir().resolve("unsynced");
        byte[][] chunks = {randomBytes(46, 10), randomBytes(47, 20)};
        try (FilesystemChunkStore unsynced = FilesystemChunkStore.open(root, false)) {
            try (ChunkBatch batch = unsynced.batch()) {
                for (byte[] chunk : chunks) {
                    put(batch, chunk);
                }
                batch.commit();
            }
            assertThat(unsynced.list(ChunkCursor.START, 10).ids()).hasSize(2);
            assertThat(unsynced.stats().bytes()).isEqualTo(30);
        }
    }

    @Test
    void keepsEachChunkInTheFolderNamedByItsFirstTwoHexCharacters() throws IOException {
        byte[] bytes = randomBytes(1, 3_000);
        ChunkId id = idOf(bytes);

        put(id, bytes);

        Path file = storeDir().resolve(id.hex().substring(0, 2)).resolve(id.hex());
        assertThat(file).isRegularFile().hasBinaryContent(bytes);
        assertThat(filesBelowStore()).containsExactly(file);
        assertThat(foldersBelowStore()).containsExactly(storeDir().resolve(id.prefix()));
    }

    @Test
    void removesTempFilesOfACrashedPutOnOpenAndNeverListsThem() throws IOException {
        byte[] bytes = randomBytes(2, 100);
        ChunkId id = idOf(bytes);
        put(id, bytes);
        store().close();
        Path sameFolder = storeDir().resolve(id.prefix()).resolve(FilesystemChunkStore.TEMP_PREFIX + "123");
        Path ownFolder = storeDir().resolve("7f").resolve(FilesystemChunkStore.TEMP_PREFIX + "456");
        Files.createDirectories(ownFolder.getParent());
        Files.write(sameFolder, randomBytes(3, 50));
        Files.write(ownFolder, randomBytes(4, 50));

        reopen();

        assertThat(sameFolder).doesNotExist();
        assertThat(ownFolder).doesNotExist();
        assertThat(store().list(ChunkCursor.START, 10).ids()).containsExactly(id);
        assertThat(store().stats().chunks()).isEqualTo(1);
        assertThat(store().stats().bytes()).isEqualTo(100);
    }

    @Test
    void doesNotListATempFileOfAPutInProgress() throws IOException {
        Path temp = storeDir().resolve("ab").resolve(FilesystemChunkStore.TEMP_PREFIX + "789");
        Files.createDirectories(temp.getParent());
        Files.write(temp, randomBytes(5, 10));

        assertThat(store().list(ChunkCursor.START, ChunkPage.MAX_LIMIT).ids()).isEmpty();
    }

    @Test
    void ignoresFilesThatAreNotChunksOfThisStore() throws IOException {
        byte[] bytes = randomBytes(6, 10);
        ChunkId id = idOf(bytes);
        put(id, bytes);
        String misplaced = (id.prefix().equals("cd") ? "ce" : "cd") + "0".repeat(ChunkId.HEX_LENGTH - 2);
        Files.writeString(storeDir().resolve("README.txt"), "foreign");
        Files.createDirectories(storeDir().resolve("zz"));
        Files.writeString(storeDir().resolve("zz").resolve("z".repeat(64)), "foreign");
        Files.writeString(storeDir().resolve(id.prefix()).resolve("notes"), "foreign");
        Files.writeString(storeDir().resolve(id.prefix()).resolve(id.hex().toUpperCase()), "foreign");
        Files.writeString(storeDir().resolve(id.prefix()).resolve(misplaced), "foreign");

        assertThat(store().list(ChunkCursor.START, ChunkPage.MAX_LIMIT).ids()).containsExactly(id);
        reopen();
        assertThat(store().list(ChunkCursor.START, ChunkPage.MAX_LIMIT).ids()).containsExactly(id);
        assertThat(store().stats().chunks()).isEqualTo(1);
        assertThat(store().stats().bytes()).isEqualTo(10);
        assertThat(storeDir().resolve("README.txt")).exists();
    }

    @Test
    void aFailedPutLeavesNoFileOnDisk() throws IOException {
        byte[] bytes = randomBytes(7, 200_000);
        ChunkId id = idOf(bytes);

        assertThatThrownBy(() -> store().put(id, new ByteArrayInputStream(bytes), bytes.length + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ended after 200000 of 200001 bytes");

        assertThat(filesBelowStore()).isEmpty();
    }

    @Test
    void makesChunksAndFoldersPrivateToTheirOwner() throws IOException {
        assumeTrue(storeDir().getFileSystem().supportedFileAttributeViews().contains("posix"));
        byte[] bytes = randomBytes(8, 10);
        ChunkId id = idOf(bytes);

        put(id, bytes);

        Path file = storeDir().resolve(id.prefix()).resolve(id.hex());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void createsItsFolderWhenMissing() throws IOException {
        Path root = storeDir().resolve("nested/chunks");
        try (FilesystemChunkStore other = FilesystemChunkStore.open(root, true)) {
            assertThat(root).isDirectory();
            assertThat(other.root()).isEqualTo(root);
        }
    }

    @Test
    void refusesToOpenAFolderAnotherStoreHasOpen() {
        assertThatThrownBy(() -> FilesystemChunkStore.open(storeDir(), true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("already open");
    }

    @ParameterizedTest
    @ValueSource(ints = {(int) DirectWrites.MIN_BYTES - 1, (int) DirectWrites.MIN_BYTES,
            (int) DirectWrites.MIN_BYTES + 1, DirectWrites.BUFFER_BYTES - 1, DirectWrites.BUFFER_BYTES,
            DirectWrites.BUFFER_BYTES + 1, 2 * DirectWrites.BUFFER_BYTES + 4095, 3 * DirectWrites.BUFFER_BYTES})
    void largeChunksWrittenDirectlyReadBackWhole(int length) throws IOException {
        assumeTrue(DirectWrites.probe(storeDir()).isPresent(), "this file system refuses direct I/O");
        assertThat(store().toString()).contains("direct writes");
        byte[] bytes = randomBytes(length, length);
        ChunkId id = idOf(bytes);
        byte[] packed = randomBytes(length + 1, length);
        ChunkId packedId = idOf(packed);

        assertThat(store().put(id, new ByteArrayInputStream(bytes), length)).isTrue();
        try (ChunkBatch batch = store().batch()) {
            assertThat(batch.put(packedId, new ByteArrayInputStream(packed), length)).isTrue();
            batch.commit();
        }

        for (var chunk : List.of(Map.entry(id, bytes), Map.entry(packedId, packed))) {
            assertThat(store().size(chunk.getKey())).hasValue(length);
            try (InputStream in = store().get(chunk.getKey()).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(chunk.getValue());
            }
        }
        assertThat(filesBelowStore()).hasSize(2);
    }

    @Test
    void aDirectPutWhoseStreamEndsEarlyLeavesNoFile() throws IOException {
        byte[] bytes = randomBytes(16, 3 * DirectWrites.BUFFER_BYTES / 2);
        ChunkId id = idOf(bytes);

        assertThatThrownBy(() -> store().put(id, new ByteArrayInputStream(bytes), bytes.length + 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ended after " + bytes.length + " of " + (bytes.length + 1) + " bytes");
        try (ChunkBatch batch = store().batch()) {
            assertThatThrownBy(() -> batch.put(id, new ByteArrayInputStream(bytes, 0, DirectWrites.BUFFER_BYTES),
                    bytes.length)).isInstanceOf(IllegalArgumentException.class);
        }

        assertThat(filesBelowStore()).isEmpty();
        assertThat(store().has(id)).isFalse();
    }

    @Test
    void moreConcurrentDirectPutsThanPooledBuffersAllComplete() throws Exception {
        int puts = 3 * DirectWrites.POOLED_BUFFERS;
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < puts; i++) {
            chunks.add(randomBytes(100 + i, (int) DirectWrites.MIN_BYTES + 4096 * i + 1));
        }

        try (ExecutorService pool = Executors.newFixedThreadPool(puts)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (byte[] chunk : chunks) {
                results.add(pool.submit(() -> store().put(idOf(chunk), new ByteArrayInputStream(chunk), chunk.length)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        }

        for (byte[] chunk : chunks) {
            try (InputStream in = store().get(idOf(chunk)).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(chunk);
            }
        }
    }

    /** Regular files below the store folder, except the lock file. */
    private List<Path> filesBelowStore() throws IOException {
        try (Stream<Path> paths = Files.walk(storeDir())) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> !path.equals(storeDir().resolve(FilesystemChunkStore.LOCK_FILE)))
                    .toList();
        }
    }

    private List<Path> foldersBelowStore() throws IOException {
        try (Stream<Path> paths = Files.walk(storeDir())) {
            return paths.filter(Files::isDirectory).filter(path -> !path.equals(storeDir())).toList();
        }
    }
}
