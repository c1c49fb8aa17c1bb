package io.grove.runtime.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChunkingPropertiesTest {
    private static final GearTable GEAR = GearTable.derive(ChunkTesting.key(11));

    @Property(tries = 300)
    void fastCdcChunksConcatenateToTheInput(@ForAll @Size(max = 40_000) byte[] input,
                                            @ForAll("params") ChunkingParams params,
                                            @ForAll @IntRange(min = 1, max = 5000) int maxPerRead) throws IOException {
        FastCdcChunker chunker = new FastCdcChunker(GEAR, params);

        List<PlainChunk> chunks = ChunkTesting.chunkAll(
                chunker.open(new ChunkTesting.TricklingStream(input, maxPerRead)));

        assertThat(ChunkTesting.concat(chunks)).isEqualTo(input);
        FastCdcChunkerTest.assertContiguousAndBounded(chunks, params);
    }

    /** A size hint (a file's listed size, exact or out of date) only sizes buffers: the chunks are the same. */
    @Property(tries = 300)
    void aSizeHintNeverChangesTheChunks(@ForAll @Size(max = 40_000) byte[] input,
                                        @ForAll("params") ChunkingParams params,
                                        @ForAll boolean exact,
                                        @ForAll @IntRange(min = -1, max = 45_000) int otherHint,
                                        @ForAll @IntRange(min = 1, max = 5000) int maxPerRead) throws IOException {
        FastCdcChunker chunker = new FastCdcChunker(GEAR, params);
        long hint = exact ? input.length : otherHint;

        List<PlainChunk> plain = ChunkTesting.chunkAll(chunker.open(new ByteArrayInputStream(input)));
        List<PlainChunk> hinted = ChunkTesting.chunkAll(
                chunker.open(new ChunkTesting.TricklingStream(input, maxPerRead), hint));

        assertThat(ChunkTesting.lengths(hinted)).isEqualTo(ChunkTesting.lengths(plain));
        assertThat(ChunkTesting.concat(hinted)).isEqualTo(input);
        assertThat(hinted).allSatisfy(c -> assertThat(c.sealableInPlace()).isTrue());
        FastCdcChunkerTest.assertContiguousAndBounded(hinted, params);
    }

    @Property(tries = 200)
    void fixedChunksConcatenateToTheInput(@ForAll @Size(max = 40_000) byte[] input,
                                          @ForAll @IntRange(min = 1, max = 10_000) int size) throws IOException {
        List<PlainChunk> chunks = ChunkTesting.chunkAll(
                new FixedChunker(size).open(new ByteArrayInputStream(input)));

        assertThat(ChunkTesting.concat(chunks)).isEqualTo(input);
        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isBetween(1, size));
        assertThat(chunks).hasSize((input.length + size - 1) / size);
    }

    @Provide
    Arbitrary<ChunkingParams> params() {
        Arbitrary<Integer> avgExponent = Arbitraries.integers().between(2, 13);
        return avgExponent.flatMap(exp -> {
            int avg = 1 << exp;
            return Combinators.combine(
                    Arbitraries.integers().between(1, avg - 1),
                    Arbitraries.integers().between(avg + 1, 4 * avg))
                    .as((min, max) -> new ChunkingParams(min, avg, max));
        });
    }
}
