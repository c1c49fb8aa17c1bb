package io.grove.runtime.web;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which {@code Host} headers the API socket answers, against DNS rebinding: a page of {@code evil.example} whose name
 * is made to resolve to 127.0.0.1 still sends {@code Host: evil.example:5678}, and is refused. Allowed:
 * <ul>
 *     <li>{@code localhost} and any IP literal ({@code 127.0.0.1}, {@code [::1]}, a LAN address) with the port the
 *     request arrived on — a rebinding attack always uses a name, never an address;</li>
 *     <li>each name in {@code api.hosts}: {@code name} with the socket's port or with no port (a reverse proxy on
 *     80/443), {@code name:port} with exactly that port.</li>
 * </ul>
 */
public final class AllowedHosts {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}(%[a-z0-9]{1,16})?]");
    private static final Pattern PORT = Pattern.compile("[1-9]\\d{0,4}");

    private final Set<String> names = new HashSet<>();
    private final Set<String> namesWithPort = new HashSet<>();

    /**
     * @param configured the {@code api.hosts} entries: {@code name} or {@code name:port}
     * @throws IllegalArgumentException naming a malformed entry
     */
    public AllowedHosts(List<String> configured) {
        for (String raw : configured) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            HostPort parsed = HostPort.parse(entry).orElseThrow(() -> new IllegalArgumentException(
                    "'" + raw + "' is not a host name or host:port"));
            if (parsed.port().isEmpty()) {
                names.add(parsed.host());
            } else {
                namesWithPort.add(parsed.host() + ":" + parsed.port());
            }
        }
    }

    /** Whether a request with this {@code Host} header, arriving on {@code localPort}, may be answered. */
    public boolean allows(String hostHeader, int localPort) {
        if (hostHeader.length() > 300) {
            return false;
        }
        String value = hostHeader.trim().toLowerCase(Locale.ROOT);
        Optional<HostPort> parsed = HostPort.parse(value);
        if (parsed.isEmpty()) {
            return false;
        }
        String host = parsed.get().host();
        String port = parsed.get().port();
        if (port.isEmpty()) {
            return names.contains(host);
        }
        if (namesWithPort.contains(host + ":" + port)) {
            return true;
        }
        if (!port.equals(Integer.toString(localPort))) {
            return false;
        }
        return host.equals("localhost") || IPV4.matcher(host).matches() || IPV6.matcher(host).matches()
                || names.contains(host);
    }

    /**
     * Whether a page of {@code origin} (an {@code Origin} header: {@code scheme://host[:port]}) is this cell's own
     * dashboard, as seen by a request arriving on {@code localPort}.
     */
    public boolean allowsOrigin(String origin, int localPort) {
        String value = origin.trim();
        int scheme = value.indexOf("://");
        if (scheme < 0 || value.length() > 300) {
            return false;
        }
        return allows(value.substring(scheme + 3), localPort);
    }

    private record HostPort(String host, String port) {
        static Optional<HostPort> parse(String value) {
            String host;
            String port = "";
            if (value.startsWith("[")) {
                int end = value.indexOf(']');
                if (end < 0) {
                    return Optional.empty();
                }
                host = value.substring(0, end + 1);
                String rest = value.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        return Optional.empty();
                    }
                    port = rest.substring(1);
                }
                if (!IPV6.matcher(host).matches()) {
                    return Optional.empty();
                }
            } else {
                int colon = value.indexOf(':');
                host = colon < 0 ? value : value.substring(0, colon);
                port = colon < 0 ? "" : value.substring(colon + 1);
                if (!NAME.matcher(host).matches()) {
                    return Optional.empty();
                }
            }
            if (!port.isEmpty() && (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535)) {
                return Optional.empty();
            }
            return Optional.of(new HostPort(host, port));
        }
    }
}
