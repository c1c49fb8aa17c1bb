package io.grove.benchmarks;

import io.grove.runtime.stats.CountingStreams;
import io.grove.runtime.stats.TransferMeter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the dashboard's throughput meter costs on the transfer paths: one {@link TransferMeter#record} (ns per call,
 * alone and from two threads into the same bucket), and reading 4 MiB in 64 KiB reads through the counting stream
 * against the same reads without it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TransferMeterBenchmark {
    private static final int DATA = 4 * 1024 * 1024;
    private static final int READ = 64 * 1024;

    private final TransferMeter meter = new TransferMeter(Clock.systemUTC());
    private byte[] data;

    /** Each thread's own read buffer. */
    @State(Scope.Thread)
    public static class Buffer {
        final byte[] bytes = new byte[READ];
    }

    @Setup
    public void setUp() {
        data = new byte[DATA];
        new SplittableRandom(7).nextBytes(data);
    }

    @Benchmark
    public void record() {
        meter.record(TransferMeter.Kind.PEER_IN, 65_536);
    }

    @Benchmark
    @Threads(2)
    public void recordTwoThreads() {
        meter.record(TransferMeter.Kind.PEER_IN, 65_536);
    }

    @Benchmark
    public long read4MiBPlain(Buffer buffer) throws IOException {
        return drain(new ByteArrayInputStream(data), buffer.bytes);
    }

    @Benchmark
    public long read4MiBCounted(Buffer buffer) throws IOException {
        return drain(CountingStreams.in(new ByteArrayInputStream(data), meter, TransferMeter.Kind.UPLOADED), buffer.bytes);
    }

    private static long drain(InputStream in, byte[] buffer) throws IOException {
        long total = 0;
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
            total += n;
        }
        return total;
    }
}
