package io.grove.transport.direct;

import io.grove.api.plugin.ConfigProperty;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.plugin.PluginConfig;
import io.grove.api.plugin.PluginContext;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportFactory;

import java.time.Duration;
import java.util.List;

/** The plugin providing the {@code direct} transport: HTTP/1.1 to a peer's socket at a known address. */
public final class DirectTransportPlugin implements GrovePlugin {
    /** The factory's type name in {@code transports.<id>.type}. */
    public static final String TYPE = "direct";

    @Override
    public List<TransportFactory> transports() {
        return List.of(new Factory());
    }

    private static final class Factory implements TransportFactory {
        private static final List<ConfigProperty> PROPERTIES = List.of(
                new ConfigProperty("peers", ConfigProperty.Type.LIST, "",
                        "Peer sockets to try besides the addresses learned from rosters and invites: host:port,"
                                + " or CELLID@host:port to use the address for that cell only."),
                new ConfigProperty("connect-timeout", ConfigProperty.Type.DURATION, "5s",
                        "How long to wait for a TCP connection to a peer."),
                new ConfigProperty("max-timeout", ConfigProperty.Type.DURATION, "2m",
                        "The longest the transport waits for a response to start, whatever the runtime asks."));

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "Peer requests over HTTP/1.1 straight to a peer's socket, by configured and known addresses";
        }

        @Override
        public List<ConfigProperty> configProperties() {
            return PROPERTIES;
        }

        @Override
        public Transport create(PluginContext context, PluginConfig config) {
            List<PeerAddress> peers = config.list("peers").stream().map(text -> {
                try {
                    return PeerAddress.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(config.path() + ".peers: " + e.getMessage(), e);
                }
            }).toList();
            Duration connect = positive(config, "connect-timeout", Duration.ofSeconds(5));
            Duration max = positive(config, "max-timeout", Duration.ofMinutes(2));
            return new DirectTransport(context.instanceId(), peers, connect, max, context.executor(), context.logger());
        }

        private static Duration positive(PluginConfig config, String key, Duration fallback) {
            Duration value = config.duration(key, fallback);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(config.path() + "." + key + " must be positive, not " + value);
            }
            return value;
        }
    }
}
