package io.grove.runtime;

import io.grove.runtime.config.ConfigException;
import io.grove.runtime.config.ConfigNode;
import io.grove.runtime.config.GroveConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The settings the runtime itself reads, validated once at start-up.
 *
 * @param label             the cell's human name
 * @param apiBind           address of the API and dashboard socket
 * @param apiPort           its port (0 picks a free one)
 * @param maxApiBody        the largest API request body
 * @param peerBind          address of the peer socket
 * @param peerPort          its port (0 picks a free one)
 * @param pluginsDir        where plugins are loaded from, if anywhere
 * @param pluginsClasspath  whether plugins on the runtime's class path are loaded too (tests, embedded cells)
 * @param pluginsFailOnError whether a broken plugin stops the start-up
 */
public record CellSettings(String label, String apiBind, int apiPort, long maxApiBody, String peerBind, int peerPort,
                           Optional<Path> pluginsDir, boolean pluginsClasspath, boolean pluginsFailOnError) {

    /** Reads and checks the settings; {@code distribution} is the unpacked distribution, when running from one. */
    public static CellSettings from(GroveConfig config, Optional<Path> distribution) {
        ConfigNode root = config.root();
        String label = root.string("cell.label").filter(s -> !s.isBlank()).orElseGet(CellSettings::hostName);
        if (label.length() > 64 || label.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException("configuration key 'cell.label' must be at most 64 printable characters");
        }
        Optional<Path> plugins = root.path("plugins.dir")
                .filter(p -> !root.string("plugins.dir").orElse("").isBlank())
                .or(() -> distribution.map(d -> d.resolve("plugins")));
        long maxBody = root.size("api.max-body", 64L << 30);
        if (maxBody < 1) {
            throw new ConfigException("configuration key 'api.max-body' must be positive");
        }
        return new CellSettings(label,
                address(root, "api.bind", "127.0.0.1"), root.integer("api.port", 5678, 0, 65535), maxBody,
                address(root, "peer.bind", "0.0.0.0"), root.integer("peer.port", 5679, 0, 65535),
                plugins, root.bool("plugins.classpath", false), root.bool("plugins.fail-on-error", false));
    }

    /** Whether the API socket is bound to a loopback address only. */
    public boolean apiIsLoopback() {
        try {
            return InetAddress.getByName(apiBind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String address(ConfigNode root, String key, String defaultValue) {
        String value = root.string(key, defaultValue).trim();
        if (value.isEmpty() || value.length() > 253 || !value.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
            throw new ConfigException("configuration key '" + key + "' is '" + value + "'; expected an IP address or host name");
        }
        return value;
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 64 ? name.substring(0, 64) : name;
        } catch (UnknownHostException e) {
            return "grove-cell";
        }
    }
}
