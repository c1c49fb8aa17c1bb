package io.grove.benchmarks;

import io.grove.api.store.ChunkBatch;
import io.grove.runtime.chunk.ChunkingParams;
import io.grove.runtime.chunk.FastCdcChunker;
import io.grove.runtime.chunk.GearTable;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.ingest.Ingest;
import io.grove.testing.InMemoryChunkStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The whole in-memory ingest pipeline, as {@code PUT /api/v1/files} runs it minus HTTP and disk: keyed FastCDC on
 * the calling thread, sealing (SHA-256, HKDF, ChaCha20-Poly1305, SHA-256) on {@code workers} threads, staging
 * into an in-memory store. One operation = 1 MiB of content, so the score is MiB/s. Each invocation ingests
 * 64 MiB of fresh content (one byte per MiB changes), so deduplication never short-cuts the work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
public class PipelineBenchmark {
    private static final int CONTENT_MIB = 64;

    @Param({"1", "2", "4"})
    public int workers;

    private byte[] content;
    private ExecutorService pool;
    private Ingest ingest;
    private InMemoryChunkStore store;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        content = new byte[CONTENT_MIB << 20];
        random.nextBytes(content);
        byte[] master = new byte[32];
        random.nextBytes(master);
        pool = Executors.newFixedThreadPool(workers);
        ingest = new Ingest(new FastCdcChunker(GearTable.derive(master), ChunkingParams.defaults()),
                new ChunkSealer(master), pool, workers + 1);
        store = new InMemoryChunkStore(4L << 30);
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(CONTENT_MIB)
    public Ingest.Ingested ingest() throws IOException {
        for (int i = 0; i < content.length; i += 1 << 20) {
            content[i]++;
        }
        try (ChunkBatch batch = store.batch()) {
            Ingest.Ingested result = ingest.run(new ByteArrayInputStream(content), batch, Long.MAX_VALUE);
            batch.commit();
            for (var chunk : result.chunks()) {
                store.delete(chunk.id());
            }
            return result;
        }
    }
}
