package io.grove.runtime.chunk;

import static io.grove.runtime.chunk.ChunkTesting.KIB;
import static io.grove.runtime.chunk.ChunkTesting.MIB;
import static io.grove.runtime.chunk.ChunkTesting.SMALL;
import static io.grove.runtime.chunk.ChunkTesting.chunkAll;
import static io.grove.runtime.chunk.ChunkTesting.concat;
import static io.grove.runtime.chunk.ChunkTesting.key;
import static io.grove.runtime.chunk.ChunkTesting.lengths;
import static io.grove.runtime.chunk.ChunkTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FastCdcChunkerTest {
    private static final FastCdcChunker SMALL_CHUNKER = new FastCdcChunker(GearTable.derive(key(1)), SMALL);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 64 * KIB - 1, 64 * KIB, 64 * KIB + 1, 256 * KIB, MIB - 1, MIB, MIB + 1,
            5 * MIB + 17})
    void chunksConcatenateToTheInputAndRespectTheBounds(int size) throws IOException {
        byte[] input = random(size, size);

        List<PlainChunk> chunks = chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(input)));

        assertThat(concat(chunks)).isEqualTo(input);
        assertContiguousAndBounded(chunks, SMALL);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, MIB - 1, MIB + 1, 16 * MIB, 16 * MIB + 1, 40 * MIB})
    void defaultParamsAlsoConcatenateToTheInput(int size) throws IOException {
        byte[] input = random(size, size);
        FastCdcChunker chunker = new FastCdcChunker(GearTable.derive(key(2)));

        List<PlainChunk> chunks = chunkAll(chunker.open(new ByteArrayInputStream(input)));

        assertThat(concat(chunks)).isEqualTo(input);
        assertContiguousAndBounded(chunks, ChunkingParams.defaults());
    }

    @Test
    void anInputThatMatchesNoCutPointIsCutAtTheMaximum() throws IOException {
        // A constant byte drives the gear hash to a fixed point; whether that point matches depends on the key,
        // so look for a byte value whose fixed point never cuts.
        byte[] input = new byte[3 * MIB + 5];
        List<PlainChunk> chunks = List.of();
        for (int value = 0; value < 256; value++) {
            java.util.Arrays.fill(input, (byte) value);
            chunks = chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(input)));
            if (chunks.size() == 4) {
                break;
            }
        }

        assertThat(lengths(chunks)).containsExactly(MIB, MIB, MIB, 5);
    }

    @Test
    void boundariesAreDeterministicForAKeyAndDifferForAnother() throws IOException {
        byte[] input = random(3, 16 * MIB);
        FastCdcChunker again = new FastCdcChunker(GearTable.derive(key(1)), SMALL);
        FastCdcChunker otherKey = new FastCdcChunker(GearTable.derive(key(99)), SMALL);

        List<Integer> first = lengths(chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(input))));
        List<Integer> second = lengths(chunkAll(again.open(new ByteArrayInputStream(input))));
        List<Integer> third = lengths(chunkAll(otherKey.open(new ByteArrayInputStream(input))));

        assertThat(second).isEqualTo(first);
        assertThat(third).isNotEqualTo(first);
        assertThat(offsets(third)).doesNotContainAnyElementsOf(offsets(first).subList(1, 5));
    }

    @Test
    void averageChunkSizeIsNearTheTarget() throws IOException {
        List<PlainChunk> chunks = chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(random(4, 64 * MIB))));

        double mean = 64.0 * MIB / chunks.size();
        // Normalized chunking with min = avg/4 lands a little above avg; a wrong mask would be off by 2x or more.
        assertThat(mean).isBetween(0.75 * SMALL.avgSize(), 1.5 * SMALL.avgSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"replace", "insert", "delete"})
    void aOneByteEditChangesAtMostThreeChunks(String edit) throws IOException {
        byte[] original = random(5, 64 * MIB);
        int at = original.length / 2 + 12_345;
        byte[] edited = switch (edit) {
            case "replace" -> {
                byte[] copy = original.clone();
                copy[at] ^= 0x5a;
                yield copy;
            }
            case "insert" -> ByteBuffer.allocate(original.length + 1)
                    .put(original, 0, at).put((byte) 42).put(original, at, original.length - at).array();
            default -> ByteBuffer.allocate(original.length - 1)
                    .put(original, 0, at).put(original, at + 1, original.length - at - 1).array();
        };

        List<PlainChunk> before = chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(original)));
        List<PlainChunk> after = chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(edited)));

        Set<ByteBuffer> known = new HashSet<>();
        before.forEach(c -> known.add(ByteBuffer.wrap(c.data())));
        long changed = after.stream().filter(c -> !known.contains(ByteBuffer.wrap(c.data()))).count();
        assertThat(before).hasSizeGreaterThan(100);
        assertThat(changed).isBetween(1L, 3L);
    }

    @Test
    void aStreamThatTricklesAFewBytesPerReadGivesTheSameChunks() throws IOException {
        byte[] input = random(6, 3 * MIB + 999);

        List<PlainChunk> whole = chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(input)));
        List<PlainChunk> trickled = chunkAll(SMALL_CHUNKER.open(new ChunkTesting.TricklingStream(input, 7)));

        assertThat(trickled).isEqualTo(whole);
    }

    @Test
    void theReaderAgreesWithThePureCutPointFunction() throws IOException {
        // The reader resumes its scan after every 1 MiB refill; the pure function scans in one go.
        byte[] input = random(7, 32 * MIB + 3);
        List<Integer> expected = new ArrayList<>();
        for (int pos = 0; pos < input.length; ) {
            int cut = SMALL_CHUNKER.cutPoint(input, pos, input.length - pos);
            expected.add(cut);
            pos += cut;
        }

        assertThat(lengths(chunkAll(SMALL_CHUNKER.open(new ByteArrayInputStream(input))))).isEqualTo(expected);
    }

    /**
     * Chunk boundaries are part of what a store holds: a change would stop new versions of old files deduplicating
     * against them. These digests of the chunk lengths were taken from the byte-at-a-time loop (before session 12).
     */
    @ParameterizedTest
    @CsvSource({
            "true, 21, 81, 3b70df8b563b31f20df825212eea89df127b676904533fdbd69276e3c846c26f",
            "false, 22, 20, ecb9d22583783cb556ad300a129fda5f4b7d6ba80e7ed715a4f23b6057ccede6"})
    void cutPointsNeverChange(boolean small, int keySeed, int chunks, String lengthsDigest) throws Exception {
        byte[] input = random(23, (small ? 24 : 96) * MIB + 7);
        FastCdcChunker chunker = small ? new FastCdcChunker(GearTable.derive(key(keySeed)), SMALL)
                : new FastCdcChunker(GearTable.derive(key(keySeed)));

        List<Integer> lengths = lengths(chunkAll(chunker.open(new ByteArrayInputStream(input))));

        StringBuilder joined = new StringBuilder();
        lengths.forEach(length -> joined.append(length).append(','));
        assertThat(lengths).hasSize(chunks);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(joined.toString().getBytes(StandardCharsets.US_ASCII)))).isEqualTo(lengthsDigest);
        assertThat(lengths).as("cuts after odd and even offsets both occur")
                .anyMatch(length -> length % 2 == 0).anyMatch(length -> length % 2 == 1);
    }

    @Test
    void theWindowBufferNeverExceedsTwiceTheMaximumChunk() throws IOException {
        FastCdcChunker chunker = new FastCdcChunker(GearTable.derive(key(8)));
        long length = 256L * MIB + 12_345;
        var reader = (FastCdcChunker.Reader) chunker.open(new ChunkTesting.GeneratedStream(8, length));

        long total = 0;
        int largestBuffer = 0;
        for (Optional<PlainChunk> c = reader.next(); c.isPresent(); c = reader.next()) {
            assertThat(c.get().offset()).isEqualTo(total);
            total += c.get().length();
            largestBuffer = Math.max(largestBuffer, reader.bufferCapacity());
        }

        assertThat(total).isEqualTo(length);
        assertThat(largestBuffer).isLessThanOrEqualTo(2 * ChunkingParams.MAX_CHUNK_SIZE);
        assertThat(reader.bufferCapacity()).isZero();
    }

    @Test
    void aSmallFileNeedsOnlyASmallWindow() throws IOException {
        FastCdcChunker chunker = new FastCdcChunker(GearTable.derive(key(9)));
        var reader = (FastCdcChunker.Reader) chunker.open(new ByteArrayInputStream(random(9, 10_000)));

        Optional<PlainChunk> only = reader.next();

        assertThat(only).map(PlainChunk::length).contains(10_000);
        assertThat(reader.next()).isEmpty();
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void cutPointTreatsTheEndOfTheRangeAsTheEndOfTheStream() {
        byte[] data = random(10, 2 * MIB);

        assertThat(SMALL_CHUNKER.cutPoint(data, 5, 0)).isZero();
        assertThat(SMALL_CHUNKER.cutPoint(data, 5, 1000)).isEqualTo(1000);
        assertThat(SMALL_CHUNKER.cutPoint(data, 5, 2 * MIB - 5)).isBetween(64 * KIB + 1, MIB);
        assertThatThrownBy(() -> SMALL_CHUNKER.cutPoint(data, 5, 2 * MIB))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masksHaveTheNormalizedBitCounts() {
        assertThat(Long.bitCount(FastCdcChunker.spreadMask(24))).isEqualTo(24);
        assertThat(Long.bitCount(FastCdcChunker.spreadMask(20))).isEqualTo(20);
        assertThat(FastCdcChunker.spreadMask(24) & 0xffffL).isZero();
        assertThat(FastCdcChunker.spreadMask(1)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void rejectsMissingArguments() {
        assertThatThrownBy(() -> new FastCdcChunker(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SMALL_CHUNKER.open(null)).isInstanceOf(IllegalArgumentException.class);
    }

    static void assertContiguousAndBounded(List<PlainChunk> chunks, ChunkingParams params) {
        long expectedOffset = 0;
        for (int i = 0; i < chunks.size(); i++) {
            PlainChunk c = chunks.get(i);
            assertThat(c.offset()).as("offset of chunk %d", i).isEqualTo(expectedOffset);
            assertThat(c.length()).as("length of chunk %d", i).isBetween(1, params.maxSize());
            if (i < chunks.size() - 1) {
                assertThat(c.length()).as("length of chunk %d", i).isGreaterThanOrEqualTo(params.minSize());
            }
            expectedOffset += c.length();
        }
    }

    private static List<Long> offsets(List<Integer> lengths) {
        List<Long> offsets = new ArrayList<>();
        long pos = 0;
        for (int len : lengths) {
            pos += len;
            offsets.add(pos);
        }
        return offsets;
    }
}
