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
import io.grove.runtime.gc.GarbageCollector;
import io.grove.runtime.gc.GcSchedule;
import io.grove.runtime.ingest.Ingest;
import io.grove.runtime.ingest.Packer;
import io.grove.runtime.manifest.ManifestCodec;
import io.grove.runtime.verify.Verifier;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    private final Verifier verifier;
    private final GarbageCollector collector;
    private final GcSchedule gcSchedule;

    private Storage(Database database, FileIndex index, FileService files, ExecutorService workers, IngestGate gate,
                    Verifier verifier, GarbageCollector collector, GcSchedule gcSchedule) {
        this.database = database;
        this.index = index;
        this.files = files;
        this.workers = workers;
        this.gate = gate;
        this.verifier = verifier;
        this.collector = collector;
        this.gcSchedule = gcSchedule;
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
            long windowBytes = ingestConfig.size("window-bytes", Ingest.DEFAULT_WINDOW_BYTES);
            if (windowBytes < 1 || windowBytes > 1L << 30) {
                throw new ConfigException("configuration key 'ingest.window-bytes' must be between 1 and 1GiB");
            }
            long packBelow = ingestConfig.size("pack-below", Packer.DEFAULT_BELOW);
            if (packBelow < 0 || packBelow > 4L << 20) {
                throw new ConfigException("configuration key 'ingest.pack-below' must be between 0 (no packing) and 4MiB");
            }
            int verifyThreads = config.node("verify").integer("threads", Math.min(4, cores), 1, 32);
            Duration gracePeriod = GarbageCollector.gracePeriod(config);
            Duration gcInterval = config.node("gc").nonNegativeDuration("interval", GcSchedule.DEFAULT_INTERVAL);
            Database database = Database.open(databaseFile);
            ExecutorService workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon()
                    .name("grove-ingest-", 0).factory());
            FileIndex index = new FileIndex(database);
            IngestGate gate = new IngestGate();
            Ingest ingest = new Ingest(chunker, new ChunkSealer(master), workers, window, (int) windowBytes);
            FileService files = new FileService(index, store, keys, ingest, workers, clock, gate, (int) packBelow);
            if (ingestConfig.bool("warm-up", true) && WARMED_UP.compareAndSet(false, true)) {
                // Once per JVM: C2 compiles the cipher and digest intrinsics for every cell in the process.
                Thread.ofPlatform().daemon().name("grove-crypto-warm-up").start(() -> {
                    LOG.log(System.Logger.Level.DEBUG, "crypto warm-up took {0}", ChunkSealer.warmUp());
                    LOG.log(System.Logger.Level.DEBUG, "manifest warm-up sealed {0} manifests",
                            ManifestCodec.warmUp(keys, ChunkSealer.WARM_UP_BUDGET.dividedBy(2)));
                });
            }
            Verifier verifier = new Verifier(files, index, verifyThreads);
            GarbageCollector collector = new GarbageCollector(index, store, gate, clock, gracePeriod);
            return new Storage(database, index, files, workers, gate, verifier, collector,
                    GcSchedule.start(collector, gcInterval));
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

    /** Reads back every manifest and chunk ({@code POST /api/v1/verify}). */
    public Verifier verifier() {
        return verifier;
    }

    /** Deletes unreferenced chunks ({@code POST /api/v1/gc}, and every {@code gc.interval}). */
    public GarbageCollector collector() {
        return collector;
    }

    /** Stops scheduled garbage collection, then the workers after the requests using them have ended. */
    @Override
    public void close() {
        gcSchedule.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        database.close();
    }
}
