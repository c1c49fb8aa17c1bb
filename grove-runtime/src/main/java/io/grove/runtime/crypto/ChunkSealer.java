package io.grove.runtime.crypto;

import io.grove.api.ChunkId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * Encrypts one plaintext chunk into a content-addressed, convergent ciphertext.
 *
 * <p>The chunk key is HKDF-SHA256(master key, info = "grove chunk v1" ‖ SHA-256(plaintext)) split into a
 * ChaCha20 key and nonce. It depends only on the content and the owner, so one owner's identical chunks
 * encrypt to identical ciphertexts and are stored once, while without the master key nobody can compute the
 * ciphertext of a guessed plaintext and so cannot confirm the guess (unlike plain convergent encryption).
 * Reusing a key+nonce pair is safe here because it only ever encrypts the one plaintext it was derived from.
 * The {@link ChunkId} is SHA-256 of the ciphertext, so any holder can verify a chunk without a key.
 *
 * <p>Thread-safe: the JDK cipher and digests are cached per thread (see {@link ThreadCrypto}).
 */
public final class ChunkSealer {
    /** Bytes in a master key. */
    public static final int MASTER_KEY_LENGTH = 32;

    /** Longest {@link #warmUp()} runs, whatever the machine. */
    public static final Duration WARM_UP_BUDGET = Duration.ofMillis(500);

    private static final byte[] CHUNK_INFO = "grove chunk v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_SALT = new byte[0];
    private static final int WARM_UP_CALLS = 20_000;
    private static final int WARM_UP_CHUNK = 4 * 1024;

    private final byte[] masterKey;

    /**
     * A sealer for one owner.
     *
     * @param masterKey the owner's 32-byte master key; copied
     */
    public ChunkSealer(byte[] masterKey) {
        if (masterKey == null || masterKey.length != MASTER_KEY_LENGTH) {
            throw new IllegalArgumentException("a master key has " + MASTER_KEY_LENGTH + " bytes");
        }
        this.masterKey = masterKey.clone();
    }

    /**
     * Seals all of {@code plain}.
     *
     * @param plain the chunk's bytes
     * @return the sealed chunk
     */
    public SealedChunk seal(byte[] plain) {
        if (plain == null) {
            throw new IllegalArgumentException("plaintext is required");
        }
        return seal(plain, 0, plain.length);
    }

    /**
     * Seals {@code plain[off, off+len)}: key from the plaintext hash, encrypt, hash the ciphertext.
     *
     * <p>Two passes over the plaintext (hash, then encrypt) are unavoidable because the key depends on the
     * hash. The ciphertext is written once into an array of exactly {@code len + 16} bytes and hashed slice by
     * slice while the slice is still in cache.
     *
     * @param plain array holding the chunk
     * @param off   index of the chunk's first byte
     * @param len   number of bytes in the chunk
     * @return the sealed chunk; its ciphertext array is new and owned by the caller
     * @throws IllegalArgumentException if the range is not inside {@code plain}
     */
    public SealedChunk seal(byte[] plain, int off, int len) {
        if (plain == null || off < 0 || len < 0 || off > plain.length - len) {
            throw new IllegalArgumentException("chunk range [" + off + ", " + off + "+" + len + ") is outside a "
                    + (plain == null ? "missing array" : plain.length + "-byte array"));
        }
        return seal(plain, off, len, new byte[len + SealedChunk.TAG_LENGTH]);
    }

    /** Seals into {@code ciphertext}, which is new or (when sealing in place, {@code off} 0) {@code plain} itself. */
    private SealedChunk seal(byte[] plain, int off, int len, byte[] ciphertext) {
        ThreadCrypto crypto = ThreadCrypto.current();

        MessageDigest plainDigest = crypto.plainDigest;
        ThreadCrypto.updateSliced(plainDigest, plain, off, len);
        ChunkKey key = chunkKey(plainDigest.digest());

        MessageDigest idDigest = crypto.cipherDigest;
        try {
            Cipher cipher = crypto.encrypting(key);
            int written = 0;
            for (int done = 0; done < len; done += ThreadCrypto.SLICE) {
                int n = cipher.update(plain, off + done, Math.min(ThreadCrypto.SLICE, len - done), ciphertext, written);
                idDigest.update(ciphertext, written, n);
                written += n;
            }
            int n = cipher.doFinal(ciphertext, written);
            idDigest.update(ciphertext, written, n);
            written += n;
            if (written != ciphertext.length) {
                throw new IllegalStateException("ChaCha20-Poly1305 wrote " + written + " bytes, expected "
                        + ciphertext.length);
            }
        } catch (GeneralSecurityException e) {
            idDigest.reset(); // this thread's next call reuses the digest
            throw ThreadCrypto.unexpected(e);
        } catch (RuntimeException e) {
            idDigest.reset();
            throw e;
        }
        return new SealedChunk(ChunkId.ofDigest(idDigest.digest()), key, ciphertext, len);
    }

