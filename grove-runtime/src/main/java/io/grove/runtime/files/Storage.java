package io.grove.runtime.files;

import io.grove.api.store.ChunkStore;
import io.grove.runtime.cell.CellKeys;
import io.grove.runtime.chunk.Chunker;
import io.grove.runtime.chunk.ChunkingParams;
import io.grove.runtime.chunk.FastCdcChunker;
import io.grove.runtime.chunk.FixedChunker;
import io.grove.runtime.chunk.GearTable;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.db.Database;
import io.grove.runtime.ingest.Ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The storage core of a cell, assembled from configuration: index, chunking, sealing, workers and the file service. */
public final class Storage implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Storage.class.getName());
    private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

    private final Database database;
    private final FileIndex index;
    private final FileService files;
    private final ExecutorService workers;
    private final IngestGate gate;

    private Storage(Database database, FileIndex index, FileService files, ExecutorService workers, IngestGate gate) {
        this.database = database;
        this.index = index;
        this.files = files;
        this.workers = workers;
        this.gate = gate;
    }

    /** Opens the index at {@code databaseFile} and builds the pipeline on {@code store}. */
    public static Storage open(Path databaseFile, ChunkStore store, CellKeys keys, ConfigNode config, Clock clock) {
        byte[] master = keys.masterKey();
        try {
            Chunker chunker = chunker(config.node("chunking"), master);
            int cores = Runtime.getRuntime().availableProcessors();
            ConfigNode ingestConfig = config.node("ingest");
            // Workers block on fsync as well as compute, so a few more than cores keep the cores busy.
            int threads = ingestConfig.integer("workers", cores + 2, 1, 64);
            int window = ingestConfig.integer("window", threads + 1, 1, 64);
            ExecutorService workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon()
                    .name("grove-ingest-", 0).factory());
            Database database = Database.open(databaseFile);
            FileIndex index = new FileIndex(database);
            IngestGate gate = new IngestGate();
            Ingest ingest = new Ingest(chunker, new ChunkSealer(master), workers, window);
            FileService files = new FileService(index, store, keys, ingest, workers, clock, gate);
            if (ingestConfig.bool("warm-up", true) && WARMED_UP.compareAndSet(false, true)) {
                // Once per JVM: C2 compiles the cipher and digest intrinsics for every cell in the process.
                Thread.ofPlatform().daemon().name("grove-crypto-warm-up").start(() ->
                        LOG.log(System.Logger.Level.DEBUG, "crypto warm-up took {0}", ChunkSealer.warmUp()));
            }
            return new Storage(database, index, files, workers, gate);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    static Chunker chunker(ConfigNode config, byte[] master) {
        String mode = config.string("mode", "cdc");
        return switch (mode) {
            case "cdc" -> {
                ChunkingParams defaults = ChunkingParams.defaults();
                try {
                    yield new FastCdcChunker(GearTable.derive(master), new ChunkingParams(
                            (int) config.size("min", defaults.minSize()), (int) config.size("avg", defaults.avgSize()),
                            (int) config.size("max", defaults.maxSize())));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("chunking: " + e.getMessage());
                }
            }
            case "fixed" -> {
                long size = config.size("fixed-size", FixedChunker.DEFAULT_SIZE);
                if (size < 64 * 1024 || size > ChunkingParams.MAX_CHUNK_SIZE) {
                    throw new ConfigException("configuration key 'chunking.fixed-size' must be between 64KiB and 16MiB");
                }
                yield new FixedChunker((int) size);
            }
            default -> throw new ConfigException("configuration key 'chunking.mode' is '" + mode + "'; expected cdc or fixed");
        };
    }

    public FileService files() {
        return files;
    }

    public FileIndex index() {
        return index;
    }

    public IngestGate gate() {
        return gate;
    }

    public Database database() {
        return database;
    }

    /** Stops the workers after the requests using them have ended. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
