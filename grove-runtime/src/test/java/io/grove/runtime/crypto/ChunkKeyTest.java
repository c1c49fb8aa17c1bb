package io.grove.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChunkKeyTest {
    @Test
    void comparesByContent() {
        ChunkKey key = new ChunkKey(bytes(32, 1), bytes(12, 2));

        assertThat(key).isEqualTo(new ChunkKey(bytes(32, 1), bytes(12, 2)))
                .hasSameHashCodeAs(new ChunkKey(bytes(32, 1), bytes(12, 2)))
                .isNotEqualTo(new ChunkKey(bytes(32, 1), bytes(12, 3)))
                .isNotEqualTo(new ChunkKey(bytes(32, 4), bytes(12, 2)));
    }

    @Test
    void copiesArraysInAndOut() {
        byte[] raw = bytes(32, 1);
        ChunkKey key = new ChunkKey(raw, bytes(12, 2));

        raw[0] = 99;
        key.key()[1] = 99;
        key.nonce()[0] = 99;

        assertThat(key.key()).isEqualTo(bytes(32, 1));
        assertThat(key.nonce()).isEqualTo(bytes(12, 2));
    }

    @Test
    void toStringHidesTheKey() {
        ChunkKey key = new ChunkKey(bytes(32, 0xab), bytes(12, 0xcd));

        assertThat(key.toString()).doesNotContainIgnoringCase("abab").doesNotContainIgnoringCase("cdcd")
                .doesNotContain(HexFormat.of().formatHex(key.key()))
                .contains("redacted");
    }

    @Test
    void rejectsWrongLengths() {
        assertThatThrownBy(() -> new ChunkKey(bytes(31, 1), bytes(12, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkKey(bytes(32, 1), bytes(16, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkKey(null, bytes(12, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] bytes(int length, int value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
