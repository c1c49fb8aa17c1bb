package io.grove.runtime.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grove.runtime.crypto.Hkdf;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GearTableTest {
    @Test
    void isHkdfOfTheMasterKeyReadAsBigEndianLongs() {
        byte[] master = ChunkTesting.key(1);
        ByteBuffer okm = ByteBuffer.wrap(Hkdf.derive(master, new byte[0], "grove gear v1", 2048));

        GearTable table = GearTable.derive(master);

        for (int i = 0; i < GearTable.SIZE; i++) {
            assertThat(table.value(i)).as("entry %d", i).isEqualTo(okm.getLong());
        }
    }

    @Test
    void isDeterministicPerKeyAndDiffersBetweenKeys() {
        assertThat(GearTable.derive(ChunkTesting.key(1)).values())
                .isEqualTo(GearTable.derive(ChunkTesting.key(1)).values())
                .isNotEqualTo(GearTable.derive(ChunkTesting.key(2)).values());
    }

    @Test
    void rejectsBadKeysAndIndexes() {
        assertThatThrownBy(() -> GearTable.derive(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GearTable.derive(null)).isInstanceOf(IllegalArgumentException.class);
        GearTable table = GearTable.derive(ChunkTesting.key(1));
        assertThatThrownBy(() -> table.value(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> table.value(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
