package io.grove.store.filesystem;

import io.grove.api.ChunkId;
import io.grove.api.GroveApi;
import io.grove.api.plugin.ConfigProperty;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.store.ChunkStore;
import io.grove.api.store.ChunkStoreFactory;
import io.grove.testing.MapPluginConfig;
import io.grove.testing.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class FilesystemStorePluginTest {
    @TempDir
    Path cellDir;

    @Test
    void isFoundByServiceLoaderAndDeclaresTheCurrentApiVersion() throws IOException {
        assertThat(ServiceLoader.load(GrovePlugin.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(FilesystemStorePlugin.class);
        Properties descriptor = new Properties();
        try (InputStream in = FilesystemStorePlugin.class.getResourceAsStream("/META-INF/grove-plugin.properties")) {
            descriptor.load(in);
        }
        assertThat(descriptor.getProperty("name")).isEqualTo("store-filesystem");
        assertThat(descriptor.getProperty("api-version")).isEqualTo(GroveApi.VERSION);
    }

    @Test
    void offersOneFilesystemFactoryDescribingTheKeysItReads() {
        assertThat(new FilesystemStorePlugin().chunkStores()).singleElement().satisfies(factory -> {
            assertThat(factory.type()).isEqualTo("filesystem");
            assertThat(factory.configProperties()).extracting(ConfigProperty::key, ConfigProperty::type,
                            ConfigProperty::defaultValue)
                    .containsExactly(
                            tuple("path", ConfigProperty.Type.PATH, "chunks"),
                            tuple("fsync", ConfigProperty.Type.BOOLEAN, "true"),
                            tuple("direct-writes", ConfigProperty.Type.BOOLEAN, "true"));
        });
    }

    @Test
    void keepsChunksInTheChunksFolderOfTheCellByDefault() throws IOException {
        try (TestPluginContext context = TestPluginContext.of(cellDir);
             ChunkStore store = factory().create(context, MapPluginConfig.empty("stores.main", cellDir))) {
            byte[] bytes = {1, 2, 3};
            putOneChunk(store, bytes);

            assertThat(store).isInstanceOf(FilesystemChunkStore.class);
            assertThat(((FilesystemChunkStore) store).root()).isEqualTo(cellDir.resolve("chunks"));
            assertThat(store.stats().chunks()).isEqualTo(1);
        }
    }

    @Test
    void keepsChunksInTheConfiguredFolderEvenWithoutFsync() throws IOException {
        Map<String, Object> values = Map.of("path", "elsewhere/chunks", "fsync", false);
        try (TestPluginContext context = TestPluginContext.of(cellDir);
             ChunkStore store = factory().create(context, new MapPluginConfig("stores.fast", values, cellDir))) {
            putOneChunk(store, new byte[]{4, 5, 6});

            assertThat(((FilesystemChunkStore) store).root()).isEqualTo(cellDir.resolve("elsewhere/chunks"));
            try (var files = Files.list(cellDir.resolve("elsewhere/chunks"))) {
                assertThat(files.map(path -> path.getFileName().toString())).hasSize(2).contains(".lock");
            }
        }
    }

    @Test
    void writesLargeChunksDirectlyUnlessTurnedOff() throws IOException {
        assumeTrue(DirectWrites.probe(cellDir).isPresent(), "this file system refuses direct I/O");
        try (TestPluginContext context = TestPluginContext.of(cellDir);
             ChunkStore direct = factory().create(context, MapPluginConfig.empty("stores.main", cellDir));
             ChunkStore cached = factory().create(context, new MapPluginConfig("stores.cached",
                     Map.of("path", "cached", "direct-writes", false), cellDir))) {
            assertThat(direct.toString()).contains("direct writes");
            assertThat(cached.toString()).doesNotContain("direct");
        }
    }

    @Test
    void failsWithTheInstanceAndFolderWhenTheFolderCannotBeUsed() throws IOException {
        Files.writeString(cellDir.resolve("chunks"), "a file where the folder should be");
        try (TestPluginContext context = TestPluginContext.of(cellDir)) {
            assertThatThrownBy(() -> factory().create(context, MapPluginConfig.empty("stores.main", cellDir)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("stores.main")
                    .hasMessageContaining(cellDir.resolve("chunks").toString());
        }
    }

    private static ChunkStoreFactory factory() {
        return new FilesystemStorePlugin().chunkStores().getFirst();
    }

    /** Stores bytes under a fixed id; the store does not check ids against content. */
    private static void putOneChunk(ChunkStore store, byte[] bytes) throws IOException {
        assertThat(store.put(ChunkId.of("ab".repeat(32)), new ByteArrayInputStream(bytes), bytes.length)).isTrue();
    }
}
