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
    void spareRoomIsNotContent() {
        PlainChunk roomy = new PlainChunk(10, new byte[] {1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 3);

        assertThat(roomy).isEqualTo(new PlainChunk(10, new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new PlainChunk(10, new byte[] {1, 2, 3}));
        assertThat(roomy.data()).containsExactly(1, 2, 3);
        assertThat(roomy.sealableInPlace()).isTrue();
        assertThat(new PlainChunk(10, new byte[] {1, 2, 3}).sealableInPlace()).isFalse();
        assertThat(roomy.end()).isEqualTo(13);
        assertThatThrownBy(() -> new PlainChunk(0, new byte[2], 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeOffsetAndMissingData() {
        assertThatThrownBy(() -> new PlainChunk(-1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlainChunk(0, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
