package io.grove.runtime.files;

import io.grove.testing.ManualClock;

import io.grove.api.ChunkId;
import io.grove.runtime.cell.CellFolder;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.config.GroveConfig;
import io.grove.runtime.manifest.ChunkEntry;
import io.grove.store.filesystem.FilesystemChunkStore;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A cell's storage core for tests: an initialised cell folder, real SQLite index, real filesystem chunk store (with
 * fsync) and a clock the test moves. Chunking is fixed at 64 KiB so that a few hundred KiB make several chunks.
 */
public final class TestStorage implements AutoCloseable {
    /** The fixed chunk size of {@link #open}. */
    public static final int CHUNK = 64 * 1024;

    private final CellFolder folder;
    private final CellKeys keys;
    private final FilesystemChunkStore store;
    private final Storage storage;
    private final ManualClock clock;

    private TestStorage(CellFolder folder, CellKeys keys, FilesystemChunkStore store, Storage storage, ManualClock clock) {
        this.folder = folder;
        this.keys = keys;
        this.store = store;
        this.storage = storage;
        this.clock = clock;
    }

    /** Opens a fresh cell in {@code dir} with {@code settings} on top of the test defaults. */
    public static TestStorage open(Path dir, Map<String, String> settings) throws IOException {
        CellFolder folder = new CellFolder(dir);
        folder.init(Optional.empty());
        Map<String, String> all = new HashMap<>(Map.of("ingest.warm-up", "false", "chunking.mode", "fixed",
                "chunking.fixed-size", "64KiB", "gc.interval", "0s"));
        all.putAll(settings);
        CellKeys keys = folder.keys();
        FilesystemChunkStore store = FilesystemChunkStore.open(dir.resolve("chunks"), true);
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
        Storage storage = Storage.open(folder.database(), store, keys, GroveConfig.of(dir, all).root(), clock);
        return new TestStorage(folder, keys, store, storage, clock);
    }

    public Storage storage() {
        return storage;
    }

    public FileService files() {
        return storage.files();
    }

    public FilesystemChunkStore store() {
        return store;
    }

    public CellKeys keys() {
        return keys;
    }

    public CellFolder folder() {
        return folder;
    }

    public ManualClock clock() {
        return clock;
    }

    public Jdbi jdbi() {
        return storage.database().jdbi();
    }

    /** Stores {@code content} at {@code path}. */
    public VersionInfo put(String path, byte[] content) throws IOException {
        return files().put(path, new ByteArrayInputStream(content),
                new FileService.PutOptions(clock.millis(), "application/octet-stream", Long.MAX_VALUE)).version();
    }

    /** The chunks of the current version of {@code path}, in file order. */
    public List<ChunkEntry> chunks(String path) {
        return files().open(path, Optional.empty()).manifest().chunks();
    }

    /** The file the filesystem store keeps a chunk in. */
    public Path chunkFile(ChunkId id) {
        return store.root().resolve(id.prefix()).resolve(id.hex());
    }

    /** Flips one bit of a stored chunk, as a failing disk would. */
    public void flipByte(ChunkId id, int offset) {
        try {
            Path file = chunkFile(id);
            byte[] bytes = Files.readAllBytes(file);
            bytes[offset] ^= 0x01;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes that depend only on {@code seed}. */
    public static byte[] random(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        storage.close();
        store.close();
    }

}
