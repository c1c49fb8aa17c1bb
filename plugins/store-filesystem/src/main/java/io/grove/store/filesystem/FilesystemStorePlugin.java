package io.grove.store.filesystem;

import io.grove.api.plugin.ConfigProperty;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.plugin.PluginConfig;
import io.grove.api.plugin.PluginContext;
import io.grove.api.store.ChunkStore;
import io.grove.api.store.ChunkStoreFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The plugin providing the default chunk store, {@code filesystem}: one file per chunk below the cell folder. */
public final class FilesystemStorePlugin implements GrovePlugin {
    /** The factory's type name in {@code stores.<id>.type}. */
    public static final String TYPE = "filesystem";
    /** The chunk folder when {@code path} is not set, relative to the cell folder. */
    public static final String DEFAULT_PATH = "chunks";

    @Override
    public List<ChunkStoreFactory> chunkStores() {
        return List.of(new Factory());
    }

    private static final class Factory implements ChunkStoreFactory {
        private static final List<ConfigProperty> PROPERTIES = List.of(
                new ConfigProperty("path", ConfigProperty.Type.PATH, DEFAULT_PATH,
                        "Folder holding the chunk files; a relative path is resolved against the cell folder."),
                new ConfigProperty("fsync", ConfigProperty.Type.BOOLEAN, "true",
                        "Flush every chunk to disk before a put returns; turn off only for tests or benchmarks"
                                + " on throwaway data, since a power loss can then lose or corrupt stored chunks."),
                new ConfigProperty("direct-writes", ConfigProperty.Type.BOOLEAN, "true",
                        "Write chunks of 256 KiB and more with direct I/O (O_DIRECT), past the page cache, where the"
                                + " file system allows it; false writes every chunk through the page cache."));

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Chunks as files in 256 folders below the cell folder, flushed to disk on every put";
        }

        @Override
        public List<ConfigProperty> configProperties() {
            return PROPERTIES;
        }

        @Override
        public ChunkStore create(PluginContext context, PluginConfig config) {
            // A configured path comes back resolved against the cell folder already (PluginConfig#path).
            Path root = config.path("path").orElseGet(() -> context.cellDir().resolve(DEFAULT_PATH));
            boolean fsync = config.bool("fsync", true);
            if (!fsync) {
                context.logger().log(System.Logger.Level.WARNING, "{0}.fsync is false: chunks in {1} may be lost"
                        + " or corrupted by a power loss; use this only for tests and benchmarks", config.path(), root);
            }
            try {
                return FilesystemChunkStore.open(root, fsync, config.bool("direct-writes", true));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open chunk store " + config.path() + " at " + root
                        + ": " + e.getMessage(), e);
            }
        }
    }
}
