package io.grove.api.chat;

import io.grove.api.plugin.PluginFactory;

/** Creates {@link ChatProvider}s configured under {@code ai.<id>}. */
public interface ChatProviderFactory extends PluginFactory<ChatProvider> {
}
