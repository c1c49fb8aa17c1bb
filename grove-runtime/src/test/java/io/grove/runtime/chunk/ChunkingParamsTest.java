package io.grove.runtime.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkingParamsTest {
    @Test
    void defaultsAreOneFourSixteenMebibytes() {
        assertThat(ChunkingParams.defaults()).isEqualTo(new ChunkingParams(1 << 20, 4 << 20, 16 << 20));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 4, 8, at least 1 byte",
        "4, 4, 8, min < avg < max",
        "2, 8, 8, min < avg < max",
        "9, 8, 16, min < avg < max",
        "1, 6, 8, power of two",
        "1048576, 4194304, 16777217, at most 16777216",
    })
    void rejectsInvalidSizes(int min, int avg, int max, String message) {
        assertThatThrownBy(() -> new ChunkingParams(min, avg, max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
