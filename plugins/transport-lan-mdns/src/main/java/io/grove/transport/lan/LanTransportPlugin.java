package io.grove.transport.lan;

import io.grove.api.plugin.ConfigProperty;
import io.grove.api.plugin.GrovePlugin;
import io.grove.api.plugin.PluginConfig;
import io.grove.api.plugin.PluginContext;
import io.grove.api.transport.Transport;
import io.grove.api.transport.TransportFactory;

import java.time.Duration;
import java.util.List;

/** The plugin providing the {@code lan} transport: cells found on the local network with mDNS, reached over HTTP/1.1. */
public final class LanTransportPlugin implements GrovePlugin {
    /** The factory's type name in {@code transports.<id>.type}. */
    public static final String TYPE = "lan";

    @Override
    public List<TransportFactory> transports() {
        return List.of(new Factory());
    }

    private static final class Factory implements TransportFactory {
        private static final List<ConfigProperty> PROPERTIES = List.of(
                new ConfigProperty("interface", ConfigProperty.Type.LIST, "",
                        "Network interfaces to announce and listen on, by name (eth0) or address (192.168.1.7); by"
                                + " default every interface that is up, not loopback and multicast-capable."),
                new ConfigProperty("advertise", ConfigProperty.Type.BOOLEAN, "true",
                        "Announce this cell (its id and peer port) on the LAN; false only listens for others."),
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
            return "Finds cells on the local network with mDNS (_grove._tcp) and reaches them over HTTP/1.1";
        }

        @Override
        public List<ConfigProperty> configProperties() {
            return PROPERTIES;
        }

        @Override
        public Transport create(PluginContext context, PluginConfig config) {
            List<String> interfaces = LanInterfaces.validate(config.list("interface"), config.path() + ".interface");
            boolean advertise = config.bool("advertise", true);
            Duration connect = positive(config, "connect-timeout", Duration.ofSeconds(5));
            Duration max = positive(config, "max-timeout", Duration.ofMinutes(2));
            return new LanTransport(context.instanceId(), config.path(), interfaces, advertise, connect, max,
                    context.executor(), context.logger());
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
