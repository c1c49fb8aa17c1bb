package io.grove.benchmarks;

import io.grove.runtime.chunk.ChunkReader;
import io.grove.runtime.chunk.FastCdcChunker;
import io.grove.runtime.chunk.FixedChunker;
import io.grove.runtime.chunk.GearTable;
import io.grove.runtime.chunk.PlainChunk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chunking a 256 MiB seeded random buffer held in memory, default sizes (FastCDC 1/4/16 MiB, fixed 4 MiB).
 * One operation = 1 MiB, so the score is MiB/s.
 *
 * <ul>
 *   <li>{@code fastCdcCutPoints}: the gear loop alone ({@link FastCdcChunker#cutPoint}), no copies.</li>
 *   <li>{@code fastCdcReader}: the real reader over a {@link ByteArrayInputStream}: refill copy, gear loop,
 *       and a fresh array per chunk.</li>
 *   <li>{@code fixedReader}: the fixed-size reader, i.e. the cost of the copies alone.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ChunkingBenchmark {
    private static final int MIB = 1024 * 1024;
    private static final int SIZE_MIB = 256;

    private byte[] data;
    private FastCdcChunker fastCdc;
    private FixedChunker fixed;

    @Setup
    public void setUp() {
        data = new byte[SIZE_MIB * MIB];
        new SplittableRandom(42).nextBytes(data);
        byte[] masterKey = new byte[32];
        new SplittableRandom(7).nextBytes(masterKey);
        fastCdc = new FastCdcChunker(GearTable.derive(masterKey));
        fixed = new FixedChunker();
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public int fastCdcCutPoints() {
        int chunks = 0;
        for (int pos = 0; pos < data.length; chunks++) {
            pos += fastCdc.cutPoint(data, pos, data.length - pos);
        }
        return chunks;
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public void fastCdcReader(Blackhole hole) throws IOException {
        drain(fastCdc.open(new ByteArrayInputStream(data)), hole);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE_MIB)
    public void fixedReader(Blackhole hole) throws IOException {
        drain(fixed.open(new ByteArrayInputStream(data)), hole);
    }

    private static void drain(ChunkReader reader, Blackhole hole) throws IOException {
        for (Optional<PlainChunk> c = reader.next(); c.isPresent(); c = reader.next()) {
            hole.consume(c.get());
        }
    }
}
