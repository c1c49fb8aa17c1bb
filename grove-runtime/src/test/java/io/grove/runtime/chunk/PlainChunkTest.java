package io.grove.runtime.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlainChunkTest {
    @Test
    void comparesByContentAndPrintsNoBytes() {
        PlainChunk chunk = new PlainChunk(10, new byte[] {1, 2, 3});

        assertThat(chunk).isEqualTo(new PlainChunk(10, new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new PlainChunk(10, new byte[] {1, 2, 3}))
                .isNotEqualTo(new PlainChunk(11, new byte[] {1, 2, 3}));
        assertThat(chunk.length()).isEqualTo(3);
        assertThat(chunk.end()).isEqualTo(13);
        assertThat(chunk).hasToString("PlainChunk[offset=10, length=3]");
    }

    @Test
    void rejectsNegativeOffsetAndMissingData() {
        assertThatThrownBy(() -> new PlainChunk(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlainChunk(0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
