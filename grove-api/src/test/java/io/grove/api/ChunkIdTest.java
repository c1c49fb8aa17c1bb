package io.grove.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkIdTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void acceptsSixtyFourLowercaseHexCharacters() {
        assertThat(ChunkId.of(HEX).prefix()).isEqualTo("01");
        assertThat(ChunkId.ofDigest(ChunkId.of(HEX).digest())).isEqualTo(ChunkId.of(HEX));
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[]{"", HEX.substring(1), HEX + "0", HEX.toUpperCase(), HEX.replace('a', 'g'),
                "../" + HEX.substring(3), HEX.substring(0, 63) + "\0"}) {
            assertThat(ChunkId.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> ChunkId.of(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ChunkId.isValid(null)).isFalse();
    }
}
