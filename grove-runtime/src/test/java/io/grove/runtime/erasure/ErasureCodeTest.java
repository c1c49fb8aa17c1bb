package io.grove.runtime.erasure;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErasureCodeTest {

    @ParameterizedTest(name = "{0}+{1}, {2} bytes")
    @CsvSource({"4,2,0", "4,2,1", "4,2,4097", "4,2,65536", "6,3,100003", "6,3,7", "10,4,30011", "1,1,999", "3,0,10"})
    void survivesLossOfEveryCombinationOfUpToMShards(int k, int m, int size) {
        ErasureCode code = new ErasureCode(k, m);
        byte[] chunk = random(size, size);
        List<Shard> shards = code.encode(chunk);
        ShardSet set = ShardSet.of(ChunkId.ofDigest(ShardSet.digest(chunk)), code, size, shards);

        int combinations = 0;
        for (int lost = 0; lost < 1 << (k + m); lost++) {
            if (Integer.bitCount(lost) > m) {
                continue;
            }
            Map<Integer, byte[]> kept = new HashMap<>();
            for (Shard shard : shards) {
                if ((lost & 1 << shard.index()) == 0) {
                    kept.put(shard.index(), shard.bytes().clone());
                }
            }
            assertThat(code.decode(kept, size)).as("lost shards %s", Integer.toBinaryString(lost)).isEqualTo(chunk);
            assertThat(ErasureCode.reconstruct(set, kept)).isEqualTo(chunk);
            combinations++;
        }
        assertThat(combinations).isPositive();
    }

    @Test
    void dataShardsAreTheChunkItselfZeroPadded() {
        byte[] chunk = random(10, 1);
        List<Shard> shards = ErasureCode.DEFAULT.encode(chunk);

        assertThat(shards).hasSize(6).allSatisfy(s -> assertThat(s.bytes()).hasSize(3));
        assertThat(shards.get(0).bytes()).containsExactly(chunk[0], chunk[1], chunk[2]);
        assertThat(shards.get(3).bytes()).containsExactly(chunk[9], 0, 0);
        assertThat(shards).allSatisfy(s -> assertThat(s.id()).isEqualTo(ChunkId.ofDigest(ShardSet.digest(s.bytes()))));
    }

    @Test
    void rebuildsA16MiBChunkFromParityAndTheRestOfTheData() {
        int size = 16 * 1024 * 1024;
        byte[] chunk = random(size, 16);
        List<Shard> shards = ErasureCode.DEFAULT.encode(chunk);
        Map<Integer, byte[]> kept = new HashMap<>();
        for (int i : new int[]{1, 3, 4, 5}) {
            kept.put(i, shards.get(i).bytes());
        }

        assertThat(Arrays.equals(ErasureCode.DEFAULT.decode(kept, size), chunk)).isTrue();
    }

    @Property(tries = 60)
    void anyKOfKPlusMShardsRebuildAnySize(@ForAll("sizes") int size, @ForAll @IntRange(min = 1, max = 8) int k,
                                          @ForAll @IntRange(min = 0, max = 4) int m, @ForAll long seed) {
        ErasureCode code = new ErasureCode(k, m);
        byte[] chunk = random(size, seed);
        List<Shard> shards = new ArrayList<>(code.encode(chunk));
        java.util.Collections.shuffle(shards, new java.util.Random(seed));
        Map<Integer, byte[]> anyK = new HashMap<>();
        for (Shard shard : shards.subList(0, k)) {
            anyK.put(shard.index(), shard.bytes());
        }

        assertThat(code.decode(anyK, size)).isEqualTo(chunk);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 65_535, 65_537),
                Arbitraries.integers().between(0, 300_000));
    }

    @Test
    void detectsACorruptedShardByItsIdAndRebuildsFromTheOthers() {
        byte[] chunk = random(50_000, 3);
        ErasureCode code = new ErasureCode(6, 3);
        List<Shard> shards = code.encode(chunk);
        ShardSet set = ShardSet.of(ChunkId.ofDigest(ShardSet.digest(chunk)), code, chunk.length, shards);
        Map<Integer, byte[]> received = new HashMap<>();
        shards.forEach(s -> received.put(s.index(), s.bytes().clone()));
        received.get(2)[100] ^= 1;
        received.get(7)[0] ^= (byte) 0x80;

        assertThat(set.corrupt(received)).containsExactly(2, 7);
        assertThat(set.intact(2, received.get(2))).isFalse();
        assertThat(set.intact(3, received.get(3))).isTrue();
        assertThat(ErasureCode.reconstruct(set, received)).isEqualTo(chunk);
    }

    @Test
    void refusesToRebuildFromTooFewIntactShardsNamingTheCorruptOnes() {
        byte[] chunk = random(1000, 4);
        List<Shard> shards = ErasureCode.DEFAULT.encode(chunk);
        ShardSet set = ShardSet.of(ChunkId.ofDigest(ShardSet.digest(chunk)), ErasureCode.DEFAULT, chunk.length, shards);
        Map<Integer, byte[]> received = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            received.put(i, shards.get(i).bytes().clone());
        }
        received.get(1)[0] ^= 1;

        assertThatThrownBy(() -> ErasureCode.reconstruct(set, received))
                .isInstanceOf(ErasureException.class).hasMessageContaining("needs 4 intact shards, has 3")
                .hasMessageContaining("corrupt shards [1]");
    }

    @Test
    void refusesShardsThatRebuildAnotherChunk() {
        byte[] chunk = random(1000, 5);
        List<Shard> shards = ErasureCode.DEFAULT.encode(chunk);
        ShardSet wrong = ShardSet.of(ChunkId.ofDigest(ShardSet.digest(random(1000, 6))), ErasureCode.DEFAULT,
                chunk.length, shards);
        Map<Integer, byte[]> all = new HashMap<>();
        shards.forEach(s -> all.put(s.index(), s.bytes()));

        assertThatThrownBy(() -> ErasureCode.reconstruct(wrong, all)).isInstanceOf(ErasureException.class)
                .hasMessageContaining("rebuild other bytes");
    }

    @Test
    void rejectsTooFewShardsWrongLengthsAndBadIndices() {
        ErasureCode code = ErasureCode.DEFAULT;
        List<Shard> shards = code.encode(random(400, 7));

        assertThatThrownBy(() -> code.decode(Map.of(0, shards.get(0).bytes(), 1, shards.get(1).bytes(),
                5, shards.get(5).bytes()), 400)).isInstanceOf(ErasureException.class).hasMessageContaining("need 4 of 6");
        assertThatThrownBy(() -> code.decode(Map.of(0, new byte[99]), 400)).isInstanceOf(ErasureException.class)
                .hasMessageContaining("shards of 100");
        assertThatThrownBy(() -> code.decode(Map.of(6, new byte[100]), 400)).isInstanceOf(ErasureException.class)
                .hasMessageContaining("outside 0 … 5");
        assertThatThrownBy(() -> new ErasureCode(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErasureCode(200, 57)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> code.shardLength((int) ChunkStore.MAX_CHUNK_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKRowsOfTheLargestCodesMatrixAreInvertible() {
        // 255 points: the widest code; a sample of row subsets must all invert (decode would throw otherwise).
        ErasureCode code = new ErasureCode(17, 238);
        byte[] chunk = random(17 * 8, 8);
        List<Shard> shards = code.encode(chunk);
        SplittableRandom random = new SplittableRandom(9);
        for (int trial = 0; trial < 30; trial++) {
            Map<Integer, byte[]> pick = new HashMap<>();
            while (pick.size() < 17) {
                int i = random.nextInt(255);
                pick.put(i, shards.get(i).bytes());
            }
            assertThat(code.decode(pick, chunk.length)).isEqualTo(chunk);
        }
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
