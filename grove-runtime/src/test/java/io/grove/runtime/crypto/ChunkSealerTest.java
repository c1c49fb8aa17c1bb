package io.grove.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grove.api.ChunkId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSealerTest {
    private static final byte[] MASTER = random(1, 32);
    private static final ChunkSealer SEALER = new ChunkSealer(MASTER);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 4 * 1024 * 1024})
    void sealThenOpenReturnsThePlaintext(int size) throws Exception {
        byte[] plain = random(size, size);

        SealedChunk sealed = SEALER.seal(plain);

        assertThat(sealed.plainLength()).isEqualTo(size);
        assertThat(sealed.ciphertext()).hasSize(size + 16);
        assertThat(sealed.id().digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(sealed.ciphertext()));
        assertThat(ChunkOpener.open(sealed.id(), sealed.key(), sealed.ciphertext())).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 7})
    void sealingInPlaceGivesTheSameChunkInTheSameArray(int size) throws Exception {
        byte[] plain = random(size + 3, size);
        byte[] buffer = Arrays.copyOf(plain, size + 16);

        SealedChunk inPlace = SEALER.sealInPlace(buffer, size);

        assertThat(inPlace.ciphertext()).isSameAs(buffer);
        assertThat(inPlace).isEqualTo(SEALER.seal(plain));
        assertThat(ChunkOpener.open(inPlace.id(), inPlace.key(), inPlace.ciphertext())).isEqualTo(plain);
    }

    @Test
    void sealingInPlaceNeedsExactlyRoomForTheTag() {
        assertThatThrownBy(() -> SEALER.sealInPlace(new byte[100], 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SEALER.sealInPlace(new byte[117], 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SEALER.sealInPlace(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sealsASliceOfALargerArray() throws Exception {
        byte[] big = random(2, 300_000);

        SealedChunk slice = SEALER.seal(big, 1000, 200_000);

        assertThat(slice).isEqualTo(SEALER.seal(Arrays.copyOfRange(big, 1000, 201_000)));
        assertThatThrownBy(() -> SEALER.seal(big, 200_000, 100_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SEALER.seal(big, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SEALER.seal(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameContentGivesTheSameIdAndKeySoItDeduplicates() {
        byte[] plain = random(3, 100_000);

        // Twice in a row on one thread: the JDK refuses to reuse a key and nonce on one Cipher instance.
        SealedChunk first = SEALER.seal(plain);
        SealedChunk second = SEALER.seal(plain.clone());
        SealedChunk otherSealer = new ChunkSealer(MASTER.clone()).seal(plain);

        assertThat(second).isEqualTo(first);
        assertThat(otherSealer).isEqualTo(first);
        assertThat(second.ciphertext()).isNotSameAs(first.ciphertext());
    }

    @Test
    void differentContentGetsADifferentKey() {
        assertThat(SEALER.seal(new byte[] {1}).key()).isNotEqualTo(SEALER.seal(new byte[] {2}).key());
    }

    @Test
    void anotherMasterKeyGivesAnotherIdAndKey() {
        byte[] plain = random(4, 10_000);

        SealedChunk mine = SEALER.seal(plain);
        SealedChunk theirs = new ChunkSealer(random(5, 32)).seal(plain);

        assertThat(theirs.id()).isNotEqualTo(mine.id());
        assertThat(theirs.key()).isNotEqualTo(mine.key());
    }

    @Test
    void aFlippedBitFailsTheHashCheck() {
        SealedChunk sealed = SEALER.seal(random(6, 70_000));
        byte[] damaged = sealed.ciphertext().clone();
        damaged[12_345] ^= 0x10;

        assertThatThrownBy(() -> ChunkOpener.open(sealed.id(), sealed.key(), damaged))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining(sealed.id().hex())
                .hasMessageContaining("do not hash to its id")
                .satisfies(e -> assertThat(((CorruptChunkException) e).chunkId()).isEqualTo(sealed.id()));
    }

    @Test
    void tamperingThatAlsoFixesTheIdFailsTheTag() throws Exception {
        SealedChunk sealed = SEALER.seal(random(7, 70_000));
        byte[] forged = sealed.ciphertext().clone();
        forged[100] ^= 0x01;
        ChunkId forgedId = ChunkId.ofDigest(MessageDigest.getInstance("SHA-256").digest(forged));

        assertThatThrownBy(() -> ChunkOpener.open(forgedId, sealed.key(), forged))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining("authentication tag");
    }

    @Test
    void theWrongKeyFailsTheTag() {
        SealedChunk sealed = SEALER.seal(random(8, 1000));
        ChunkKey otherKey = SEALER.seal(random(9, 1000)).key();

        assertThatThrownBy(() -> ChunkOpener.open(sealed.id(), otherKey, sealed.ciphertext()))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining("authentication tag");
    }

    @Test
    void aCiphertextShorterThanATagIsCorrupt() throws Exception {
        byte[] stub = {1, 2, 3};
        ChunkId id = ChunkId.ofDigest(MessageDigest.getInstance("SHA-256").digest(stub));

        assertThatThrownBy(() -> ChunkOpener.open(id, SEALER.seal(stub).key(), stub))
                .isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining("shorter than");
    }

    @Test
    void openingWithTheSameKeyJustBeforeSealingStillWorks() throws Exception {
        // Decrypt-then-encrypt with one key on one thread hits the JDK's key/nonce-reuse guard too.
        byte[] plain = random(10, 5000);
        SealedChunk sealed = SEALER.seal(plain);
        ChunkOpener.open(sealed.id(), sealed.key(), sealed.ciphertext());

        assertThat(SEALER.seal(plain)).isEqualTo(sealed);
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        List<byte[]> inputs = IntStream.range(0, 64).mapToObj(i -> random(100 + i % 8, 50_000 + i % 8)).toList();
        List<SealedChunk> expected = inputs.stream().map(SEALER::seal).toList();

        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<SealedChunk>> results = inputs.stream().map(in -> pool.submit(() -> SEALER.seal(in))).toList();
            for (int i = 0; i < inputs.size(); i++) {
                SealedChunk got = results.get(i).get();
                assertThat(got).isEqualTo(expected.get(i));
                assertThat(ChunkOpener.open(got.id(), got.key(), got.ciphertext())).isEqualTo(inputs.get(i));
            }
        }
    }

    @Test
    void matchesAnIndependentBouncyCastleComputation() {
        byte[] master = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] plain = new byte[200_000]; // spans several 64 KiB slices and ends mid-slice
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (byte) (i * 131 + (i >>> 8));
        }

        SealedChunk sealed = new ChunkSealer(master).seal(plain);

        byte[] plainHash = bcSha256(plain);
        byte[] info = concat("grove chunk v1".getBytes(StandardCharsets.UTF_8), plainHash);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(master, null, info));
        byte[] okm = new byte[44];
        hkdf.generateBytes(okm, 0, 44);
        byte[] key = Arrays.copyOf(okm, 32);
        byte[] nonce = Arrays.copyOfRange(okm, 32, 44);
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
        byte[] ciphertext = new byte[aead.getOutputSize(plain.length)];
        int n = aead.processBytes(plain, 0, plain.length, ciphertext, 0);
        try {
            aead.doFinal(ciphertext, n);
        } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
            throw new AssertionError(e);
        }
        String expectedId = HexFormat.of().formatHex(bcSha256(ciphertext));

        assertThat(sealed.key()).isEqualTo(new ChunkKey(key, nonce));
        assertThat(sealed.ciphertext()).isEqualTo(ciphertext);
        assertThat(sealed.id().hex()).isEqualTo(expectedId);
        // Pinned as well: changing the derivation would silently break deduplication against existing stores.
        assertThat(HexFormat.of().formatHex(sealed.key().key())).isEqualTo(PINNED_KEY);
        assertThat(HexFormat.of().formatHex(sealed.key().nonce())).isEqualTo(PINNED_NONCE);
        assertThat(sealed.id().hex()).isEqualTo(PINNED_ID);
    }

    private static final String PINNED_KEY = "c03dfd7453530ad420679cb083e6a1bd2b2d92fd53818e4d25c4eb60b0005dae";
    private static final String PINNED_NONCE = "6a513aaf884d98a7414d8abd";
    private static final String PINNED_ID = "e298f08d085a7ca6ccd0b4c43c973e193e9192dbf127ae215058b77c8d1e5eff";

    @Test
    void sealedChunkNeverPrintsTheKey() {
        SealedChunk sealed = SEALER.seal(random(11, 100));

        assertThat(sealed.toString()).contains(sealed.id().hex()).contains("plainLength=100")
                .doesNotContain(HexFormat.of().formatHex(sealed.key().key()));
    }

    @Test
    void sealedChunkRejectsAMismatchedLength() {
        SealedChunk sealed = SEALER.seal(random(12, 100));

        assertThatThrownBy(() -> new SealedChunk(sealed.id(), sealed.key(), sealed.ciphertext(), 99))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAMasterKeyOfTheWrongLength() {
        assertThatThrownBy(() -> new ChunkSealer(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkSealer(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void warmUpStaysWithinItsBudget() {
        Duration took = ChunkSealer.warmUp();

        // The budget plus one small seal/open; generous because the build machine is shared.
        assertThat(took).isPositive().isLessThan(ChunkSealer.WARM_UP_BUDGET.plusSeconds(10));
    }

    @Test
    void warmUpTakesAnyNonNegativeBudget() {
        assertThat(ChunkSealer.warmUp(Duration.ZERO)).isPositive();
        assertThatThrownBy(() -> ChunkSealer.warmUp(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bcSha256(byte[] data) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] random(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
