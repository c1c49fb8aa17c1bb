package io.grove.benchmarks;

import io.grove.runtime.crypto.ChunkOpener;
import io.grove.runtime.crypto.ChunkSealer;
import io.grove.runtime.crypto.CorruptChunkException;
import io.grove.runtime.crypto.SealedChunk;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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

/**
 * Sealing 4 MiB chunks, with SHA-256 and ChaCha20-Poly1305 alone as reference points (a seal is one SHA-256
 * pass over the plaintext, one ChaCha20-Poly1305 pass and one SHA-256 pass over the ciphertext). One
 * operation = 1 MiB of plaintext, so the score is MiB/s; the references use the same 64 KiB slicing as the
 * sealer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class SealBenchmark {
    private static final int CHUNK_MIB = 4;
    private static final int CHUNK = CHUNK_MIB * 1024 * 1024;
    private static final int SLICE = 64 * 1024;

    private byte[] plain;
    private ChunkSealer sealer;
    private SealedChunk sealed;
    private MessageDigest sha256;
    private Cipher cipher;
    private SecretKeySpec key;
    private byte[] nonce;
    private byte[] out;

    @Setup
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(42);
        plain = new byte[CHUNK];
        random.nextBytes(plain);
        byte[] masterKey = new byte[32];
        random.nextBytes(masterKey);
        sealer = new ChunkSealer(masterKey);
        sealed = sealer.seal(plain);
        sha256 = MessageDigest.getInstance("SHA-256");
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
        key = new SecretKeySpec(masterKey, "ChaCha20");
        nonce = new byte[12];
        out = new byte[CHUNK + 16];
    }

    /** Real sealing: new content every call (one byte bumped), so nothing is cached or repeated. */
    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public SealedChunk seal() {
        plain[0]++;
        return sealer.seal(plain);
    }

    /** Verify and decrypt, as a restore does. */
    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public byte[] open() throws CorruptChunkException {
        return ChunkOpener.open(sealed.id(), sealed.key(), sealed.ciphertext());
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public byte[] sha256Only() {
        for (int done = 0; done < CHUNK; done += SLICE) {
            sha256.update(plain, done, SLICE);
        }
        return sha256.digest();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK_MIB)
    public byte[] chaCha20Poly1305Only() throws GeneralSecurityException {
        // The JDK refuses a repeated key and nonce for encryption, so count the nonce up.
        for (int i = 0; i < nonce.length && ++nonce[i] == 0; i++) {
            // carry
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        int written = 0;
        for (int done = 0; done < CHUNK; done += SLICE) {
            written += cipher.update(plain, done, SLICE, out, written);
        }
        cipher.doFinal(out, written);
        return out;
    }
}
