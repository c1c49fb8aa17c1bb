package io.grove.benchmarks;

import io.grove.runtime.audit.AuditAnswer;
import io.grove.runtime.erasure.ErasureCode;
import io.grove.runtime.erasure.Shard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reed-Solomon erasure coding of 4 MiB chunks and the audit answer over one chunk. One operation = 1 MiB of chunk,
 * so the score is MiB/s of chunk (not of shards). {@code parityOnly} is the GF(2^8) loop alone; {@code encode}
 * adds the copies into shards and the SHA-256 shard ids; {@code decodeTwoDataLost} rebuilds from parity with the
 * two first data shards missing (the worst case of 4+2); {@code decodeAllData} is the fast path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ErasureBenchmark {
    private static final int CHUNK_MIB = 4;
    private static final int CHUNK = CHUNK_MIB * 1024 * 1024;

    @Param({"4+2"})
    public String code;

    private ErasureCode erasure;
    private byte[] chunk;
    private byte[][] data;
    private byte[][] parity;
    private int shardLength;
    private Map<Integer, byte[]> twoDataLost;
    private Map<Integer, byte[]> allData;
    private byte[] nonce;

    @Setup
    public void setUp() {
        String[] km = code.split("\\+");
        erasure = new ErasureCode(Integer.parseInt(km[0]), Integer.parseInt(km[1]));
        SplittableRandom random = new SplittableRandom(42);
        chunk = new byte[CHUNK];
        random.nextBytes(chunk);
        shardLength = erasure.shardLength(CHUNK);
        List<Shard> shards = erasure.encode(chunk);
        data = new byte[erasure.dataShards()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = shards.get(i).bytes();
        }
        parity = new byte[erasure.parityShards()][shardLength];
        twoDataLost = new HashMap<>();
        allData = new HashMap<>();
        for (Shard shard : shards) {
            if (shard.index() >= 2) {
                twoDataLost.put(shard.index(), shard.bytes());
            }
            if (shard.index() < erasure.dataShards()) {
                allData.put(shard.index(), shard.bytes());
            }
        }
        nonce = new byte[32];
        random.nextBytes(nonce);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public byte[][] parityOnly() {
        erasure.encodeParity(data, parity, shardLength);
        return parity;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public List<Shard> encode() {
        return erasure.encode(chunk);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public byte[] decodeTwoDataLost() {
        return erasure.decode(twoDataLost, CHUNK);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public byte[] decodeAllData() {
        return erasure.decode(allData, CHUNK);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public String auditAnswer() {
        return AuditAnswer.of(nonce, chunk);
    }
}
