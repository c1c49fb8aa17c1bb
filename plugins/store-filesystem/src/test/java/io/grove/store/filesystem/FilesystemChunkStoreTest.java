package io.grove.store.filesystem;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkCursor;
import io.grove.api.store.ChunkPage;
import io.grove.api.store.ChunkStore;
import io.grove.testing.AbstractChunkStoreTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FilesystemChunkStoreTest extends AbstractChunkStoreTest {

    @Override
    protected ChunkStore createStore(Path dir) throws IOException {
        return FilesystemChunkStore.open(dir, true);
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
