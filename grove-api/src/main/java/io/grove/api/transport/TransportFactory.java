package io.grove.api.transport;

import io.grove.api.plugin.PluginFactory;

/** Creates {@link Transport}s configured under {@code transports.<id>}. */
public interface TransportFactory extends PluginFactory<Transport> {
}
