package io.grove.runtime.plugin;

import io.grove.api.CellId;
import io.grove.api.plugin.PluginContext;
import io.grove.runtime.io.DurableFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/** The {@link PluginContext} the runtime hands to each plugin instance. */
record RuntimePluginContext(String instanceId, CellId cellId, Path cellDir, Path pluginDir, ExecutorService executor,
                            Clock clock, System.Logger logger) implements PluginContext {

    @Override
    public Path dataDir() {
        try {
            DurableFiles.createPrivateDirectories(pluginDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder of plugin instance " + instanceId, e);
        }
        return pluginDir;
    }
}
