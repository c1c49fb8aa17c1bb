package io.grove.api.plugin;

import io.grove.api.chat.ChatProviderFactory;
import io.grove.api.store.ChunkStoreFactory;
import io.grove.api.transport.TransportFactory;

import java.util.List;

/**
 * The entry point of a plugin, found with {@link java.util.ServiceLoader}: each plugin location has exactly
 * one implementation, named in {@code META-INF/services/io.grove.api.plugin.GrovePlugin}.
 *
 * <p>A plugin is stateless: it only hands out named factories. The runtime creates live instances from
 * configuration ({@code transports.<id>: {type: <factory type>, enabled: true, …}}), calls them with the
 * plugin's class loader as the thread's context class loader, and closes them in reverse order of creation.
 * The implementing class needs a public no-argument constructor that does no work.
 */
public interface GrovePlugin {

    /** Factories of chunk stores ({@code stores.<id>.type}). */
    default List<ChunkStoreFactory> chunkStores() {
        return List.of();
    }

    /** Factories of transports ({@code transports.<id>.type}). */
    default List<TransportFactory> transports() {
        return List.of();
    }

    /** Factories of AI chat providers ({@code ai.<id>.type}). */
    default List<ChatProviderFactory> chatProviders() {
        return List.of();
    }
}
