package io.grove.runtime.plugin;

import io.grove.api.chat.ChatProvider;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.plugin.PluginFactory;
import io.grove.api.store.ChunkStore;
import io.grove.api.transport.Transport;

import java.util.List;

/** The kinds of plugin instances, with the configuration section each is configured under. */
public enum PluginKind {
    STORE("store", "stores", ChunkStore.class),
    TRANSPORT("transport", "transports", Transport.class),
    CHAT("chat", "ai", ChatProvider.class);

    private final String label;
    private final String section;
    private final Class<? extends AutoCloseable> contract;

    PluginKind(String label, String section, Class<? extends AutoCloseable> contract) {
        this.label = label;
        this.section = section;
        this.contract = contract;
    }

    /** The name used in JSON and messages. */
    public String label() {
        return label;
    }

    /** The configuration section holding instances of this kind ({@code transports}). */
    public String section() {
        return section;
    }

    /** The interface instances implement. */
    public Class<? extends AutoCloseable> contract() {
        return contract;
    }

    List<? extends PluginFactory<?>> factoriesOf(GrovePlugin plugin) {
        return switch (this) {
            case STORE -> plugin.chunkStores();
            case TRANSPORT -> plugin.transports();
            case CHAT -> plugin.chatProviders();
        };
    }
}
