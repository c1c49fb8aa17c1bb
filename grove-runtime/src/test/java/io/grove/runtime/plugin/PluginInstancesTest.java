package io.grove.runtime.plugin;

import io.grove.api.ChunkId;
import io.grove.api.store.ChunkStore;
import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.GroveConfig;
import io.grove.testing.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginInstancesTest {
    @TempDir
    Path tmp;

    /** A store that records its lifecycle in cell/lifecycle.log and checks it runs under its own loader. */
    private static final String RECORDING = """
            package rec;
            import io.grove.api.ChunkId;
            import io.grove.api.plugin.*;
            import io.grove.api.store.*;
            import java.io.*;
            import java.nio.file.*;
            import java.util.*;
            public class P implements GrovePlugin {
                static void log(PluginContext c, String line) {
                    try {
                        Files.writeString(c.cellDir().resolve("lifecycle.log"), line + "\\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) { throw new UncheckedIOException(e); }
                }
                static boolean ownLoader() {
                    return Thread.currentThread().getContextClassLoader() == P.class.getClassLoader();
                }
                public List<ChunkStoreFactory> chunkStores() {
                    return List.of(new ChunkStoreFactory() {
                        public String type() { return "recording"; }
                        public ChunkStore create(PluginContext c, PluginConfig cfg) {
                            log(c, "create " + c.instanceId() + " " + ownLoader());
                            return new ChunkStore() {
                                public boolean put(ChunkId id, InputStream d, long l) { return false; }
                                public Optional<InputStream> get(ChunkId id) { return Optional.empty(); }
                                public boolean has(ChunkId id) { return ownLoader(); }
                                public OptionalLong size(ChunkId id) { return OptionalLong.empty(); }
                                public boolean delete(ChunkId id) { return false; }
                                public ChunkPage list(ChunkCursor c, int l) { return new ChunkPage(List.of(), Optional.empty()); }
                                public StoreStats stats() { return new StoreStats(0, 0, 0, -1); }
                                public void close() { log(c, "close " + c.instanceId()); }
                            };
                        }
                    });
                }
            }
            """;

    private PluginRegistry registry() {
        Path plugins = tmp.resolve("plugins");
        PluginJarBuilder.named("recording").source("rec.P", RECORDING).service("rec.P").build(plugins.resolve("recording.jar"));
        return PluginLoader.load(Optional.of(plugins), false, true);
    }

    private GroveConfig config(Map<String, String> settings) throws Exception {
        Path cell = Files.createDirectories(tmp.resolve("cell"));
        return GroveConfig.of(cell, settings);
    }

    @Test
    void createsConfiguredInstancesUnderThePluginLoaderAndClosesThemInReverse() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("stores.first.type", "recording");
        settings.put("stores.second.type", "recording");
        settings.put("stores.off.type", "recording");
        settings.put("stores.off.enabled", "false");
        GroveConfig config = config(settings);
        PluginInstances instances = PluginInstances.start(registry(), config, io.grove.api.CellId.ofPublicKey(new byte[32]),
                Clock.systemUTC(), true);
        var stores = instances.running(PluginKind.STORE, ChunkStore.class);
        assertThat(stores).hasSize(2);
        assertThat(stores.get(0).has(ChunkId.of("0".repeat(64)))).as("calls run under the plugin's loader").isTrue();
        instances.close();
        assertThat(Files.readAllLines(tmp.resolve("cell/lifecycle.log")))
                .containsExactly("create first true", "create second true", "close second", "close first");
    }

    @Test
    void anUnknownTypeIsReportedWithTheAvailableOnes() throws Exception {
        GroveConfig config = config(Map.of("stores.x.type", "nope"));
        assertThatThrownBy(() -> PluginInstances.start(registry(), config, io.grove.api.CellId.ofPublicKey(new byte[32]),
                Clock.systemUTC(), true)).hasMessageContaining("'nope'").hasMessageContaining("recording");
    }

    @Test
    void anInstanceWithoutTypeIsAConfigurationError() throws Exception {
        GroveConfig config = config(Map.of("stores.x.enabled", "true"));
        assertThatThrownBy(() -> PluginInstances.start(registry(), config, io.grove.api.CellId.ofPublicKey(new byte[32]),
                Clock.systemUTC(), false)).isInstanceOf(ConfigException.class).hasMessageContaining("stores.x.type");
    }
}
