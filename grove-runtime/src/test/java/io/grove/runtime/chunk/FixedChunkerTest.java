package io.grove.runtime.chunk;

import static io.grove.runtime.chunk.ChunkTesting.KIB;
import static io.grove.runtime.chunk.ChunkTesting.MIB;
import static io.grove.runtime.chunk.ChunkTesting.chunkAll;
import static io.grove.runtime.chunk.ChunkTesting.concat;
import static io.grove.runtime.chunk.ChunkTesting.lengths;
import static io.grove.runtime.chunk.ChunkTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FixedChunkerTest {
    private static final int SIZE = 100 * KIB;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 64 * KIB - 1, 64 * KIB, 64 * KIB + 1, SIZE - 1, SIZE, SIZE + 1, 3 * SIZE,
            3 * SIZE + 7})
    void cutsEverySizeBytesAndKeepsTheTail(int length) throws IOException {
        byte[] input = random(length, length);

        List<PlainChunk> chunks = chunkAll(new FixedChunker(SIZE).open(new ByteArrayInputStream(input)));

        assertThat(concat(chunks)).isEqualTo(input);
        assertThat(chunks).hasSize((length + SIZE - 1) / SIZE);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).offset()).isEqualTo((long) i * SIZE);
            assertThat(chunks.get(i).length()).isEqualTo(Math.min(SIZE, length - i * SIZE));
        }
    }

    @Test
    void defaultsToFourMebibytes() throws IOException {
        List<PlainChunk> chunks = chunkAll(new FixedChunker().open(new ByteArrayInputStream(random(1, 9 * MIB))));

        assertThat(lengths(chunks)).containsExactly(4 * MIB, 4 * MIB, MIB);
    }

    @Test
    void aStreamThatTricklesAFewBytesPerReadGivesTheSameChunks() throws IOException {
        byte[] input = random(2, 5 * SIZE / 2);

        List<PlainChunk> trickled = chunkAll(new FixedChunker(SIZE).open(new ChunkTesting.TricklingStream(input, 5)));

        assertThat(trickled).isEqualTo(chunkAll(new FixedChunker(SIZE).open(new ByteArrayInputStream(input))));
    }

    @Test
    void rejectsSizesOutsideOneByteToSixteenMebibytes() {
        assertThatThrownBy(() -> new FixedChunker(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FixedChunker(16 * MIB + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new FixedChunker(16 * MIB).size()).isEqualTo(16 * MIB);
    }
}
