package io.grove.testing;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryChunkStoreTest extends AbstractChunkStoreTest {

    @Override
    protected ChunkStore createStore(Path dir) {
        return new InMemoryChunkStore();
    }

    @Override
    protected boolean persistsAcrossReopen() {
        return false;
    }

    @Test
    void rejectsAPutBeyondItsCapacityLikeAFullDisk() throws IOException {
        try (InMemoryChunkStore small = new InMemoryChunkStore(1_500)) {
            byte[] first = randomBytes(1, 1_000);
            byte[] second = randomBytes(2, 501);
            small.put(idOf(first), new ByteArrayInputStream(first), first.length);

            ChunkId secondId = idOf(second);
            assertThatThrownBy(() -> small.put(secondId, new ByteArrayInputStream(second), second.length))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("full");

            assertThat(small.has(secondId)).isFalse();
            assertThat(small.stats().bytes()).isEqualTo(1_000);
            assertThat(small.stats().freeBytes()).isEqualTo(500);
            assertThat(small.stats().totalBytes()).isEqualTo(1_500);
        }
    }
}