    /**
     * Seals {@code buffer[0, len)} in place: the ciphertext overwrites the plaintext and the tag takes the last
     * {@value SealedChunk#TAG_LENGTH} bytes, so the returned chunk's ciphertext is {@code buffer} itself. Same result
     * as {@link #seal(byte[], int, int)}, without a second array of the chunk's size.
     *
     * @param buffer the plaintext followed by exactly {@value SealedChunk#TAG_LENGTH} spare bytes; overwritten
     * @param len    bytes of plaintext
     * @return the sealed chunk, whose ciphertext is {@code buffer}
     * @throws IllegalArgumentException if {@code buffer} is not {@code len + 16} bytes long
     */
    public SealedChunk sealInPlace(byte[] buffer, int len) {
        if (buffer == null || len < 0 || buffer.length != len + SealedChunk.TAG_LENGTH) {
            throw new IllegalArgumentException("sealing in place needs the plaintext and exactly "
                    + SealedChunk.TAG_LENGTH + " spare bytes");
        }
        return seal(buffer, 0, len, buffer);
    }

    /** The key of the chunk whose plaintext hashes to {@code plainHash}. */
    private ChunkKey chunkKey(byte[] plainHash) {
        byte[] info = Arrays.copyOf(CHUNK_INFO, CHUNK_INFO.length + plainHash.length);
        System.arraycopy(plainHash, 0, info, CHUNK_INFO.length, plainHash.length);
        byte[] okm = Hkdf.derive(masterKey, NO_SALT, info, ChunkKey.KEY_LENGTH + ChunkKey.NONCE_LENGTH);
        ChunkKey key = new ChunkKey(Arrays.copyOf(okm, ChunkKey.KEY_LENGTH),
                Arrays.copyOfRange(okm, ChunkKey.KEY_LENGTH, okm.length));
        Arrays.fill(okm, (byte) 0);
        return key;
    }

    /**
     * Makes C2 compile the crypto intrinsics and their call sites before real data arrives, by sealing and
     * opening up to 10,000 small chunks (20,000 calls) with a throwaway key. A fresh JVM otherwise runs
     * ChaCha20-Poly1305 and SHA-256 at a fraction of their speed at first, because one call per multi-MiB
     * chunk takes a long time to look hot. Call once at start-up; compiled code is shared by all threads.
     *
     * <p>Chunks are 4 KiB rather than larger because compilation is triggered by call counts, not bytes. The
     * loop also stops after {@link #WARM_UP_BUDGET}: on CPUs without the SHA extensions and AVX-512 IFMA
     * (the JDK then has no fast SHA-256 and no Poly1305 intrinsic, e.g. Skylake-SP servers) the full count
     * takes seconds, and start-up time matters more than the first hundred MiB of ingest, which the 64 KiB
     * slicing warms up quickly anyway.
     *
     * @return how long the warm-up took
     */
    public static Duration warmUp() {
        return warmUp(WARM_UP_BUDGET);
    }

    /**
     * {@link #warmUp()} with another time limit, for a launcher that knows it has time to spare (or none).
     *
     * @param budget stop starting new calls after this long; zero runs one seal and open
     * @return how long the warm-up took
     */
    public static Duration warmUp(Duration budget) {
        if (budget == null || budget.isNegative()) {
            throw new IllegalArgumentException("warm-up budget must be zero or positive");
        }
        long start = System.nanoTime();
        SecureRandom random = new SecureRandom();
        byte[] master = new byte[MASTER_KEY_LENGTH];
        random.nextBytes(master);
        ChunkSealer sealer = new ChunkSealer(master);
        byte[] plain = new byte[WARM_UP_CHUNK];
        random.nextBytes(plain);
        for (int i = 0; i < WARM_UP_CALLS / 2; i++) {
            if (i > 0 && Duration.ofNanos(System.nanoTime() - start).compareTo(budget) >= 0) {
                break;
            }
            plain[i % plain.length]++; // new content each time, as in real use
            SealedChunk sealed = sealer.seal(plain);
            try {
                ChunkOpener.open(sealed.id(), sealed.key(), sealed.ciphertext());
            } catch (CorruptChunkException e) {
                throw new IllegalStateException("warm-up could not open its own chunk", e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
