package io.grove.api.store;

import io.grove.api.plugin.PluginFactory;

/** Creates {@link ChunkStore}s configured under {@code stores.<id>}. */
public interface ChunkStoreFactory extends PluginFactory<ChunkStore> {
}
